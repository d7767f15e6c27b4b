"""Read-side queries for portal pages: home and section blocks, menus, routing and paging helpers.

Every publish empties the page cache, so these run on the first visit of every page afterwards and on every
staff visit. They keep the query count of a page small and independent of how many columns it lists: Django
spends far more time building SQL than SQLite spends running it, so one query over all columns is much
cheaper than one query per column.
"""

import functools
from collections.abc import Callable, Iterable
from typing import TypeVar

from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Count, Exists, F, OuterRef, QuerySet, Window
from django.db.models.functions import Length, RowNumber, Substr
from django.http import HttpRequest
from wagtail.models import Page, PageViewRestriction, get_page_models

from zhengtong.portal.models import PAGE_SIZE, ArticlePage, ColumnPage, DepartmentPage, SectionPage, TopicPage

HOME_ITEMS = 8

T = TypeVar("T")


# --- Shared building blocks ---------------------------------------------------


def public_filter() -> Exists:
    """Pages outside every restricted subtree: the rows Wagtail's ``.public()`` keeps, inside the same query.

    ``.public()`` first reads every view restriction (one query per call) to build its filter; a correlated
    subquery over the (small) restriction table keeps the filter inside the query it filters. A restriction
    on a page covers the page and its descendants, that is every page whose path starts with its path.
    """
    restricted = PageViewRestriction.objects.filter(page__path=Substr(OuterRef("path"), 1, Length("page__path")))
    return ~Exists(restricted)


def parent_path() -> Substr:
    """The tree path of a page's parent (a materialised path drops its last step)."""
    return Substr("path", 1, Length("path") - Page.steplen)


def per_request(request: HttpRequest | None, key: tuple, compute: Callable[[], T]) -> T:
    """``compute()`` once per request: the page, its template tags and its blocks ask for the same things."""
    if request is None:
        return compute()
    cache = request.__dict__.setdefault("_portal_queries", {})
    if key not in cache:
        cache[key] = compute()
    return cache[key]


@functools.cache
def _accessor_chain(model: type[Page]) -> tuple[str, ...]:
    """Accessors from a ``Page`` row to ``model``'s row (``("articlepage", "policypage")``; ``()`` for ``Page``)."""
    chain: list[str] = []
    current = model
    while current is not Page:
        ((parent, link),) = [(parent, link) for parent, link in current._meta.parents.items() if link]
        chain.insert(0, link.remote_field.get_accessor_name())
        current = parent
    return tuple(chain)


def with_specific_rows(queryset: QuerySet) -> QuerySet:
    """``queryset`` of ``Page`` joined to every page type's table, so that ``as_specific()`` needs no query."""
    chains = ["__".join(_accessor_chain(model)) for model in get_page_models() if model is not Page]
    return queryset.select_related(*chains)


def as_specific(page: Page) -> Page:
    """The specific instance of a page read through ``with_specific_rows()`` (Wagtail's ``.specific`` queries)."""
    model = page.specific_class
    if model is None or not issubclass(model, Page):
        return page.specific
    specific = page
    try:
        for accessor in _accessor_chain(model):
            specific = getattr(specific, accessor)
    except Page.DoesNotExist:
        return page.specific  # a row missing from its type's table: let Wagtail report it as it always has
    return specific


# --- Menus, breadcrumbs, routing ---------------------------------------------


def menu_pages(root: Page, request: HttpRequest | None = None) -> list[Page]:
    """The portal's live public pages shown in menus (main navigation; section tiles on the home page)."""
    return per_request(
        request,
        ("menu", root.pk),
        lambda: list(root.get_children().live().filter(public_filter()).in_menu()),
    )


def ancestors_within(page: Page, root: Page) -> list[Page]:
    """``page``'s ancestors from ``root`` down (breadcrumbs), read from the parents routing left on the page.

    Routing (``PrefetchedRouteMixin``) sets each page's parent on it; only a page that was not routed (a
    preview) needs the query.
    """
    ancestors, node = [], page
    while node.depth > root.depth:
        parent = node.__dict__.get("_cached_parent_obj")
        if parent is None:
            return list(Page.objects.ancestor_of(page).filter(depth__gte=root.depth).order_by("depth"))
        ancestors.append(parent)
        node = parent
    return ancestors[::-1]


def pages_on_path(page: Page, components: list[str]) -> dict[tuple[str, str], Page]:
    """Every page that could lie on ``components`` below ``page``, specific, keyed by (parent path, slug).

    One query for a whole URL instead of Wagtail's two per path segment (the child, then its specific row).
    """
    candidates = with_specific_rows(
        Page.objects.filter(
            path__startswith=page.path,
            depth__gt=page.depth,
            depth__lte=page.depth + len(components),
            slug__in=set(components),
        )
    )
    found: dict[tuple[str, str], Page] = {}
    for candidate in candidates:
        key = (candidate.path[: -Page.steplen], candidate.slug)
        if key in found:
            # Siblings sharing a slug: Wagtail's .get() fails on them; let it, rather than pick one.
            found[key] = None
        else:
            found[key] = as_specific(candidate)
    return found


# --- Paging -------------------------------------------------------------------


def paginate(request: HttpRequest, queryset: QuerySet, per_page: int = PAGE_SIZE) -> PaginatorPage:
    """The page of ``queryset`` named by ``?page=``, counted in the same query as its rows.

    Same result as ``Paginator(queryset, per_page).page(number)`` with bad numbers falling back to the first
    page and numbers out of range to the last, which needs a second query only when the number is out of range.
    """
    paginator = Paginator(queryset, per_page)
    raw = request.GET.get("page", 1)
    try:
        number = int(raw)
    except (TypeError, ValueError):
        number = 1
    if number >= 1:
        bottom = (number - 1) * per_page
        rows = list(queryset.annotate(total_rows=Window(Count("pk")))[bottom : bottom + per_page])
        if rows:
            # The Paginator would count the rows again: give it the total the window function returned.
            paginator.__dict__["count"] = rows[0].total_rows
            return PaginatorPage(rows, number, paginator)
    # Below 1, past the end, or nothing at all: the last page, as Paginator.page() falling back on EmptyPage.
    return paginator.page(paginator.num_pages)


# --- Blocks -------------------------------------------------------------------


# What an item list shows of each item (link, title, date; a picture list adds the cover image). Reading only
# these halves the cost of the block query: Django builds and fills every selected column twice over.
LISTED_PAGE_FIELDS = ["title", "url_path", "path", "depth", "content_type", "first_published_at"]
LISTED_ITEM_FIELDS = [*LISTED_PAGE_FIELDS, "latest_revision_created_at", "published_date", "cover_image"]


def _newest_children(model: type[Page], columns: list[ColumnPage], count: int, order: list) -> dict[str, list]:
    """The first ``count`` live public children of each column (by ``order``), in one query: parent path → items."""
    if not columns:
        return {}
    rows = model.objects.live().filter(public_filter())
    if model is ArticlePage:
        rows = rows.select_related("cover_image").only(*LISTED_ITEM_FIELDS)
    else:
        rows = rows.only(*LISTED_PAGE_FIELDS)
    if len(columns) == 1:
        # One column needs no ranking; the plain query is cheaper to build (a column of topics, a column page).
        (column,) = columns
        children = list(rows.child_of(column).order_by(*order)[:count])
        return {column.path: children} if children else {}
    rows = (
        rows.annotate(parent=parent_path())
        .filter(parent__in=[column.path for column in columns])
        .annotate(rank=Window(RowNumber(), partition_by=F("parent"), order_by=order))
        .filter(rank__lte=count)
        .order_by("parent", "rank")
    )
    found: dict[str, list] = {}
    for row in rows:
        found.setdefault(row.parent, []).append(row)
    return found


def latest_items_of(columns: Iterable[ColumnPage], count: int = HOME_ITEMS) -> dict[int, list]:
    """Newest items of each column (column pk → items); a column holding only topics (专题) lists its topics.

    The items of every column come from one query (a window function ranks each column's children), the
    topics of the columns without items from a second one.
    """
    columns = list(columns)
    newest_first = [F("published_date").desc(), F("pk").desc()]
    items = _newest_children(ArticlePage, columns, count, newest_first)
    empty = [column for column in columns if column.path not in items]
    topics = _newest_children(TopicPage, empty, count, [F("first_published_at").desc()])
    return {column.pk: items.get(column.path) or topics.get(column.path, []) for column in columns}


def latest_items(column: ColumnPage, count: int = HOME_ITEMS) -> list:
    """Newest items of a column; a column holding only topics (专题) lists its topics."""
    return latest_items_of([column], count)[column.pk]


def home_blocks(home: Page, request: HttpRequest | None = None) -> dict:
    """What the home page lists: top sections, news columns with their latest items, sub-sections."""
    section_type = ContentType.objects.get_for_model(SectionPage).pk
    sections = [page for page in menu_pages(home, request) if page.content_type_id == section_type]
    # Every department, live or not, hides its columns from the home page; live public ones are listed.
    departments = list(
        DepartmentPage.objects.descendant_of(home)
        .annotate(is_public=public_filter())
        .select_related("organisation")
        .only(*LISTED_PAGE_FIELDS, "live", "organisation__short_name")
        .order_by("path")
    )
    # Department columns are listed on their own sub-sections, not on the home page.
    all_columns = ColumnPage.objects.live().filter(public_filter()).descendant_of(home)
    columns = [
        column
        for column in all_columns.only(*LISTED_PAGE_FIELDS, "show_images").order_by("path")
        if not any(column.path.startswith(department.path) for department in departments)
    ]
    latest = latest_items_of(columns)
    blocks = [(column, latest[column.pk]) for column in columns]
    picture_column = next((column for column, _ in blocks if column.show_images), None)
    pictures = []
    if picture_column:
        pictures = [i for i in latest[picture_column.pk] if isinstance(i, ArticlePage) and i.cover_image_id]
    # Topics already listed by a column of topics (专题) are not repeated in the topics block.
    listed = {item.pk for _column, items in blocks for item in items}
    all_topics = TopicPage.objects.live().filter(public_filter()).descendant_of(home).only(*LISTED_PAGE_FIELDS)
    topics = [topic for topic in all_topics if topic.pk not in listed]
    return {
        "sections": sections,
        "column_blocks": [(c, items) for c, items in blocks if not c.show_images],
        "picture_column": picture_column,
        "pictures": pictures,
        "departments": [d for d in departments if d.live and d.is_public],
        "topics": topics,
    }


def section_blocks(section: Page) -> list[tuple[ColumnPage, list]]:
    """Columns directly under a section or sub-section with their latest items."""
    columns = list(ColumnPage.objects.live().filter(public_filter()).child_of(section))
    latest = latest_items_of(columns)
    return [(column, latest[column.pk]) for column in columns]


def site_items(site_root: Page):
    """Every live item of a portal, newest first (site RSS)."""
    return ArticlePage.objects.live().public().descendant_of(site_root).order_by("-published_date", "-pk")
