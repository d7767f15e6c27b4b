"""Monthly figures against hand counts."""

from datetime import date as D

import pytest

from zhengtong.interaction.figures import mailbox_figures, year_figures


def test_year_figures_by_hand():
    rows = [
        # March: 3 received; 2 replied (one on its due day, one a day late); rated 满意 and 不满意.
        (D(2026, 3, 2), D(2026, 3, 9), D(2026, 3, 9), "satisfied"),
        (D(2026, 3, 10), D(2026, 3, 18), D(2026, 3, 17), "not_satisfied"),
        (D(2026, 3, 31), None, D(2026, 4, 8), ""),
        # April: 4 received, all replied on time; ratings 基本满意, 满意, 不满意, none.
        (D(2026, 4, 1), D(2026, 4, 2), D(2026, 4, 8), "basically_satisfied"),
        (D(2026, 4, 7), D(2026, 4, 7), D(2026, 4, 14), "satisfied"),
        (D(2026, 4, 20), D(2026, 4, 21), D(2026, 4, 27), "not_satisfied"),
        (D(2026, 4, 30), D(2026, 5, 6), D(2026, 5, 12), ""),
        # Another year: not counted.
        (D(2025, 12, 31), D(2026, 1, 5), D(2026, 1, 8), "satisfied"),
    ]
    figures = year_figures(rows, 2026)
    march, april = figures.months[2], figures.months[3]
    assert (march.received, march.replied, march.on_time, march.rated, march.content) == (3, 2, 1, 2, 1)
    assert march.on_time_rate == 50 and march.satisfaction_rate == 50
    assert (april.received, april.replied, april.on_time, april.rated, april.content) == (4, 4, 4, 3, 2)
    assert april.on_time_rate == 100 and april.satisfaction_rate == 67  # 2/3 = 66.7 → 67
    total = figures.total
    assert (total.received, total.replied, total.on_time, total.rated, total.content) == (7, 6, 5, 5, 3)
    assert total.on_time_rate == 83 and total.satisfaction_rate == 60  # 5/6 = 83.3; 3/5
    assert figures.months[0].received == 0 and figures.months[0].on_time_rate is None
    assert len(figures.months) == 12


def test_half_rounds_up():
    rows = [(D(2026, 5, 1), D(2026, 5, 2), D(2026, 5, 1), "")] + [
        (D(2026, 5, 1), D(2026, 5, 1), D(2026, 5, 8), "") for _ in range(7)
    ]
    assert year_figures(rows, 2026).months[4].on_time_rate == 88  # 7/8 = 87.5 → 88


@pytest.mark.django_db
def test_mailbox_figures_count_the_letters_this_mailbox_received(mailbox, portal):
    from zhengtong.casework import services as casework
    from zhengtong.casework.workflow import Event
    from zhengtong.interaction.tests.conftest import reply

    def letter(org, kind="mailbox", when=D(2026, 3, 2)):
        from datetime import datetime

        from django.utils import timezone

        return casework.submit(
            kind,
            subject="来信",
            content="内容内容内容",
            organisation=org,
            received_at=timezone.make_aware(datetime(when.year, when.month, when.day, 10)),
            applicant={"name": "王五", "phone": "13800001111"},
        )

    first = letter(portal.government)
    reply(first)
    casework.record_event(first, Event.RATED, rating="satisfied")
    transferred = letter(portal.government)
    casework.record_event(transferred, Event.ACCEPTED)
    casework.record_event(transferred, Event.TRANSFERRED, organisation=portal.department, note="属教育局职责")
    letter(portal.department)  # the department's own mailbox
    letter(portal.government, kind="consultation")  # another channel
    figures = mailbox_figures("mailbox", portal.government.pk, 2026)
    march = figures.months[2]
    # The transferred letter still counts for the mailbox it was written to.
    assert (march.received, march.replied, march.rated, march.content) == (2, 1, 1, 1)
    assert mailbox_figures("mailbox", portal.department.pk, 2026).total.received == 1
