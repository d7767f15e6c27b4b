"""The one notification path: rendering, storage of recipients, sending in the worker, failures, receivers."""

from datetime import date

import pytest
from django.contrib.auth.models import Group, Permission
from django.core import mail
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from zhengtong.casework import services as cases
from zhengtong.casework.models import Case
from zhengtong.casework.workflow import Event, Status
from zhengtong.core.models import Organisation, User
from zhengtong.notifications import services
from zhengtong.notifications.models import Message
from zhengtong.twofactor.testing import login_verified

pytestmark = pytest.mark.django_db

PHONE = "13912345678"
EMAIL = "zhang.san@example.cn"


class BrokenSms:
    outbox_only = False

    def send(self, phone, text):
        raise ConnectionError(f"provider refused {phone}")


class RecordingSms:
    outbox_only = False
    sent: list = []

    def send(self, phone, text):
        RecordingSms.sent.append((phone, text))
        return "p-1"


def staff(username, organisation, *codenames, email=""):
    user = User.objects.create_user(username=username, password="x", organisation=organisation, email=email)
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin"),
        *Permission.objects.filter(content_type__app_label="zt_casework", codename__in=codenames),
    )
    return user


@pytest.fixture
def office():
    return Organisation.objects.create(name="县人民政府办公室", short_name="县政府办", code="木政办")


@pytest.fixture
def clerk(office):
    return staff("clerk", office, "view_case", "change_case", email="clerk@county.example.cn")


def submit(office, **applicant):
    return cases.submit(
        "mailbox",
        subject="学校门口路灯不亮",
        content="一中门口的路灯坏了一个月，张三 13912345678。",
        organisation=office,
        category="help",
        received_on=date(2026, 3, 2),
        applicant={"name": "张三", "phone": PHONE, "email": EMAIL, **applicant},
    )


def test_received_sms_is_chinese_with_code_and_due_date_and_no_personal_data(
    office, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = submit(office)
    sms = Message.objects.get(case=case, channel=Message.Channel.SMS)
    assert sms.body.startswith("【政通】")
    assert case.display_code in sms.body and "2026年3月9日" in sms.body and "查询码" in sms.body
    for private in ("张三", PHONE, EMAIL, "路灯", "一中门口"):
        assert private not in sms.body  # neither the person nor the content of the letter
    email = Message.objects.get(case=case, channel=Message.Channel.EMAIL)
    assert email.subject == "已收到您的事项（县长信箱）" and case.display_code in email.body


def test_reply_sms_points_to_the_lookup_and_never_carries_the_reply(office, clerk, django_capture_on_commit_callbacks):
    case = submit(office)
    cases.record_event(case, Event.ACCEPTED, actor=clerk)
    cases.record_event(case, Event.REPLY_DRAFTED, actor=clerk, note="路灯已于本周修复，感谢监督。")
    with django_capture_on_commit_callbacks(execute=True):
        cases.record_event(case, Event.REPLIED, actor=clerk, note="路灯已于本周修复，感谢监督。")
    sms = Message.objects.get(case=case, channel=Message.Channel.SMS, template="case_replied")
    assert "已答复" in sms.body and case.display_code in sms.body and "查询" in sms.body
    assert "路灯" not in sms.body and "修复" not in sms.body


def test_recipients_are_encrypted_in_the_database_and_masked_when_shown(office, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(office)
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone, email, body FROM zt_notifications_message")
        rows = cursor.fetchall()
    assert rows
    raw = " ".join(" ".join(str(v) for v in row) for row in rows)
    assert PHONE not in raw and EMAIL not in raw and "zhang.san" not in raw
    sms = Message.objects.get(channel=Message.Channel.SMS)
    assert sms.phone.reveal() == PHONE and sms.recipient_display == "139****5678"


def test_worker_sends_queued_messages_through_the_configured_backends(
    office, settings, run_worker, django_capture_on_commit_callbacks
):
    settings.ZT_SMS_BACKEND = "zhengtong.notifications.tests.test_notify.RecordingSms"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    RecordingSms.sent = []
    with django_capture_on_commit_callbacks(execute=True):
        case = submit(office)
    assert set(Message.objects.values_list("status", flat=True)) == {Message.Status.QUEUED}
    run_worker()
    sms = Message.objects.get(channel=Message.Channel.SMS)
    assert (sms.status, sms.provider_id, sms.attempts) == (Message.Status.SENT, "p-1", 1) and sms.sent_at
    assert RecordingSms.sent == [(PHONE, sms.body)]
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [EMAIL] and case.display_code in mail.outbox[0].body


def test_default_sms_backend_keeps_the_message_in_the_outbox(office, run_worker, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        submit(office)
    run_worker()
    sms = Message.objects.get(channel=Message.Channel.SMS)
    assert sms.status == Message.Status.SENT and sms.provider_id == "outbox"
    assert sms.backend == "zhengtong.notifications.backends.OutboxSmsBackend"


def test_a_failing_backend_fails_the_message_after_bounded_retries_and_the_case_stands(
    office, clerk, settings, run_worker, django_capture_on_commit_callbacks
):
    settings.ZT_SMS_BACKEND = "zhengtong.notifications.tests.test_notify.BrokenSms"
    case = submit(office)
    cases.record_event(case, Event.ACCEPTED, actor=clerk)
    cases.record_event(case, Event.REPLY_DRAFTED, actor=clerk, note="已修复。")
    with django_capture_on_commit_callbacks(execute=True):
        cases.record_event(case, Event.REPLIED, actor=clerk, note="已修复。")
    case.refresh_from_db()
    assert case.status == Status.REPLIED  # the business action is committed whatever the SMS does
    sms = Message.objects.get(case=case, channel=Message.Channel.SMS)
    run_worker()
    sms.refresh_from_db()
    assert (sms.status, sms.attempts) == (Message.Status.QUEUED, 1)  # a retry is scheduled
    assert "ConnectionError" in sms.error and PHONE not in sms.error and "139****5678" in sms.error
    for _attempt in range(services.MAX_ATTEMPTS - 1):
        services.deliver(sms.pk)
    sms.refresh_from_db()
    assert (sms.status, sms.attempts) == (Message.Status.FAILED, services.MAX_ATTEMPTS)
    assert services.deliver(sms.pk) == Message.Status.FAILED  # no further attempt
    assert Message.objects.get(pk=sms.pk).attempts == services.MAX_ATTEMPTS


def test_a_receiver_that_raises_does_not_undo_the_event(office, clerk, monkeypatch, django_capture_on_commit_callbacks):
    def explode(*args, **kwargs):
        raise RuntimeError("template missing")

    monkeypatch.setattr(services, "_notify", explode)
    case = submit(office)
    with django_capture_on_commit_callbacks(execute=True):
        cases.record_event(case, Event.ACCEPTED, actor=clerk)
    assert Case.objects.get(pk=case.pk).status == Status.ACCEPTED


def test_landlines_get_no_sms_and_applicants_without_contact_get_nothing(office, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        landline = submit(office, phone="0994-5221234", email="")
        silent = submit(office, phone="", email="")
    assert not Message.objects.filter(case=landline).exists()
    assert not Message.objects.filter(case=silent).exists()


def test_staff_hear_of_new_cases_assignments_and_returned_drafts_but_not_of_their_own_acts(
    office, clerk, django_capture_on_commit_callbacks
):
    chief = staff("chief", office, "view_case", "change_case", "review_case_reply")
    other_office = Organisation.objects.create(name="县住建局", short_name="住建局", code="木建")
    outsider = staff("outsider", other_office, "view_case", "change_case")
    with django_capture_on_commit_callbacks(execute=True):
        case = submit(office)
    inbox = Message.objects.filter(channel=Message.Channel.INBOX, template="staff_case_received")
    assert set(inbox.values_list("user__username", flat=True)) == {"clerk", "chief"}
    assert not Message.objects.filter(user=outsider).exists()
    # The clerk has an email address: the notice is emailed too, with the link to the case.
    emailed = Message.objects.get(channel=Message.Channel.EMAIL, user=clerk, template="staff_case_received")
    assert reverse("casework_detail", args=[case.pk]) in emailed.body
    Message.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        cases.record_event(case, Event.ACCEPTED, actor=clerk)
        cases.record_event(case, Event.ASSIGNED, actor=chief, handler=clerk)
    assert list(Message.objects.filter(channel=Message.Channel.INBOX).values_list("user", "template")) == [
        (clerk.pk, "staff_case_assigned")
    ]
    with django_capture_on_commit_callbacks(execute=True):
        cases.record_event(case, Event.REPLY_DRAFTED, actor=clerk, note="草稿")
    assert Message.objects.filter(user=chief, template="staff_reply_to_review").exists()
    assert not Message.objects.filter(user=clerk, template="staff_reply_to_review").exists()
    with django_capture_on_commit_callbacks(execute=True):
        cases.record_event(case, Event.REPLY_RETURNED, actor=chief, note="请补充维修时间")
    returned = Message.objects.get(user=clerk, channel=Message.Channel.INBOX, template="staff_reply_returned")
    assert "请补充维修时间" in returned.body


def test_transfer_tells_the_new_office_and_the_applicant(office, clerk, django_capture_on_commit_callbacks):
    bureau = Organisation.objects.create(name="县住建局", short_name="住建局", code="木建")
    group = Group.objects.create(name="住建局办件")
    group.permissions.add(Permission.objects.get(codename="change_case"))
    bureau_clerk = User.objects.create_user(username="bureau", password="x", organisation=bureau)
    bureau_clerk.groups.add(group)
    case = submit(office)
    cases.record_event(case, Event.ACCEPTED, actor=clerk)
    with django_capture_on_commit_callbacks(execute=True):
        cases.record_event(case, Event.TRANSFERRED, actor=clerk, organisation=bureau, note="属住建职责")
    notice = Message.objects.get(user=bureau_clerk, template="staff_case_transferred")
    assert "属住建职责" in notice.body
    sms = Message.objects.get(case=case, channel=Message.Channel.SMS, template="case_transferred")
    assert "住建局" in sms.body


def test_staff_read_their_notices_and_the_dashboard_counts_them(
    client, office, clerk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = submit(office)
    login_verified(client, clerk)
    assert "您有 1 条未读通知" in client.get(reverse("wagtailadmin_home")).content.decode()
    page = client.get(reverse("notifications_inbox")).content.decode()
    assert "新办件" in page and case.display_code in page
    notice = Message.objects.get(user=clerk, channel=Message.Channel.INBOX)
    response = client.get(reverse("notifications_open", args=[notice.pk]))
    assert response.url == reverse("casework_detail", args=[case.pk])
    assert services.unread_count(clerk) == 0
    assert "未读通知" not in client.get(reverse("wagtailadmin_home")).content.decode()
    # Another user's notice cannot be opened.
    other = staff("other", office, "view_case")
    login_verified(client, other)
    assert client.get(reverse("notifications_open", args=[notice.pk])).status_code == 404


def test_outbox_lists_what_would_be_sent_masked_and_only_for_those_allowed(
    client, admin_client, office, clerk, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        case = submit(office)
    page = admin_client.get(reverse("notifications_outbox") + "?channel=sms").content.decode()
    assert "并没有真正发出" in page and case.display_code in page and "139****5678" in page
    assert PHONE not in page
    login_verified(client, clerk)
    detail = client.get(reverse("casework_detail", args=[case.pk])).content.decode()
    assert "给来信人的通知" in detail and "已收到您的事项（县长信箱）" in detail
    refused = client.get(reverse("notifications_outbox"))  # Wagtail turns PermissionDenied into a redirect home
    assert refused.status_code == 302 and refused.url == reverse("wagtailadmin_home")


def test_zt_check_warns_when_nothing_really_leaves(settings):
    from zhengtong.notifications.checks import check_notification_channels

    settings.PRODUCTION = True
    settings.EMAIL_BACKEND = "django.core.mail.backends.console.EmailBackend"
    ids = {message.id for message in check_notification_channels()}
    assert {"zhengtong.W830", "zhengtong.W831"} <= ids
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.ZT_SMS_BACKEND = "zhengtong.notifications.tests.test_notify.RecordingSms"
    assert [message.id for message in check_notification_channels()] == ["zhengtong.I830"]
    settings.ZT_SMS_BACKEND = "no.such.Backend"
    assert "zhengtong.W832" in {message.id for message in check_notification_channels()}


def test_zt_check_reports_the_notification_section(settings, capsys):
    settings.ZT_SMS_BACKEND = "zhengtong.notifications.backends.OutboxSmsBackend"
    with pytest.raises(SystemExit):
        call_command("zt_check")
    assert "通知（邮件、短信）" in capsys.readouterr().out


def test_the_system_administrator_reads_the_outbox(client, office):
    from zhengtong.core import roles

    sysadmin = User.objects.create_user(username="sysadmin", password="x", organisation=office)
    sysadmin.groups.add(Group.objects.get(name=roles.SYSTEM_ADMIN))
    login_verified(client, sysadmin)
    assert client.get(reverse("notifications_outbox")).status_code == 200


def test_messages_left_queued_while_the_queue_was_down_are_sent_later(office, monkeypatch, run_worker):
    from datetime import timedelta

    from django.utils import timezone

    from zhengtong.core import tasks as core_tasks

    def queue_down(*args, **kwargs):
        raise ConnectionError("redis down")

    case = submit(office)
    with monkeypatch.context() as patch:  # not monkeypatch.undo(): run_worker's own patch must stay
        patch.setattr(core_tasks, "enqueue_with_transaction", queue_down)
        (message,) = services.notify("case_received", {"case": case, "kind_label": "县长信箱"}, phone=PHONE)
    run_worker()
    message.refresh_from_db()
    assert message.status == Message.Status.QUEUED  # nothing was enqueued: the case went ahead regardless
    assert services.send_pending() == 0  # too recent: its own job may still be on the way
    Message.objects.filter(pk=message.pk).update(created_at=timezone.now() - timedelta(hours=2))
    assert services.send_pending() == 1
    run_worker()
    message.refresh_from_db()
    assert message.status == Message.Status.SENT
