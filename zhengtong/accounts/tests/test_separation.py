import io
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from zhengtong.accounts.breakglass import revoke_expired
from zhengtong.accounts.models import BreakGlassGrant
from zhengtong.accounts.separation import RoleConflict, role_permissions, sync_role_groups
from zhengtong.accounts.tasks import revoke_expired_breakglass
from zhengtong.accounts.tests.helpers import login, staff
from zhengtong.audit.models import AuditRecord
from zhengtong.core import roles
from zhengtong.core.models import User

pytestmark = pytest.mark.django_db


def perms(name: str) -> set[str]:
    group = Group.objects.get(name=name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


def test_three_groups_with_non_overlapping_permissions():
    system, security, audit = (perms(name) for name in roles.ADMINISTRATOR_ROLES)
    shared = {"wagtailadmin.access_admin"}  # logging in to the admin at all
    assert system & security == shared and system & audit == shared and security & audit == shared
    assert {"core.change_user", "core.add_organisation", "wagtailcore.change_site"} <= system
    assert "portal.change_footersettings" in system  # site settings are configuration
    assert {"auth.change_group", "zt_accounts.unlock_account", "zt_accounts.assign_roles"} <= security
    assert audit == {"wagtailadmin.access_admin", "zt_audit.view_auditrecord"}
    # Every permission named exists (a renamed model would otherwise drop silently).
    for name, pairs in role_permissions().items():
        assert len(perms(name)) == len(set(pairs)), name


def test_sync_is_idempotent_and_restores_the_sets():
    before = AuditRecord.objects.count()
    sync_role_groups()
    assert AuditRecord.objects.count() == before  # nothing changed, nothing recorded
    assert sync_role_groups() == []
    group = Group.objects.get(name=roles.AUDIT_ADMIN)
    group.permissions.clear()
    group.permissions.add(Permission.objects.get(codename="change_user"))
    assert sync_role_groups() == [roles.AUDIT_ADMIN]
    assert perms(roles.AUDIT_ADMIN) == {"wagtailadmin.access_admin", "zt_audit.view_auditrecord"}
    assert AuditRecord.objects.get(action="role.sync").detail == {"groups": [roles.AUDIT_ADMIN]}


@pytest.mark.parametrize("second", [roles.SECURITY_ADMIN, roles.AUDIT_ADMIN])
def test_one_account_cannot_hold_two_administrator_roles(second):
    user = staff("admin1", roles.SYSTEM_ADMIN)
    with pytest.raises(RoleConflict), transaction.atomic():
        user.groups.add(Group.objects.get(name=second))
    with pytest.raises(RoleConflict), transaction.atomic():  # from the group's side
        Group.objects.get(name=second).user_set.add(user)
    fresh = staff("admin2")
    with pytest.raises(RoleConflict), transaction.atomic():  # both at once
        fresh.groups.add(*Group.objects.filter(name__in=[roles.SYSTEM_ADMIN, second]))
    assert list(user.groups.values_list("name", flat=True)) == [roles.SYSTEM_ADMIN]
    assert not fresh.groups.exists()
    assert AuditRecord.objects.filter(action="role.assign", detail__role=roles.SYSTEM_ADMIN).exists()


def test_other_groups_combine_freely(portal):
    from zhengtong.portal.testing import role

    user = staff("admin1", roles.SYSTEM_ADMIN)
    user.groups.add(Group.objects.get(name=role(portal, roles.PORTAL_EDITOR)))
    user.groups.set([Group.objects.get(name=roles.SECURITY_ADMIN)])  # a switch, not a second role
    assert list(user.groups.values_list("name", flat=True)) == [roles.SECURITY_ADMIN]


def user_form_data(user, groups):
    return {
        "username": user.username,
        "email": "a@example.cn",
        "first_name": "一",
        "last_name": "张",
        "is_active": "on",
        "groups": [g.pk for g in groups],
        "organisation": "",
        "phone": "",
    }


def test_wagtail_user_form_refuses_two_roles_in_chinese(client):
    root = User.objects.create_superuser(username="root", password="x")
    target = staff("target")
    login(client, root)
    groups = Group.objects.filter(name__in=[roles.SYSTEM_ADMIN, roles.AUDIT_ADMIN])
    response = client.post(reverse("wagtailusers_users:edit", args=[target.pk]), user_form_data(target, groups))
    assert response.status_code == 200
    assert "三员分立" in response.content.decode()
    assert not target.groups.exists()
    assert AuditRecord.objects.filter(action="role.refuse", detail__via="form").exists()


def test_system_administrator_cannot_grant_groups(client):
    system = staff("sys", roles.SYSTEM_ADMIN)
    target = staff("target")
    login(client, system)
    page = client.get(reverse("wagtailusers_users:edit", args=[target.pk])).content.decode()
    assert "由安全管理员分配" in page and 'name="is_superuser"' not in page
    audit = Group.objects.get(name=roles.AUDIT_ADMIN)
    response = client.post(reverse("wagtailusers_users:edit", args=[target.pk]), user_form_data(target, [audit]))
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.first_name == "一"  # the profile was saved …
    assert not target.groups.exists()  # … the groups were not
    assert client.get(reverse("zt_accounts:roles")).status_code in (302, 403)


def test_security_administrator_assigns_roles_only(client):
    security = staff("sec", roles.SECURITY_ADMIN)
    target = staff("target")
    login(client, security)
    assert client.get(reverse("wagtailusers_users:edit", args=[target.pk])).status_code in (302, 403)
    assert "target" in client.get(reverse("zt_accounts:roles")).content.decode()
    url = reverse("zt_accounts:roles_edit", args=[target.pk])
    audit = Group.objects.get(name=roles.AUDIT_ADMIN)
    assert client.post(url, {"groups": [audit.pk]}).status_code == 302
    assert list(target.groups.values_list("name", flat=True)) == [roles.AUDIT_ADMIN]
    entry = AuditRecord.objects.filter(action="role.assign").latest("sequence")
    assert entry.actor_id == security.pk and entry.detail["role"] == roles.AUDIT_ADMIN
    both = Group.objects.filter(name__in=[roles.AUDIT_ADMIN, roles.SECURITY_ADMIN])
    response = client.post(url, {"groups": [g.pk for g in both]})
    assert response.status_code == 200 and "三员分立" in response.content.decode()


def test_audit_administrator_sees_only_the_audit_trail(client):
    auditor = staff("aud", roles.AUDIT_ADMIN)
    login(client, auditor)
    assert client.get(reverse("audit:index")).status_code == 200
    for url in (reverse("wagtailusers_users:index"), reverse("zt_accounts:lockouts"), reverse("zt_accounts:roles")):
        assert client.get(url).status_code in (302, 403), url


def test_superuser_refused_in_production(settings):
    settings.PRODUCTION = True
    with pytest.raises(ValidationError):
        User.objects.create_superuser(username="root", password="Root-pass-2026")
    user = staff("plain")
    user.is_superuser = True
    with pytest.raises(ValidationError):
        user.save()
    assert AuditRecord.objects.filter(action="role.refuse", detail__superuser=True).exists()
    settings.PRODUCTION = False
    User.objects.create_superuser(username="devroot", password="x")  # development and tests: allowed


def test_breakglass_grants_records_and_expires(settings):
    settings.PRODUCTION = True
    user = staff("oncall")
    out = io.StringIO()
    call_command("breakglass", "oncall", "--reason", "数据库故障排查", "--hours", "2", stdout=out)
    user.refresh_from_db()
    assert user.is_superuser and "自动收回" in out.getvalue()
    user.save()  # other saves of a granted account go through
    grant = AuditRecord.objects.get(action="breakglass.grant")
    assert grant.detail["reason"] == "数据库故障排查" and grant.detail["hours"] == 2

    BreakGlassGrant.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert revoke_expired_breakglass.call() == 1
    user.refresh_from_db()
    assert not user.is_superuser
    assert AuditRecord.objects.get(action="breakglass.revoke").detail["why"] == "expired"
    assert revoke_expired() == 0  # idempotent


def test_expired_breakglass_is_taken_back_at_the_next_request(client, settings):
    settings.PRODUCTION = True
    user = staff("oncall")
    call_command("breakglass", "oncall", "--reason", "紧急", stdout=io.StringIO())
    login(client, User.objects.get(pk=user.pk))
    BreakGlassGrant.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    client.get("/admin/")
    user.refresh_from_db()
    assert not user.is_superuser


def test_breakglass_needs_a_reason():
    from django.core.management.base import CommandError

    staff("oncall")
    with pytest.raises(CommandError):
        call_command("breakglass", "oncall", stdout=io.StringIO())


def test_security_administrator_cannot_change_the_three_role_groups(client):
    security = staff("sec", roles.SECURITY_ADMIN)
    login(client, security)
    audit_group = Group.objects.get(name=roles.AUDIT_ADMIN)
    before = perms(roles.AUDIT_ADMIN)
    page = client.get(reverse("wagtailusers_groups:edit", args=[audit_group.pk]), follow=True)
    assert "权限由平台设定" in page.content.decode()
    response = client.post(
        reverse("wagtailusers_groups:edit", args=[audit_group.pk]), {"name": "审计管理员（改）"}, follow=True
    )
    assert "平台固定角色" in response.content.decode()
    audit_group.refresh_from_db()
    assert audit_group.name == roles.AUDIT_ADMIN and perms(roles.AUDIT_ADMIN) == before
    client.post(reverse("wagtailusers_groups:delete", args=[audit_group.pk]))
    assert Group.objects.filter(name=roles.AUDIT_ADMIN).exists()
    refusals = AuditRecord.objects.filter(action="role.refuse", actor=security)
    assert {r.detail["group_change"] for r in refusals} == {"edit", "delete"}


def test_security_administrator_still_edits_other_groups(client):
    security = staff("sec", roles.SECURITY_ADMIN)
    other = Group.objects.create(name="信息员·测试")
    login(client, security)
    page = client.get(reverse("wagtailusers_groups:edit", args=[other.pk]))
    assert page.status_code == 200 and "权限由平台设定" not in page.content.decode()
    client.post(reverse("wagtailusers_groups:delete", args=[other.pk]))
    assert not Group.objects.filter(pk=other.pk).exists()
