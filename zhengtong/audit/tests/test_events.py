import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from zhengtong.audit.models import AuditRecord
from zhengtong.audit.verify import verify_chain
from zhengtong.core.models import User
from zhengtong.portal.models import ArticlePage
from zhengtong.portal.testing import TEST_PASSWORD, make_staff

pytestmark = pytest.mark.django_db


def test_failed_login_is_recorded_with_address_and_no_password(client):
    User.objects.create_user(username="clerk", password=TEST_PASSWORD)
    client.post(
        reverse("wagtailadmin_login"),
        {"username": "clerk", "password": "wrong-Password-1"},
        REMOTE_ADDR="192.0.2.15",
    )
    entry = AuditRecord.objects.get(action="auth.login_failed")
    assert entry.result == "failure"
    assert entry.source_address == "192.0.2.15"
    assert entry.detail == {"username": "clerk"}
    assert "wrong-Password-1" not in str(AuditRecord.objects.filter(pk=entry.pk).values().first())
    assert verify_chain().intact


def test_successful_login_and_logout_are_recorded(client):
    user = User.objects.create_user(username="clerk", password=TEST_PASSWORD)
    credentials = {"username": "clerk", "password": TEST_PASSWORD}
    client.post(reverse("wagtailadmin_login"), credentials, REMOTE_ADDR="192.0.2.9")
    entry = AuditRecord.objects.get(action="auth.login")
    assert entry.actor_id == user.pk and entry.actor_name == "clerk"
    assert entry.source_address == "192.0.2.9"
    client.logout()
    assert AuditRecord.objects.filter(action="auth.logout", actor_id=user.pk).exists()


def test_page_publish_and_unpublish_are_recorded(portal):
    editor = User.objects.create_superuser(username="publisher", password=TEST_PASSWORD)
    article = portal.news.add_child(instance=ArticlePage(title="通知", body="<p>正文</p>"))
    article.save_revision(user=editor).publish(user=editor)
    entry = AuditRecord.objects.filter(action="page.publish", object_id=str(article.pk)).get()
    assert entry.object_repr == "通知"
    assert entry.actor_id == editor.pk
    article.unpublish(user=editor)
    entry = AuditRecord.objects.filter(action="page.unpublish", object_id=str(article.pk)).get()
    assert entry.actor_name == "publisher"


def test_group_membership_change_is_recorded(portal):
    group = Group.objects.create(name="测试组")
    user = make_staff("member", portal.government)
    user.groups.add(group)
    entry = AuditRecord.objects.filter(action="auth.user_groups", object_id=str(user.pk)).latest("sequence")
    assert entry.detail == {"change": "add", "reverse": False, "items": ["测试组"]}
    group.user_set.remove(user)
    entry = AuditRecord.objects.filter(action="auth.user_groups").latest("sequence")
    assert entry.detail["change"] == "remove" and entry.detail["reverse"] is True
    group.delete()
    assert AuditRecord.objects.filter(action="auth.group_delete", detail__name="测试组").exists()


def test_deleting_a_user_keeps_the_record_and_the_chain(client):
    user = User.objects.create_user(username="leaver", password=TEST_PASSWORD)
    client.post(reverse("wagtailadmin_login"), {"username": "leaver", "password": TEST_PASSWORD})
    user.delete()
    entry = AuditRecord.objects.get(action="auth.login")
    assert entry.actor_name == "leaver"
    assert verify_chain().intact


def test_events_raised_by_signals_inside_a_request_carry_its_actor_and_address(rf):
    from django.http import HttpResponse

    from zhengtong.audit.middleware import CurrentRequestMiddleware

    admin = User.objects.create_user(username="sysadmin", password=TEST_PASSWORD)
    request = rf.post("/admin/groups/add/", REMOTE_ADDR="198.51.100.7")
    request.user = admin

    def view(request):
        Group.objects.create(name="门户编辑·测试")  # a post_save receiver records it, with no request of its own
        return HttpResponse()

    CurrentRequestMiddleware(view)(request)
    entry = AuditRecord.objects.get(action="auth.group_create")
    assert entry.source_address == "198.51.100.7"
    assert entry.actor_name == "sysadmin"
    Group.objects.create(name="outside a request")
    outside = AuditRecord.objects.filter(action="auth.group_create").latest("sequence")
    assert outside.source_address is None and outside.actor_name in ("", None)
