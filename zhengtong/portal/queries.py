"""Read-side queries for portal pages (home and section blocks)."""

from wagtail.models import Page

from zhengtong.portal.models import ArticlePage, ColumnPage, DepartmentPage, SectionPage, TopicPage

HOME_ITEMS = 8


def latest_items(column: ColumnPage, count: int = HOME_ITEMS):
    """Newest items of a column; a column holding only topics (专题) lists its topics."""
    items = list(column.items()[:count])
    if not items:
        items = list(TopicPage.objects.live().public().child_of(column).order_by("-first_published_at")[:count])
    return items


def home_blocks(home: Page) -> dict:
    """What the home page lists: top sections, news columns with their latest items, sub-sections."""
    sections = SectionPage.objects.live().public().child_of(home).in_menu()
    columns = ColumnPage.objects.live().public().descendant_of(home)
    # Department columns are listed on their own sub-sections, not on the home page.
    for department in DepartmentPage.objects.descendant_of(home).only("path"):
        columns = columns.exclude(path__startswith=department.path)
    blocks = [(column, latest_items(column)) for column in columns.order_by("path")]
    picture_column = next((c for c, _ in blocks if c.show_images), None)
    pictures = []
    if picture_column:
        pictures = [i for i in picture_column.items()[:HOME_ITEMS] if i.cover_image_id]
    # Topics already listed by a column of topics (专题) are not repeated in the topics block.
    listed = {item.pk for _column, items in blocks for item in items}
    topics = [t for t in TopicPage.objects.live().public().descendant_of(home) if t.pk not in listed]
    return {
        "sections": sections,
        "column_blocks": [(c, items) for c, items in blocks if not c.show_images],
        "picture_column": picture_column,
        "pictures": pictures,
        "departments": DepartmentPage.objects.live().public().descendant_of(home).select_related("organisation"),
        "topics": topics,
    }


def section_blocks(section: Page):
    """Columns directly under a section or sub-section with their latest items."""
    columns = ColumnPage.objects.live().public().child_of(section)
    return [(column, latest_items(column)) for column in columns]


def site_items(site_root: Page):
    """Every live item of a portal, newest first (site RSS)."""
    return ArticlePage.objects.live().public().descendant_of(site_root).order_by("-published_date", "-pk")
