"""Rules of the interaction channels that pages, the admin and the API share: rating, reopening, publication."""

from dataclasses import dataclass, field
from datetime import date

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.audit.services import record as audit
from zhengtong.casework import services
from zhengtong.casework.kinds import get_kind
from zhengtong.casework.models import Applicant, Case, CaseEvent
from zhengtong.casework.workflow import Event, Rating, Status, TransitionError
from zhengtong.interaction.models import Publication
from zhengtong.privacy.masking import mask_in_text, mask_name

WRITER = "来信人"  # actor label of events the writer records (kept untranslated: it is stored)


class InteractionError(ValueError):
    """A request the rules refuse; the message says why, in Chinese, for the page or the API."""


# --- Which letters belong to a page ---------------------------------------------------------------


def received_by(cases: QuerySet[Case], kind: str, organisation_id: int) -> QuerySet[Case]:
    """Cases of ``kind`` that were received by ``organisation_id`` (the mailbox they were written to).

    The receiving organisation is the one on the receipt event: a letter to the county magistrate that is
    transferred to a department still belongs to the magistrate's mailbox in its list and figures.
    """
    return cases.filter(kind=kind, events__kind=Event.RECEIVED, events__organisation_id=organisation_id).distinct()


def published_letters(kind: str, organisation_id: int, query: str = "") -> QuerySet[Publication]:
    """Published letters of a mailbox: consent given AND staff published; ``query`` searches the public texts."""
    cases = received_by(Case.objects.all(), kind, organisation_id)
    letters = Publication.objects.filter(published=True, case__publish_consent=True, case__in=cases)
    if query:
        from django.db.models import Q

        letters = letters.filter(Q(subject__contains=query) | Q(content__contains=query) | Q(reply__contains=query))
    return letters.select_related("case", "case__organisation", "case__applicant").order_by("-published_at", "-pk")


# --- What the writer sees ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Reply:
    text: str
    day: date
    office: str
    files: list = field(default_factory=list)  # (name, signed download URL, size) of the reply's attachments


def public_files(event: CaseEvent) -> list[tuple[str, str, int]]:
    """The applicant's downloads of a public event: fresh signed links (casework.attachments), never file paths."""
    from zhengtong.casework.attachments import public_download_url

    if not event.public:
        return []
    return [(a.original_name, public_download_url(a), a.size) for a in event.attachments.all()]


def latest_reply(case: Case) -> Reply | None:
    """The reply that went out last (after a reopening, the new one), with its date and office."""
    event = case.events.filter(kind=Event.REPLIED).order_by("-at", "-id").first()
    if event is None or case.replied_on is None:
        return None
    return Reply(text=event.note, day=event.day, office=case.organisation.name, files=public_files(event))


def public_timeline(case: Case) -> list[CaseEvent]:
    """The events the applicant sees, each with ``files``: its attachments as signed download links."""
    events = list(case.events.filter(public=True).prefetch_related("attachments").order_by("at", "id"))
    for event in events:
        event.files = public_files(event)
    return events


def status_label(case: Case) -> str:
    kind = get_kind(case.kind)
    return str(kind.status_labels.get(case.status, Status.LABELS.get(case.status, case.status)))


def can_rate(case: Case) -> bool:
    return case.replied_on is not None and not case.rating


def can_reopen(case: Case) -> bool:
    """The writer may ask for the letter to be handled again: answered, rated 不满意, reopenings left."""
    return (
        case.status in (Status.REPLIED, Status.CLOSED)
        and case.replied_on is not None
        and case.rating == Rating.NOT_SATISFIED
        and case.reopened < get_kind(case.kind).reopen_limit
    )


def rate(case: Case, rating: str, *, comment: str = "", reopen: bool = False, reason: str = "") -> None:
    """The writer rates the reply and, when not satisfied, may ask once for it to be handled again.

    Raises ``InteractionError`` (Chinese message) and stores nothing when the rules refuse.
    """
    if rating not in Rating.LABELS:
        raise InteractionError(_("请选择“满意”“基本满意”或“不满意”。"))
    if case.replied_on is None:
        raise InteractionError(_("答复之后才能评价。"))
    if case.rating:
        raise InteractionError(_("这次答复已经评价过了。"))
    if reopen and rating != Rating.NOT_SATISFIED:
        raise InteractionError(_("只有对答复不满意时才能申请重新办理。"))
    if reopen and case.reopened >= get_kind(case.kind).reopen_limit:
        raise InteractionError(_("这件来信已经重新办理过，不能再次申请。如仍有异议，可以另写一封信。"))
    if reopen and not reason.strip():
        raise InteractionError(_("请写明不满意的原因，承办单位会据此重新办理。"))
    try:
        with transaction.atomic():
            services.record_event(case, Event.RATED, actor_label=WRITER, rating=rating, note=comment.strip())
            if reopen:
                services.record_event(case, Event.REOPENED, actor_label=WRITER, note=reason.strip())
    except TransitionError as error:
        raise InteractionError(str(error)) from None


def reopen(case: Case, reason: str) -> None:
    """The writer, having rated the reply 不满意, asks once for the letter to be handled again."""
    if not can_reopen(case):
        if case.reopened >= get_kind(case.kind).reopen_limit:
            raise InteractionError(_("这件来信已经重新办理过，不能再次申请。如仍有异议，可以另写一封信。"))
        raise InteractionError(_("对答复评价为“不满意”之后才能申请重新办理。"))
    if not reason.strip():
        raise InteractionError(_("请写明不满意的原因，承办单位会据此重新办理。"))
    try:
        services.record_event(case, Event.REOPENED, actor_label=WRITER, note=reason.strip())
    except TransitionError as error:
        raise InteractionError(str(error)) from None


# --- Publication -------------------------------------------------------------------------------------


def publication_refusal(case: Case) -> str:
    """Why ``case`` cannot be published now ("" when it can)."""
    if not case.publish_consent:
        return _("来信人没有同意公开，这件来信不能公开。")
    if case.replied_on is None:
        return _("答复之后才能公开。")
    return ""


def draft_publication(case: Case) -> Publication:
    """The case's publication, or a new unsaved one prefilled with the originals, personal data masked."""
    existing = Publication.objects.filter(case=case).first()
    if existing is not None:
        return existing
    reply = latest_reply(case)
    return Publication(
        case=case,
        subject=mask_in_text(case.subject),
        content=mask_in_text(case.content),
        reply=mask_in_text(reply.text if reply else ""),
    )


def publish(case: Case, *, subject: str, content: str, reply: str, actor) -> Publication:
    """Publish (or update the published version of) a letter; refused without consent or reply. Audited."""
    refusal = publication_refusal(case)
    if refusal:
        raise InteractionError(refusal)
    with transaction.atomic():
        publication = Publication.objects.select_for_update().filter(case=case).first() or Publication(case=case)
        first = not publication.published
        publication.subject, publication.content, publication.reply = subject, content, reply
        publication.published = True
        if first:
            publication.published_at = timezone.now()
            publication.published_by = actor
        publication.save()
        audit("interaction.publish", actor=actor, obj=case, detail={"publication": publication.pk, "first": first})
    from zhengtong.interaction.search import index_publication

    index_publication(publication)
    return publication


def unpublish(case: Case, *, actor) -> Publication | None:
    """Take a letter out of the public list (the public version is kept for a later publication). Audited."""
    with transaction.atomic():
        publication = Publication.objects.select_for_update().filter(case=case, published=True).first()
        if publication is None:
            return None
        publication.published = False
        publication.save(update_fields=["published", "updated_at"])
        audit("interaction.unpublish", actor=actor, obj=case, detail={"publication": publication.pk})
    from zhengtong.interaction.search import forget_publication

    forget_publication(publication)
    return publication


def writer_label(case: Case) -> str:
    """The writer as the public list shows them: 张某 for a person, the kind for an organisation."""
    applicant = getattr(case, "applicant", None)
    if applicant is None:
        return _("网民")
    if applicant.kind != Applicant.Kind.NATURAL:
        return str(applicant.get_kind_display())
    return mask_name(applicant.name.reveal()) if applicant.name else _("网民")
