"""Looking a letter up by code and check, reading the reply, rating it and reopening once."""

import pytest

from zhengtong.casework import services as casework
from zhengtong.casework.models import Case
from zhengtong.casework.workflow import Event
from zhengtong.interaction.tests.conftest import letter_data, reply

pytestmark = pytest.mark.django_db


def url(page, name, *args):
    return page.url + page.reverse_subpage(name, args=args or None)


@pytest.fixture
def written(web, mailbox):
    web.post(url(mailbox, "write"), letter_data())
    web.cookies.clear()  # the writer comes back another day: no session
    return Case.objects.get()


def look_up(web, mailbox, code, check):
    return web.post(url(mailbox, "lookup"), {"tracking_code": code, "check_secret": check})


def test_wrong_check_is_refused_with_one_message_and_nothing_shown(web, mailbox, written):
    for code, check in [(written.display_code, "9999"), ("7KQM-3XD9-PA4F", "1234"), (written.code, "")]:
        response = look_up(web, mailbox, code, check)
        assert response.status_code == 400
        assert "查询码或校验信息不对" in response.text or "请填写查询码" in response.text
        assert written.subject not in response.text
    assert "zt_interaction_access" not in web.session.keys()


def test_wrong_check_never_written_back_and_code_kept(web, mailbox, written):
    response = look_up(web, mailbox, written.display_code, "secret-guess")
    assert "secret-guess" not in response.text and written.display_code in response.text


def test_lookups_are_rate_limited(web, mailbox, written, settings):
    settings.ZT_RATE_LIMITS = {**settings.ZT_RATE_LIMITS, "lookup": (2, 600)}
    settings.ZT_RATE_LIMIT_BLOCK_FACTOR = 2
    assert look_up(web, mailbox, written.display_code, "0000").status_code == 400
    assert look_up(web, mailbox, written.display_code, "1111").status_code == 400
    challenged = look_up(web, mailbox, written.display_code, "1234")
    assert challenged.status_code == 429 and "请回答一个问题" in challenged.text
    # The check is a secret: the challenge page asks for it again rather than carrying it.
    assert 'value="1234"' not in challenged.text
    assert look_up(web, mailbox, written.display_code, "1234").status_code == 429
    blocked = look_up(web, mailbox, written.display_code, "1234")
    assert blocked.status_code == 429 and "Retry-After" in blocked


def test_status_and_reply_are_shown_after_a_lookup_and_access_stays_in_the_session(web, mailbox, written):
    response = look_up(web, mailbox, written.display_code.lower().replace("-", " "), "1234")
    assert response.status_code == 302
    track = response["Location"]
    assert "1234" not in track and written.code not in track  # never the check (nor the code) in a URL
    page = web.get(track)
    assert page.status_code == 200 and "已收到" in page.text and written.subject in page.text
    assert "no-store" in page["Cache-Control"]
    assert "评价答复" not in page.text  # nothing to rate yet

    reply(Case.objects.get(), "您好，路灯已于本周修好。")
    page = web.get(track)
    assert "已答复" in page.text and "您好，路灯已于本周修好。" in page.text
    assert "木垒县人民政府" in page.text and "评价答复" in page.text


def test_tracking_page_needs_the_lookup(web, mailbox, written):
    response = web.get(url(mailbox, "track", written.pk))
    assert response.status_code == 302 and response["Location"].endswith("/lookup/")
    assert web.post(url(mailbox, "track", written.pk), {"action": "rate", "rating": "satisfied"}).status_code == 302
    assert Case.objects.get().rating == ""


def test_access_expires(web, mailbox, written, monkeypatch):
    import time

    look_up(web, mailbox, written.display_code, "1234")
    later = time.time() + 31 * 60
    monkeypatch.setattr(time, "time", lambda: later)
    assert web.get(url(mailbox, "track", written.pk)).status_code == 302


def test_rate_not_satisfied_and_reopen_once_then_never_again(web, mailbox, written):
    reply(written)
    look_up(web, mailbox, written.display_code, "1234")
    track = url(mailbox, "track", written.pk)

    missing_reason = web.post(track, {"action": "rate", "rating": "not_satisfied", "reopen": "on"})
    assert missing_reason.status_code == 400 and "请写明不满意的原因" in missing_reason.text
    written.refresh_from_db()
    assert written.rating == "" and written.reopened == 0  # nothing stored

    response = web.post(
        track, {"action": "rate", "rating": "not_satisfied", "reopen": "on", "reason": "路灯只修了一个，另一个还不亮。"}
    )
    assert response.status_code == 302
    written.refresh_from_db()
    assert written.reopened == 1 and written.status == "assigned" and written.rating == ""
    being_redone = web.get(track)
    assert "重新办理" in being_redone.text and "评价答复" not in being_redone.text
    assert "您好，路灯已于本周修好。" in being_redone.text  # the first reply stays in the timeline
    kinds = list(written.events.values_list("kind", flat=True))
    assert kinds[-2:] == [Event.RATED, Event.REOPENED]
    assert written.events.get(kind=Event.RATED).rating == "not_satisfied"

    # Handled again and answered again: the writer rates again, and may not reopen a second time.
    casework.record_event(written, Event.REPLY_DRAFTED, note="两个路灯都已修好。")
    casework.record_event(written, Event.REPLIED, note="两个路灯都已修好。")
    page = web.get(track)
    assert "两个路灯都已修好。" in page.text
    assert "申请重新办理（只能申请一次）" not in page.text
    second = web.post(track, {"action": "rate", "rating": "not_satisfied", "reopen": "on", "reason": "还是不满意"})
    assert second.status_code == 400 and "已经重新办理过" in second.text
    written.refresh_from_db()
    assert written.reopened == 1 and written.rating == ""
    assert web.post(track, {"action": "reopen", "reason": "还是不满意"}).status_code == 400

    assert web.post(track, {"action": "rate", "rating": "basically_satisfied"}).status_code == 302
    written.refresh_from_db()
    assert written.rating == "basically_satisfied"
    again = web.post(track, {"action": "rate", "rating": "satisfied"})
    assert again.status_code == 400 and "已经评价过" in again.text


def test_rated_not_satisfied_then_reopen_separately(web, mailbox, written):
    reply(written)
    look_up(web, mailbox, written.display_code, "1234")
    track = url(mailbox, "track", written.pk)
    web.post(track, {"action": "rate", "rating": "not_satisfied"})
    page = web.get(track)
    assert "申请重新办理" in page.text
    assert web.post(track, {"action": "reopen", "reason": "答非所问"}).status_code == 302
    written.refresh_from_db()
    assert written.reopened == 1 and written.events.filter(kind=Event.REOPENED, note="答非所问").exists()


def test_reopen_is_refused_when_satisfied(web, mailbox, written):
    reply(written)
    look_up(web, mailbox, written.display_code, "1234")
    response = web.post(
        url(mailbox, "track", written.pk), {"action": "rate", "rating": "satisfied", "reopen": "on", "reason": "x"}
    )
    assert response.status_code == 400 and "只有对答复不满意时" in response.text
