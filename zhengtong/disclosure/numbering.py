"""Index numbers (索引号): "prefix–category code–year–sequence", unique per organisation and year.

The format is the setting ``ZT_DISCLOSURE_INDEX_FORMAT`` (default ``{prefix}-{category}-{year}-{sequence:05d}``),
with the fields ``prefix`` (the disclosure office's index prefix, else the organisation's 机关代字), ``category``
(the category code), ``year`` and ``sequence``. A number is given when an item is first published, in the same
transaction, and is kept for good: later revisions, unpublishing and republishing keep it; a deleted item's
number is not given out again, because the counter only counts up.

Concurrency: the counter row of (organisation, year) is locked (``SELECT … FOR UPDATE`` on PostgreSQL; SQLite
allows one writer at a time), so two items published at once get different sequences; the unique constraints
on the item table are the last line of defence.
"""

from django.conf import settings
from django.db import transaction
from django.utils import timezone

DEFAULT_FORMAT = "{prefix}-{category}-{year}-{sequence:05d}"


def index_format() -> str:
    return getattr(settings, "ZT_DISCLOSURE_INDEX_FORMAT", DEFAULT_FORMAT)


def format_index_number(prefix: str, category: str, year: int, sequence: int, fmt: str | None = None) -> str:
    """The index number from its parts, in the configured format."""
    return (fmt or index_format()).format(prefix=prefix, category=category, year=year, sequence=sequence)


def prefix_for(organisation) -> str:
    """The disclosure office's index prefix, or the organisation's 机关代字 when none is entered."""
    from zhengtong.disclosure.models import DisclosureOffice

    prefix = DisclosureOffice.objects.filter(organisation=organisation).values_list("index_prefix", flat=True).first()
    return prefix or organisation.code


def next_sequence(organisation_id: int, year: int) -> int:
    """Take the next sequence of (organisation, year); call inside a transaction."""
    from zhengtong.disclosure.models import IndexCounter

    IndexCounter.objects.bulk_create(
        [IndexCounter(organisation_id=organisation_id, year=year, last=0)], ignore_conflicts=True
    )
    counter = IndexCounter.objects.select_for_update().get(organisation_id=organisation_id, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def number_year(page) -> int:
    """The year an item's number belongs to: of its 发布日期 when given, else of today."""
    moment = page.published_date or page.first_published_at or timezone.now()
    return timezone.localtime(moment).year


@transaction.atomic
def assign_index_number(page) -> None:
    """Give ``page`` (a DisclosureItemPage about to be saved live) its index number, unless it has one."""
    from zhengtong.disclosure.models import DisclosureItemPage

    if page.pk:
        stored = DisclosureItemPage.objects.filter(pk=page.pk).values("index_number", "index_year", "index_sequence")
        row = stored.first()
        if row and row["index_number"]:
            # Another save already numbered it (a concurrent publish of the same item): keep that number.
            page.index_number, page.index_year, page.index_sequence = (
                row["index_number"],
                row["index_year"],
                row["index_sequence"],
            )
            return
    year = number_year(page)
    sequence = next_sequence(page.organisation_id, year)
    page.index_year = year
    page.index_sequence = sequence
    page.index_number = format_index_number(prefix_for(page.organisation), page.category.code, year, sequence)
