"""Index numbers (索引号): format, per organisation and year, fixed after publication, never reused."""

import re
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.db import IntegrityError, transaction

from zhengtong.disclosure.models import DisclosureItemPage, IndexCounter
from zhengtong.disclosure.numbering import format_index_number
from zhengtong.disclosure.testing import draft_item, publish_item

pytestmark = pytest.mark.django_db
SHANGHAI = ZoneInfo("Asia/Shanghai")


def when(year, month, day):
    return datetime(year, month, day, 10, 0, tzinfo=SHANGHAI)


def test_format_is_configurable(settings):
    assert format_index_number("ABC", "05", 2026, 7) == "ABC-05-2026-00007"
    settings.ZT_DISCLOSURE_INDEX_FORMAT = "{prefix}/{year}-{sequence:04d}({category})"
    assert format_index_number("ABC", "05", 2026, 7) == "ABC/2026-0007(05)"


def test_draft_has_no_number_first_publish_gives_one(disclosure):
    item = draft_item(disclosure.county, "关于印发某方案的通知", "01", published_date=when(2026, 3, 5))
    assert item.index_number == ""
    item.save_revision().publish()
    item.refresh_from_db()
    # The office's prefix, the category code, the year of 发布日期, the first sequence of that year.
    assert item.index_number == "11652328010000000X-01-2026-00001"
    assert (item.index_year, item.index_sequence) == (2026, 1)


def test_sequence_per_organisation_and_year(disclosure, portal):
    a = publish_item(disclosure.county, "甲", "01", published_date=when(2026, 1, 5))
    b = publish_item(disclosure.county, "乙", "07", published_date=when(2026, 2, 5))
    c = publish_item(disclosure.county, "丙", "01", published_date=when(2025, 12, 30))
    d = publish_item(disclosure.department, "丁", "01", published_date=when(2026, 2, 6))
    assert a.index_number.endswith("-01-2026-00001")
    assert b.index_number.endswith("-07-2026-00002")
    assert c.index_number.endswith("-01-2025-00001")
    # The department has no office prefix entered: its 机关代字 stands in, and its own sequence starts at 1.
    assert d.index_number == f"{portal.department.code}-01-2026-00001"


def test_number_never_changes_after_publication(disclosure):
    item = publish_item(disclosure.county, "甲", "01", published_date=when(2026, 1, 5))
    number = item.index_number
    first_revision = item.latest_revision
    # A later revision in another category and year, then the old revision published again.
    item.title = "甲（修订）"
    item.category = type(item.category).objects.get(organisation=item.organisation, code="05")
    item.published_date = when(2027, 1, 1)
    item.save_revision().publish()
    item.refresh_from_db()
    assert item.index_number == number
    first_revision.publish()
    item.refresh_from_db()
    assert item.index_number == number
    item.unpublish()
    item.refresh_from_db()
    item.save_revision().publish()
    item.refresh_from_db()
    assert item.index_number == number


def test_deleted_numbers_are_not_reused(disclosure):
    a = publish_item(disclosure.county, "甲", published_date=when(2026, 1, 5))
    a.delete()
    b = publish_item(disclosure.county, "乙", published_date=when(2026, 1, 6))
    assert b.index_sequence == 2


def test_copy_gets_its_own_number(disclosure):
    a = publish_item(disclosure.county, "甲", published_date=when(2026, 1, 5))
    copy = a.copy(update_attrs={"slug": "jia-copy", "title": "甲（副本）"}, keep_live=False)
    copy = DisclosureItemPage.objects.get(pk=copy.pk)
    assert copy.index_number == ""
    copy.save_revision().publish()
    copy.refresh_from_db()
    assert copy.index_sequence == 2 and copy.index_number != a.index_number


def test_database_refuses_a_duplicate_sequence(disclosure):
    a = publish_item(disclosure.county, "甲", published_date=when(2026, 1, 5))
    b = publish_item(disclosure.county, "乙", published_date=when(2026, 1, 6))
    with pytest.raises(IntegrityError), transaction.atomic():
        DisclosureItemPage.objects.filter(pk=b.pk).update(index_sequence=a.index_sequence)


def test_counter_row_per_org_year(disclosure):
    publish_item(disclosure.county, "甲", published_date=when(2026, 1, 5))
    publish_item(disclosure.county, "乙", published_date=when(2026, 1, 6))
    assert IndexCounter.objects.get(organisation=disclosure.county.organisation, year=2026).last == 2
    assert re.fullmatch(r".+-01-2026-0000[12]", DisclosureItemPage.objects.first().index_number)


@pytest.mark.skipif(
    "postgresql" not in settings.DATABASES["default"]["ENGINE"],
    reason="SQLite serialises writers; the concurrent case is PostgreSQL's",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_publishes_get_different_numbers():
    """Four publications taking a number at the same moment from four connections (PostgreSQL: the row lock on
    the counter). The critical section alone: a page tree is not needed to show the lock works."""
    import threading

    from django.db import connections, transaction

    from zhengtong.core.models import Organisation
    from zhengtong.disclosure.numbering import next_sequence

    organisation = Organisation.objects.create(name="并发测试局", short_name="并发局", code="并发")
    barrier = threading.Barrier(4)
    numbers, errors = [], []

    def take():
        try:
            barrier.wait()
            with transaction.atomic():
                numbers.append(next_sequence(organisation.pk, 2026))
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=take) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(numbers) == [1, 2, 3, 4]
