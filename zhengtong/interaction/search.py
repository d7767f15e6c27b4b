"""Published letters in the platform search, addressed at the mailbox page that lists them."""

from django.utils.translation import gettext as _

from zhengtong.casework.workflow import Event
from zhengtong.interaction.models import InteractionPage, Publication
from zhengtong.search.index import Indexable, index_document, remove_document


def page_for(publication: Publication) -> InteractionPage | None:
    """The live mailbox page that lists this letter (its channel and receiving organisation)."""
    case = publication.case
    received = case.events.filter(kind=Event.RECEIVED).order_by("at", "id").first()
    organisation_id = received.organisation_id if received else case.organisation_id
    return (
        InteractionPage.objects.live()
        .public()
        .filter(channel=case.kind, organisation_id=organisation_id)
        .order_by("path")
        .first()
    )


def index_publication(publication: Publication) -> bool:
    """Index a published letter (or remove it when it is not public); True when it is searchable."""
    page = page_for(publication) if publication.published else None
    site = page.get_site() if page is not None else None
    if page is None or site is None:
        remove_document(publication)
        return False
    url = page.get_url() + page.reverse_subpage("letter", args=[publication.pk])
    index_document(
        publication,
        Indexable(
            site_id=site.pk,
            url=url,
            title=publication.subject,
            text=f"{publication.content}\n{publication.reply}",
            kind=str(_("公开信件")),
            published_at=publication.published_at,
            path=page.path,
        ),
    )
    return True


def forget_publication(publication: Publication) -> None:
    remove_document(publication)
