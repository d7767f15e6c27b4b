import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from zhengtong.audit.models import AuditRecord
from zhengtong.audit.services import record
from zhengtong.core.models import User
from zhengtong.twofactor.testing import login_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def auditor():
    user = User.objects.create_user(username="auditor", password="x")
    user.user_permissions.add(
        Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin"),
        Permission.objects.get(codename="view_auditrecord", content_type__app_label="zt_audit"),
    )
    return user


def test_list_requires_the_permission(client):
    user = User.objects.create_user(username="editor", password="x")
    user.user_permissions.add(Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin"))
    login_verified(client, user)
    response = client.get(reverse("audit:index"))
    assert response.status_code in (302, 403)


def test_auditor_sees_records_and_chain_status(client, auditor):
    record("test.visible", detail={"x": 1})
    login_verified(client, auditor)
    response = client.get(reverse("audit:index"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "test.visible" in body
    assert "校验完整" in body


def test_filter_by_action(client, auditor):
    record("test.one")
    record("test.two")
    login_verified(client, auditor)
    body = client.get(reverse("audit:index"), {"action": "test.one"}).content.decode()
    assert "test.one" in body and "test.two" not in body


def test_export_writes_an_audit_record(client, auditor):
    record("test.exported")
    login_verified(client, auditor)
    response = client.get(reverse("audit:index"), {"export": "csv"})
    assert response.status_code == 200
    content = b"".join(response.streaming_content).decode()
    assert "test.exported" in content
    entry = AuditRecord.objects.filter(action="audit.export").latest("sequence")
    assert entry.actor_id == auditor.pk and entry.detail["format"] == "csv"


def test_nobody_edits_or_deletes_through_the_admin(client):
    admin = User.objects.create_superuser(username="root", password="x")
    entry = record("test.event")
    login_verified(client, admin)
    assert client.get(reverse("audit:index")).status_code == 200
    assert client.get(reverse("audit:edit", args=[entry.pk])).status_code in (302, 403)
    assert client.post(reverse("audit:delete", args=[entry.pk])).status_code in (302, 403)
    assert AuditRecord.objects.filter(pk=entry.pk, action="test.event").exists()
