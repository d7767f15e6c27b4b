"""The figures of the annual report's tables 二, 三 and 四, as plain values.

The template is 国办公开办函〔2021〕30号 (DOMAIN.md §2). Table 三 is computed from the disclosure applications
(cases of kind ``disclosure`` on the casework kernel); tables 二 and 四 are entered by the office (table 二 may
later be partly derived from the disclosure catalog: ``derived_table_two``). Row and column keys here are stable
codes; ``output.py`` turns them into the template's words.

Which organisation a case counts for (one organisation per case and year, so every report's invariant can hold):
the organisation responsible for the case when it leaves the year's table — at its conclusion when it is
concluded in the year, else on 31 December. A case transferred (转办) from A to B in the year therefore counts
wholly for B (received, carried over, concluded or carried into next year), never half for each. The one place
this shows across years: a case A carried into next year and transferred to B next year appears in A's 四 of
the earlier year and in B's 二 of the later one; the per-report invariant still holds for both.

"The county government's report aggregates its own figures" (issue #6): a report counts the cases of its own
organisation only, never those of the departments or townships below it — each of them reports its own.
"""

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from zhengtong.disclosure_requests import outcomes

# Table 三's applicant columns, in the template's order; the keys are ``casework.models.Applicant.Kind`` values.
APPLICANT_COLUMNS = ["natural", "commercial", "research", "charity", "legal_service", "other"]
TOTAL = "total"
COLUMNS = [*APPLICANT_COLUMNS, TOTAL]

# Table 三's rows: 一, 二, each outcome of 三, 三(七), 四.
RECEIVED = "received"  # 一、本年新收
CARRIED_IN = "carried_in"  # 二、上年结转
CONCLUDED = "concluded"  # 三（七）总计
CARRIED_OUT = "carried_out"  # 四、结转下年度继续办理
OUTCOME_ROWS = [outcome.code for outcome in outcomes.OUTCOMES]
ROWS = [RECEIVED, CARRIED_IN, *OUTCOME_ROWS, CONCLUDED, CARRIED_OUT]

# The kernel stores "withdrawn" when a withdrawal carries no outcome code of its own.
WITHDRAWN_EVENT_OUTCOME = "withdrawn"


@dataclass(frozen=True)
class CaseFacts:
    """What table 三 needs of one application."""

    applicant_kind: str
    received_on: date
    concluded_on: date | None  # the reply, or the closure (withdrawal …) when there was no reply
    outcome: str  # an ``outcomes`` code, or "" while open


@dataclass
class TableThree:
    cells: dict[str, dict[str, int]]
    # Applications concluded in the year without a known outcome code: they break the invariant until fixed.
    unclassified: list[int] = field(default_factory=list)

    def broken_columns(self) -> list[str]:
        return invariant_failures(self.cells)


def empty_cells() -> dict[str, dict[str, int]]:
    return {row: dict.fromkeys(COLUMNS, 0) for row in ROWS}


def outcome_row(code: str) -> str | None:
    """The table row of a stored outcome; None when the code is not one of the template's rows."""
    if code == WITHDRAWN_EVENT_OUTCOME:
        return outcomes.WITHDRAWN  # 政府信息公开条例 has no row of its own for withdrawal: 其他处理·其他
    return code if code in outcomes.BY_CODE else None


def count_table_three(facts: Iterable[CaseFacts], year: int) -> dict[str, dict[str, int]]:
    """Table 三 for ``year`` from the facts of one organisation's applications.

    三(七) is the sum of the outcome rows, so a concluded application without a known outcome shows up as a
    broken invariant rather than being silently filed somewhere.
    """
    start, end = date(year, 1, 1), date(year, 12, 31)
    cells = empty_cells()
    for case in facts:
        column = case.applicant_kind if case.applicant_kind in APPLICANT_COLUMNS else "other"
        if case.received_on > end or (case.concluded_on is not None and case.concluded_on < start):
            continue  # not in this year's table at all
        rows = [RECEIVED if case.received_on >= start else CARRIED_IN]
        if case.concluded_on is not None and case.concluded_on <= end:
            row = outcome_row(case.outcome)
            if row is not None:
                rows.append(row)
        else:
            rows.append(CARRIED_OUT)
        for row in rows:
            cells[row][column] += 1
    for row in ROWS:
        if row != CONCLUDED:
            cells[row][TOTAL] = sum(cells[row][c] for c in APPLICANT_COLUMNS)
    for column in COLUMNS:
        cells[CONCLUDED][column] = sum(cells[row][column] for row in OUTCOME_ROWS)
    return cells


def invariant_failures(cells: dict[str, dict[str, int]]) -> list[str]:
    """The columns where 一 + 二 ≠ 三(七) + 四 (国办公开办函〔2021〕30号 table 三), in column order."""
    return [
        column
        for column in COLUMNS
        if cells[RECEIVED][column] + cells[CARRIED_IN][column] != cells[CONCLUDED][column] + cells[CARRIED_OUT][column]
    ]


def _organisation_on(events: list, day: date, fallback: int) -> int:
    """The organisation responsible on ``day``, from the events that set it (receipt, assignment, transfer)."""
    responsible = fallback
    for event in events:
        if event.day <= day and event.organisation_id:
            responsible = event.organisation_id
    return responsible


def case_facts(organisation, year: int) -> tuple[list[CaseFacts], list[int]]:
    """The facts of the applications counting for ``organisation`` in ``year``, and the pks among them that
    were concluded in the year without a known outcome."""
    from django.db.models import Prefetch, Q

    from zhengtong.casework.models import Case, CaseEvent
    from zhengtong.casework.workflow import Event

    start, end = date(year, 1, 1), date(year, 12, 31)
    concluded_before = Q(replied_on__lt=start) | Q(replied_on__isnull=True, closed_on__lt=start)
    involved = Q(organisation=organisation) | Q(
        pk__in=CaseEvent.objects.filter(organisation=organisation).values("case_id")
    )
    org_events = CaseEvent.objects.filter(
        kind__in=[Event.RECEIVED, Event.ASSIGNED, Event.TRANSFERRED], organisation__isnull=False
    ).order_by("at", "id")
    cases = (
        Case.objects.filter(involved, kind="disclosure", received_on__lte=end)
        .exclude(concluded_before)
        .select_related("applicant")
        # Only what the table needs: the applicant's personal data stays encrypted and unread.
        .only("pk", "received_on", "replied_on", "closed_on", "outcome", "organisation_id", "applicant__kind")
        .prefetch_related(Prefetch("events", queryset=org_events, to_attr="org_events"))
    )
    facts, unclassified = [], []
    for case in cases:
        concluded_on = case.replied_on or case.closed_on
        exit_day = concluded_on if concluded_on is not None and concluded_on <= end else end
        if _organisation_on(case.org_events, exit_day, case.organisation_id) != organisation.pk:
            continue
        applicant = getattr(case, "applicant", None)
        # A case entered without applicant details counts as a natural person (the kernel's default kind).
        kind = applicant.kind if applicant is not None else "natural"
        facts.append(CaseFacts(kind, case.received_on, concluded_on, case.outcome))
        if concluded_on is not None and start <= concluded_on <= end and outcome_row(case.outcome) is None:
            unclassified.append(case.pk)
    return facts, unclassified


def table_three(organisation, year: int) -> TableThree:
    """Table 三 of ``organisation`` for ``year``, computed from its disclosure applications now."""
    facts, unclassified = case_facts(organisation, year)
    return TableThree(count_table_three(facts, year), unclassified)


# --- Table 二 (主动公开) --------------------------------------------------------------------------------

# Cell keys of table 二; the model's fields carry the same names.
TABLE_TWO_FIELDS = [
    "rules_made",
    "rules_repealed",
    "rules_in_force",
    "normative_made",
    "normative_repealed",
    "normative_in_force",
    "licensing_decisions",
    "penalty_decisions",
    "enforcement_decisions",
    "fee_amount",
]


def derived_table_two(organisation, year: int) -> dict:
    """Cells of table 二 the platform can count itself (the disclosure catalog will fill this in); none yet."""
    return {}


def table_two(report) -> dict:
    """Table 二 of a report: derived values over the figures the office entered."""
    entered = {name: getattr(report, name) for name in TABLE_TWO_FIELDS}
    merged = {**entered, **derived_table_two(report.organisation, report.year)}
    merged["fee_amount"] = Decimal(merged["fee_amount"] or 0)
    return merged


# --- Table 四 (行政复议和行政诉讼) ---------------------------------------------------------------------

REVIEW_GROUPS = ["review", "litigation_direct", "litigation_after_review"]
REVIEW_RESULTS = ["upheld", "corrected", "other", "pending"]
REVIEW_COLUMNS = [*REVIEW_RESULTS, TOTAL]


def table_four(report) -> dict[str, dict[str, int]]:
    """Table 四 from the entered figures (fields ``<group>_<result>``), with each group's 总计 computed."""
    table = {}
    for group in REVIEW_GROUPS:
        row = {result: getattr(report, f"{group}_{result}") or 0 for result in REVIEW_RESULTS}
        row[TOTAL] = sum(row.values())
        table[group] = row
    return table


def table_four_failures(table: dict[str, dict[str, int]]) -> list[str]:
    """Groups whose 总计 is not the sum of their results (a snapshot edited by hand, a bad import)."""
    return [g for g, row in table.items() if row[TOTAL] != sum(row[r] for r in REVIEW_RESULTS)]
