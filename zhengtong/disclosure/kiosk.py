"""Kiosk mode for the 政府信息公开查阅点 (public access points): a touch screen in the hall, library or archives.

Under ``/kiosk/``: the organisations' catalogs as large tiles, the items, and search limited to disclosure items.
No header or footer links out; links in an item's text that lead anywhere but to its attachments or to other
kiosk pages become plain text; every page but the start page goes back to the start after
``ZT_KIOSK_IDLE_SECONDS`` of inactivity with ``<meta http-equiv="refresh">`` (no JavaScript needed).

The pages are the same for every visitor and carry no cookies, so the anonymous page cache keeps them like any
other public page (a search with ``?q=`` is not cached, like the site's search).
"""

import math
import re
from urllib.parse import urlsplit

from django.conf import settings
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.utils.html import escape
from django.utils.safestring import mark_safe
from wagtail.models import Site
from wagtail.rich_text import expand_db_html

from zhengtong.disclosure.views import catalog_context
from zhengtong.portal.queries import paginate, public_filter

SEARCH_PER_PAGE = 10
_LINK = re.compile(r"<a\b([^>]*)>(.*?)</a>", re.IGNORECASE | re.DOTALL)
_HREF = re.compile(r"""\bhref\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)


def idle_seconds() -> int:
    return getattr(settings, "ZT_KIOSK_IDLE_SECONDS", 120)


def allowed_in_kiosk(href: str) -> bool:
    """Whether a link may stay clickable on a kiosk: same-site attachments and kiosk pages only."""
    parts = urlsplit(href.strip())
    if parts.scheme or parts.netloc or href.strip().startswith("//"):
        return False
    return parts.path.startswith(("/kiosk/", "/documents/"))


def kiosk_html(html: str) -> str:
    """Rich text for a kiosk: every link that would leave the kiosk (another host, another page) is plain text."""

    def replace(match: re.Match) -> str:
        href = _HREF.search(match.group(1))
        if href and allowed_in_kiosk(href.group(2)):
            return match.group(0)
        return f'<span class="kiosk-unlinked">{match.group(2)}</span>'

    return _LINK.sub(replace, html)


def sections_of(site: Site | None):
    from zhengtong.disclosure.models import DisclosureSectionPage

    if site is None:
        return DisclosureSectionPage.objects.none()
    return (
        DisclosureSectionPage.objects.live()
        .filter(public_filter())
        .descendant_of(site.root_page)
        .select_related("organisation")
        .order_by("organisation__sort_order", "organisation__name")
    )


def _site(request):
    return Site.find_for_request(request)


def _context(request, **extra) -> dict:
    site = _site(request)
    return {"site_name": site.site_name if site else "", "idle_seconds": idle_seconds(), **extra}


def start(request):
    """The start page: every organisation's catalog as a tile, and the search box."""
    sections = list(sections_of(_site(request)))
    return render(request, "disclosure/kiosk/start.html", _context(request, sections=sections, is_start=True))


def _section(request, section_id: int):
    return get_object_or_404(sections_of(_site(request)), pk=section_id)


def section(request, section_id: int):
    """One organisation's catalog: the category browser (tiles) and the items, filtered by ?category=."""
    page = _section(request, section_id)
    context = catalog_context(page, request.GET)
    context["items"] = paginate(request, context.pop("items_query"), per_page=10)
    return render(request, "disclosure/kiosk/section.html", _context(request, section=page, **context))


def item(request, item_id: int):
    page = get_object_or_404(public_items_of_site(request), pk=item_id)
    section_page = page.get_parent().specific
    body = mark_safe(kiosk_html(expand_db_html(page.body or "")))  # noqa: S308  # nosec B308 B703 - sanitised rich text, links only removed
    return render(
        request,
        "disclosure/kiosk/item.html",
        _context(request, page=page, section=section_page, body=body, attachments=page.attachment_list()),
    )


def public_items_of_site(request):
    from zhengtong.disclosure.models import DisclosureItemPage

    site = _site(request)
    if site is None:
        raise Http404
    return (
        DisclosureItemPage.objects.live()
        .filter(public_filter())
        .descendant_of(site.root_page)
        .select_related("category", "organisation")
    )


def search(request):
    """Search among disclosure items only; results open as kiosk pages."""
    from zhengtong.disclosure.models import DisclosureItemPage
    from zhengtong.search.query import Filters
    from zhengtong.search.query import search as run_search

    site = _site(request)
    query = request.GET.get("q", "").strip()[:100]
    hits, total, number, pages = [], 0, 1, 0
    if site and query:
        try:
            number = max(1, int(request.GET.get("page", 1)))
        except ValueError:
            number = 1
        filters = Filters(site_id=site.pk, kind=str(DisclosureItemPage._meta.verbose_name))
        results = run_search(query, filters, limit=SEARCH_PER_PAGE, offset=(number - 1) * SEARCH_PER_PAGE)
        total = results.total
        pages = math.ceil(total / SEARCH_PER_PAGE)
        ids = [int(d.object_id) for d in results.documents if d.object_id.isdigit()]
        found = public_items_of_site(request).in_bulk(ids)
        hits = [(found[int(d.object_id)], results.snippet(d)) for d in results.documents if int(d.object_id) in found]
    return render(
        request,
        "disclosure/kiosk/search.html",
        _context(request, q=query, hits=hits, total=total, number=number, pages=pages, escaped_q=escape(query)),
    )
