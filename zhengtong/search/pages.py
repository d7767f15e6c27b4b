"""Pages in search: what a page contributes, and keeping the index in step with publishing."""

from django.utils.html import strip_tags
from wagtail.models import Page

from zhengtong.search.index import Indexable, index_document, remove_document


def page_values(page: Page) -> Indexable | None:
    """What search stores for a live public page, or None when it must not be findable."""
    page = page.specific
    site = page.get_site()
    if not page.live or site is None or page.get_view_restrictions().exists():
        return None
    if page.alias_of_id:
        return None  # an accepted submission (报送) is the original again: one result, at the original
    # Plain fields as they are; rich text (and intros, rich on topics) without their tags.
    parts = [getattr(page, name, "") or "" for name in ("summary", "document_number")]
    for name in ("intro", "body", "duties"):
        value = getattr(page, name, "")
        if value:
            parts.append(strip_tags(str(value)))
    date = getattr(page, "display_date", None) or page.first_published_at
    return Indexable(
        site_id=site.pk,
        url=page.get_url(),
        title=page.title,
        text="\n".join(p for p in parts if p),
        kind=str(page.specific_class._meta.verbose_name),
        published_at=date,
        path=page.path,
        source_id=getattr(page, "source_id", "") or "",
    )


def update_page(page: Page) -> bool:
    """Bring the page's search document in line with its current state; True when it is searchable."""
    values = page_values(page)
    if values is None:
        remove_document(page)
        return False
    index_document(page, values)
    return True


def update_pages(pages: list[Page]) -> int:
    """Bring many pages' search documents in line at once (an import); returns how many are searchable.

    The same result as ``update_page`` on each, for callers that write pages in bulk and
    index them afterwards in the same transaction.
    """
    return sum(update_page(page) for page in pages)
