import datetime as dt
import math

from django.shortcuts import render
from django.utils import timezone
from wagtail.models import Site

from zhengtong.portal.models import SectionPage
from zhengtong.search.forms import SearchForm
from zhengtong.search.models import SearchDocument
from zhengtong.search.query import Filters, SearchResults, search

PER_PAGE = 20


def day_start(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def day_end(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.max))


def filters_for(site: Site, section=None, kind="", date_from=None, date_to=None) -> Filters:
    """The query filters of the public page and the API, from their validated values."""
    return Filters(
        site_id=site.pk,
        path=section.path if section is not None else "",
        kind=kind or "",
        date_from=day_start(date_from) if date_from else None,
        date_to=day_end(date_to) if date_to else None,
    )


def site_sections(site: Site):
    return SectionPage.objects.live().public().child_of(site.root_page)


def site_kinds(site: Site) -> list[str]:
    return list(SearchDocument.objects.filter(site=site).values_list("kind", flat=True).distinct().order_by("kind"))


def search_page(request):
    """/search/?q=: the site's search page; works without JavaScript."""
    site = Site.find_for_request(request)
    sections = list(site_sections(site)) if site else []
    form = SearchForm(request.GET or None, sections=sections, kinds=site_kinds(site) if site else [])
    results, page_number, pages = SearchResults(total=0), 1, 0
    if site and form.is_valid() and form.cleaned_data["q"]:
        data = form.cleaned_data
        section = next((s for s in sections if s.pk == data["section"]), None)
        try:
            page_number = max(1, int(request.GET.get("page", 1)))
        except ValueError:
            page_number = 1
        filters = filters_for(site, section, data["type"], data["date_from"], data["date_to"])
        results = search(data["q"], filters, limit=PER_PAGE, offset=(page_number - 1) * PER_PAGE)
        pages = math.ceil(results.total / PER_PAGE)
        if page_number > pages > 0:
            page_number = pages
            results = search(data["q"], filters, limit=PER_PAGE, offset=(page_number - 1) * PER_PAGE)
    hits = [(d, results.snippet(d)) for d in results.documents]
    query_string = request.GET.copy()
    query_string.pop("page", None)
    return render(
        request,
        "search/search.html",
        {
            "form": form,
            "results": results,
            "hits": hits,
            "page_number": page_number,
            "pages": pages,
            "query_string": query_string.urlencode(),
            "searched": form.is_bound and form.is_valid() and bool(form.cleaned_data["q"]),
        },
    )
