"""Table 三 from hand-built applications; the invariant; tables 二 and 四 from entered figures."""

from datetime import date
from decimal import Decimal

import pytest

from zhengtong.casework import services as casework
from zhengtong.casework.workflow import Event
from zhengtong.disclosure_report import tables
from zhengtong.disclosure_report.models import AnnualReport
from zhengtong.disclosure_report.tables import CaseFacts, count_table_three, invariant_failures

from .conftest import YEAR, apply, row

pytestmark = pytest.mark.django_db


def nonzero(cells: dict) -> dict:
    return {key: values for key, values in cells.items() if values["total"]}


def test_table_three_of_a_department_counted_by_hand(education, applications):
    three = tables.table_three(education, YEAR)
    assert nonzero(three.cells) == {
        tables.RECEIVED: row(natural=2, commercial=1, research=1, legal_service=1, other=1),
        tables.CARRIED_IN: row(natural=2),
        "public": row(natural=1),
        "partial": row(commercial=1),
        "refuse.third_party": row(legal_service=1),
        "unavailable.not_held": row(natural=1),
        "other.other": row(research=1),
        tables.CONCLUDED: row(natural=2, commercial=1, research=1, legal_service=1),
        tables.CARRIED_OUT: row(natural=2, other=1),
    }
    assert three.broken_columns() == [] and three.unclassified == []


def test_table_three_takes_two_queries_however_many_applications(education, applications, django_assert_num_queries):
    with django_assert_num_queries(2):  # the applications with their applicants, and their organisation events
        tables.table_three(education, YEAR)


def test_the_next_year_carries_over_what_was_open(education, applications):
    three = tables.table_three(education, YEAR + 1)
    assert three.cells[tables.CARRIED_IN] == row(natural=2, other=1)
    assert three.cells["not_processed.repeat"] == row(other=1)
    assert three.cells[tables.CARRIED_OUT] == row(natural=2)
    assert three.cells[tables.RECEIVED] == row()


def test_the_county_government_counts_only_its_own_applications(county, housing, applications):
    assert nonzero(tables.table_three(county, YEAR).cells) == {
        tables.RECEIVED: row(commercial=1),
        "public": row(commercial=1),
        tables.CONCLUDED: row(commercial=1),
    }
    # Housing keeps its own open case; the one it transferred to education is not its figure.
    assert nonzero(tables.table_three(housing, YEAR).cells) == {
        tables.RECEIVED: row(natural=1),
        tables.CARRIED_OUT: row(natural=1),
    }


def test_a_case_transferred_after_new_year_stays_with_the_organisation_of_31_december(education, housing):
    case = apply(housing, date(YEAR, 12, 10))
    casework.record_event(case, Event.ACCEPTED, day=date(YEAR, 12, 10))
    casework.record_event(case, Event.TRANSFERRED, day=date(YEAR + 1, 1, 6), organisation=education)
    assert tables.table_three(housing, YEAR).cells[tables.CARRIED_OUT]["total"] == 1
    assert tables.table_three(education, YEAR).cells[tables.CARRIED_OUT]["total"] == 0
    assert tables.table_three(education, YEAR + 1).cells[tables.CARRIED_IN]["total"] == 1
    assert tables.table_three(housing, YEAR + 1).cells[tables.CARRIED_IN]["total"] == 0


def test_a_concluded_case_without_a_table_outcome_breaks_the_invariant(education):
    case = apply(education, date(YEAR, 3, 2), "charity")
    casework.record_event(case, Event.REJECTED, day=date(YEAR, 3, 3))  # stored outcome "rejected": no table row
    three = tables.table_three(education, YEAR)
    assert three.unclassified == [case.pk]
    assert three.broken_columns() == ["charity", "total"]


def test_count_on_plain_values_and_the_invariant_function():
    facts = [
        CaseFacts("natural", date(YEAR - 1, 12, 28), date(YEAR, 1, 4), "public"),
        CaseFacts("natural", date(YEAR, 2, 1), None, ""),
        CaseFacts("research", date(YEAR, 2, 1), date(YEAR, 2, 9), "withdrawn"),
        CaseFacts("unknown-kind", date(YEAR, 3, 1), date(YEAR, 3, 9), "refuse.secret"),
        CaseFacts("natural", date(YEAR + 1, 1, 2), None, ""),  # next year's
    ]
    cells = count_table_three(facts, YEAR)
    assert cells[tables.RECEIVED] == row(natural=1, research=1, other=1)
    assert cells["other.other"] == row(research=1)
    assert cells["refuse.secret"] == row(other=1)
    assert invariant_failures(cells) == []
    cells[tables.CARRIED_OUT]["natural"] += 1
    assert invariant_failures(cells) == ["natural"]


def test_table_two_merges_derived_over_entered(education, monkeypatch):
    report = AnnualReport.objects.create(
        organisation=education, year=YEAR, rules_in_force=3, normative_made=2, fee_amount=Decimal("12.5")
    )
    assert tables.table_two(report)["normative_made"] == 2
    monkeypatch.setattr(tables, "derived_table_two", lambda org, year: {"normative_made": 7})
    two = tables.table_two(report)
    assert two["normative_made"] == 7 and two["rules_in_force"] == 3 and two["fee_amount"] == Decimal("12.5")


def test_table_four_totals(education):
    report = AnnualReport(organisation=education, year=YEAR, review_upheld=2, review_corrected=1, review_pending=1)
    report.litigation_after_review_other = 4
    four = tables.table_four(report)
    assert four["review"] == {"upheld": 2, "corrected": 1, "other": 0, "pending": 1, "total": 4}
    assert four["litigation_after_review"]["total"] == 4 and four["litigation_direct"]["total"] == 0
    assert tables.table_four_failures(four) == []
    four["review"]["total"] = 5
    assert tables.table_four_failures(four) == ["review"]


def test_an_application_entered_without_applicant_details_counts_as_a_natural_person(education):
    casework.submit(
        "disclosure", subject="来电申请", content="……", organisation=education, received_on=date(YEAR, 5, 5)
    )
    assert tables.table_three(education, YEAR).cells[tables.RECEIVED] == row(natural=1)
