"""Pages in search: what a page contributes, and keeping the index in step with publishing."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from django.utils.html import strip_tags
from wagtail.models import Page, PageViewRestriction, Site

from zhengtong.search.index import Indexable, content_type_of, index_document, index_documents, remove_document
from zhengtong.search.models import SearchDocument


def restricted_paths() -> list[str]:
    """Tree paths of pages with a view restriction (login, password, groups): they and all below are private."""
    return list(PageViewRestriction.objects.values_list("page__path", flat=True))


@dataclass
class SiteRoots:
    """Every site and Wagtail's site root paths, read once to address many pages.

    Wagtail reads the root paths from Django's cache for each page it addresses (a file read and an
    unpickling on an install without Redis) and ``Page.get_site()`` then loads the site with a query.
    An object with ``_wagtail_cached_site_root_paths`` is what ``Page.get_url_parts(request=…)``
    takes as its cache, so Wagtail's own code still decides which site a page belongs to.
    """

    _wagtail_cached_site_root_paths: list = field(default_factory=Site.get_site_root_paths)
    sites: dict[int, Site] = field(default_factory=lambda: Site.objects.in_bulk())

    @property
    def several_sites(self) -> bool:
        # As Page.get_url: with one site a page's URL is local, with several it has the site's root URL.
        return len({root[0] for root in self._wagtail_cached_site_root_paths}) > 1


def site_and_url(page: Page, roots: SiteRoots | None = None) -> tuple[Site | None, str | None]:
    """``(page.get_site(), page.get_url())``, with the sites read from ``roots`` when given."""
    addressing = type(page)
    if roots is None or addressing.get_url_parts is not Page.get_url_parts or addressing.get_url is not Page.get_url:
        return page.get_site(), page.get_url()  # a page type with its own routing answers for itself
    parts = page.get_url_parts(request=roots)
    if parts is None:
        return None, None
    site_id, root_url, page_path = parts
    site = roots.sites.get(site_id)
    if root_url is None and page_path is None:
        return site, None  # not routable
    return site, root_url + page_path if roots.several_sites else page_path


# An ordinary tag: a known name, attributes with plain or quoted values holding no angle brackets.
_ORDINARY_TAG = re.compile(
    r"""</?(?:p|br|hr|h[1-6]|strong|b|em|i|u|s|sub|sup|span|div|ul|ol|li|blockquote|table|thead|tbody|tfoot"""
    r"""|tr|th|td|caption|a|img|code|pre|font|center)"""
    r"""(?:\s+[a-zA-Z_:][-a-zA-Z0-9_:.]*(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'=<>`]+))?)*\s*/?>""",
    re.IGNORECASE,
)
# A complete entity or character reference, which Django's strip_tags passes through unchanged.
_REFERENCE = re.compile(r"&(?:[a-zA-Z][-.a-zA-Z0-9]*|#[0-9]+|#[xX][0-9a-fA-F]+);")


def text_of(html: str) -> str:
    """``django.utils.html.strip_tags(html)``, without its HTML parser for ordinary markup.

    Stored rich text is nearly always ordinary tags around text; removing those is many times faster
    than parsing. Anything else (a comment, a stray ``<`` or ``&``, a script or other raw-text
    element, a ``>`` in an attribute) goes to ``strip_tags``, whose output this always equals.
    """
    if "<" not in html or ">" not in html:
        return html  # as strip_tags: nothing it would parse
    stripped, tags = _ORDINARY_TAG.subn("", html)
    if tags != html.count("<") or ("&" in html and len(_REFERENCE.findall(html)) != html.count("&")):
        return strip_tags(html)
    return stripped


def page_values(page: Page, restricted: list[str] | None = None, roots: SiteRoots | None = None) -> Indexable | None:
    """What search stores for a live public page, or None when it must not be findable.

    ``restricted`` (from ``restricted_paths``) and ``roots`` save queries and cache reads per page
    when many are indexed at once.
    """
    page = page.specific
    if not page.live:
        return None
    if restricted is None:
        private = page.get_view_restrictions().exists()
    else:
        private = any(page.path.startswith(path) for path in restricted)
    if private:
        return None
    site, url = site_and_url(page, roots)
    if site is None:
        return None
    if page.alias_of_id:
        return None  # an accepted submission (报送) is the original again: one result, at the original
    # Plain fields as they are; rich text (and intros, rich on topics) without their tags.
    parts = [getattr(page, name, "") or "" for name in ("summary", "document_number", "index_number")]
    for name in ("intro", "body", "duties"):
        value = getattr(page, name, "")
        if value:
            parts.append(text_of(str(value)))
    date = getattr(page, "display_date", None) or page.first_published_at
    return Indexable(
        site_id=site.pk,
        url=url,
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
    roots = SiteRoots()
    searchable, gone = [], []
    for page in pages:
        values = page_values(page, restricted, roots)
        if values is None:
            gone.append(str(page.pk))
        else:
            searchable.append((page, values))
    index_documents(searchable)
    if gone:
        SearchDocument.objects.filter(content_type=content_type_of(Page()), object_id__in=gone).delete()
    return len(searchable)
