"""A hand-built year of disclosure applications (2025) with the table 三 every test expects.

Organisations: the county government (木政, kind government), its education bureau (木教) and housing bureau (木建).
"""

from datetime import date

import pytest

from zhengtong.casework import services
from zhengtong.casework.workflow import Event
from zhengtong.core.models import Organisation

YEAR = 2025


@pytest.fixture
def county(db):
    return Organisation.objects.create(
        name="木垒县人民政府", short_name="县政府", code="木政", kind=Organisation.Kind.GOVERNMENT
    )


@pytest.fixture
def education(county):
    return Organisation.objects.create(name="木垒县教育局", short_name="教育局", code="木教", parent=county)


@pytest.fixture
def housing(county):
    return Organisation.objects.create(name="木垒县住房和城乡建设局", short_name="住建局", code="木建", parent=county)


def apply(organisation, received_on: date, kind: str = "natural", case_kind: str = "disclosure"):
    applicant = {"kind": kind, "name": "张三" if kind == "natural" else "某某公司"}
    return services.submit(
        case_kind,
        subject="申请公开学校建设资金",
        content="请公开相关文件。",
        organisation=organisation,
        category="apply" if case_kind == "disclosure" else "help",
        received_on=received_on,
        applicant=applicant,
    )


def reply(case, day: date, outcome: str) -> None:
    services.record_event(case, Event.ACCEPTED, day=day)
    services.record_event(case, Event.ASSIGNED, day=day)
    services.record_event(case, Event.REPLY_DRAFTED, day=day, note="答复草稿")
    services.record_event(case, Event.REPLIED, day=day, outcome=outcome, note="答复")


@pytest.fixture
def applications(county, education, housing):
    """Education's 2025 applications, plus cases that must not count for it."""
    cases = {}
    # Carried over: received in December 2024, replied in January 2025.
    cases["carry_replied"] = apply(education, date(2024, 12, 20))
    reply(cases["carry_replied"], date(2025, 1, 10), "public")
    # Carried over and still open at the end of 2025.
    cases["carry_open"] = apply(education, date(2024, 12, 30))
    # Received and concluded in 2025, organisations of different kinds.
    cases["partial"] = apply(education, date(2025, 3, 3), "commercial")
    reply(cases["partial"], date(2025, 3, 20), "partial")
    cases["third_party"] = apply(education, date(2025, 6, 2), "legal_service")
    reply(cases["third_party"], date(2025, 6, 20), "refuse.third_party")
    # Withdrawn by a research institute (no outcome code of its own: counts as 其他处理·其他).
    cases["withdrawn"] = apply(education, date(2025, 5, 6), "research")
    services.record_event(cases["withdrawn"], Event.WITHDRAWN, day=date(2025, 5, 10))
    # Received in 2025 and still open on 31 December.
    cases["open"] = apply(education, date(2025, 12, 22))
    # Received in 2025 by another organisation (其他组织), replied only in January 2026: carried into 2026.
    cases["late"] = apply(education, date(2025, 2, 3), "other")
    reply(cases["late"], date(2026, 1, 5), "not_processed.repeat")
    # Transferred from housing to education in 2025 and concluded there: counts wholly for education.
    cases["transferred"] = apply(housing, date(2025, 4, 1))
    services.record_event(cases["transferred"], Event.ACCEPTED, day=date(2025, 4, 1))
    services.record_event(cases["transferred"], Event.TRANSFERRED, day=date(2025, 4, 3), organisation=education)
    services.record_event(cases["transferred"], Event.REPLY_DRAFTED, day=date(2025, 4, 20))
    services.record_event(cases["transferred"], Event.REPLIED, day=date(2025, 4, 20), outcome="unavailable.not_held")
    # Not in education's 2025 table: concluded in 2024; housing's own; the county government's own; a letter.
    cases["old"] = apply(education, date(2024, 11, 3), "charity")
    reply(cases["old"], date(2024, 11, 20), "public")
    cases["housing"] = apply(housing, date(2025, 4, 1))
    cases["county"] = apply(county, date(2025, 7, 1), "commercial")
    reply(cases["county"], date(2025, 7, 15), "public")
    cases["letter"] = apply(education, date(2025, 7, 1), case_kind="mailbox")
    return cases


def row(natural=0, commercial=0, research=0, charity=0, legal_service=0, other=0) -> dict:
    values = {
        "natural": natural,
        "commercial": commercial,
        "research": research,
        "charity": charity,
        "legal_service": legal_service,
        "other": other,
    }
    return {**values, "total": sum(values.values())}
