"""Pages in search: what a page contributes, and keeping the index in step with publishing."""

from django.utils.html import strip_tags
from wagtail.models import Page, PageViewRestriction

from zhengtong.search.index import Indexable, content_type_of, index_document, index_documents, remove_document
from zhengtong.search.models import SearchDocument


def restricted_paths() -> list[str]:
    """Tree paths of pages with a view restriction (login, password, groups): they and all below are private."""
    return list(PageViewRestriction.objects.values_list("page__path", flat=True))


def page_values(page: Page, restricted: list[str] | None = None) -> Indexable | None:
    """What search stores for a live public page, or None when it must not be findable.

    ``restricted`` (from ``restricted_paths``) saves a query per page when many are indexed at once.
    """
    page = page.specific
    if not page.live:
        return None
    if restricted is None:
        private = page.get_view_restrictions().exists()
    else:
        private = any(page.path.startswith(path) for path in restricted)
    site = None if private else page.get_site()
    if private or site is None:
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
    """Bring many pages' search documents in line at once (an import, a rebuild); returns how many are searchable.

    The same result as ``update_page`` on each, in a few statements.
    """
    restricted = restricted_paths()
    searchable, gone = [], []
    for page in pages:
        values = page_values(page, restricted)
        if values is None:
            gone.append(str(page.pk))
        else:
            searchable.append((page, values))
    index_documents(searchable)
    if gone:
        SearchDocument.objects.filter(content_type=content_type_of(Page()), object_id__in=gone).delete()
    return len(searchable)
