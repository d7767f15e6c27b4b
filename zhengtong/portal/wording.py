"""Pre-publish wording check against the editable list of sensitive words and wording errors.

Applied when an item is submitted for review or published: a ``block`` hit
stops the submission; a ``warn`` hit lets it through but the reviewer must
confirm it (``ReviewTask`` hides approval until then). Hits are computed
from the revision itself, so what the reviewer confirms is what is published.
"""

import unicodedata
from dataclasses import asdict, dataclass

from django.utils.translation import gettext as _

CONTEXT_CHARS = 12


@dataclass(frozen=True)
class Hit:
    field: str
    position: int  # 1-based character position within the field's plain text
    phrase: str
    kind: str
    action: str
    correct_form: str
    context: str

    def describe(self) -> str:
        text = _("“%(phrase)s”（%(field)s第%(position)s字）") % {
            "phrase": self.phrase,
            "field": self.field,
            "position": self.position,
        }
        if self.correct_form:
            text += _("，应为“%(correct)s”") % {"correct": self.correct_form}
        return text

    def as_dict(self) -> dict:
        return asdict(self)


def _normalise(text: str) -> str:
    # NFKC so full-width letters and compatibility forms cannot slip past the list;
    # it keeps the length of CJK text, so positions still point at the original.
    return unicodedata.normalize("NFKC", text or "")


def find_hits(texts: dict[str, str], rules=None) -> list[Hit]:
    """Every occurrence of every active rule in ``texts`` (field label → plain text)."""
    from zhengtong.portal.models import WordingRule

    if rules is None:
        rules = list(WordingRule.objects.filter(is_active=True))
    hits = []
    for field, raw in texts.items():
        text = _normalise(raw)
        for rule in rules:
            phrase = _normalise(rule.phrase)
            if not phrase:
                continue
            start = text.find(phrase)
            while start != -1:
                hits.append(
                    Hit(
                        field=field,
                        position=start + 1,
                        phrase=rule.phrase,
                        kind=rule.get_kind_display(),
                        action=rule.action,
                        correct_form=rule.correct_form,
                        context=text[max(0, start - CONTEXT_CHARS) : start + len(phrase) + CONTEXT_CHARS],
                    )
                )
                start = text.find(phrase, start + len(phrase))
    hits.sort(key=lambda h: (h.field, h.position))
    return hits


def hits_for_page(page) -> list[Hit]:
    texts = page.wording_text() if hasattr(page, "wording_text") else {str(_("标题")): page.title}
    return find_hits(texts)


def _revision_under_review(page):
    state = page.current_workflow_task_state
    return state.revision if state else page.latest_revision


def pending_warnings(page) -> list[Hit]:
    """Warnings of the revision under review that no reviewer has confirmed yet."""
    from zhengtong.portal.models import WordingAcknowledgement

    revision = _revision_under_review(page)
    if revision is None:
        return []
    warnings = [h for h in hits_for_page(revision.as_object()) if h.action == "warn"]
    if warnings and WordingAcknowledgement.objects.filter(revision=revision).exists():
        return []
    return warnings


def acknowledge(revision, user) -> None:
    from zhengtong.portal.models import WordingAcknowledgement

    hits = [h.as_dict() for h in hits_for_page(revision.as_object()) if h.action == "warn"]
    WordingAcknowledgement.objects.create(revision=revision, user=user, hits=hits)
