"""The case-handling groups: exactly their permissions, and never together with a 三员 role."""

import pytest
from django.contrib.auth.models import Group
from django.db import transaction

from zhengtong.accounts.forms import RolesForm
from zhengtong.accounts.separation import RoleConflict, sync_role_groups
from zhengtong.casework.tests.conftest import member
from zhengtong.core import roles

pytestmark = pytest.mark.django_db


def perms(name: str) -> set[str]:
    group = Group.objects.get(name=name)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.select_related("content_type")}


ADMIN = "wagtailadmin.access_admin"


def test_each_case_role_has_exactly_its_permissions():
    assert perms(roles.CASE_REGISTRAR) == {
        ADMIN,
        "zt_casework.add_case",
        "zt_casework.view_case",
        "zt_casework.change_case",
    }
    assert perms(roles.CASE_HANDLER) == {ADMIN, "zt_casework.view_case", "zt_casework.change_case"}
    assert perms(roles.REPLY_REVIEWER) == {
        ADMIN,
        "zt_casework.view_case",
        "zt_casework.change_case",
        "zt_casework.review_case_reply",
        "zt_interaction.publish_letter",
    }
    assert perms(roles.CASE_SUPERVISOR) == {
        ADMIN,
        "zt_casework.view_case",
        "zt_casework.change_case",
        "zt_casework.supervise_case",
    }
    assert perms(roles.DISCLOSURE_HEAD) == {
        ADMIN,
        "zt_casework.view_case",
        "zt_casework.change_case",
        "zt_casework.review_case_reply",
        "zt_disclosure_requests.approve_extension",
        "zt_disclosure_report.view_annualreport",
        "zt_disclosure_report.add_annualreport",
        "zt_disclosure_report.change_annualreport",
        "zt_disclosure_report.publish_annualreport",
    }
    for name in roles.CASE_ROLES:
        assert roles.ROLE_DESCRIPTIONS[name]
        assert "zt_privacy.view_full_personal_data" not in perms(name)


def test_sync_puts_a_changed_case_role_back():
    group = Group.objects.get(name=roles.CASE_HANDLER)
    group.permissions.clear()
    assert sync_role_groups() == [roles.CASE_HANDLER]
    assert "zt_casework.change_case" in perms(roles.CASE_HANDLER)


@pytest.mark.parametrize("case_role", roles.CASE_ROLES)
@pytest.mark.parametrize("admin_role", roles.ADMINISTRATOR_ROLES)
def test_no_case_role_goes_with_an_administrator_role(county, case_role, admin_role):
    user = member("clerk", county[1], case_role)
    with pytest.raises(RoleConflict) as refused, transaction.atomic():
        user.groups.add(Group.objects.get(name=admin_role))
    assert "三员分立" in refused.value.messages[0]
    with pytest.raises(RoleConflict), transaction.atomic():  # from the group's side
        Group.objects.get(name=admin_role).user_set.add(user)
    admin = member("admin", None, admin_role)
    with pytest.raises(RoleConflict), transaction.atomic():
        admin.groups.add(Group.objects.get(name=case_role))
    assert set(user.groups.values_list("name", flat=True)) == {case_role}


def test_case_roles_go_together_and_the_roles_form_refuses_a_mix(county):
    user = member("chief", county[1], roles.CASE_HANDLER, roles.REPLY_REVIEWER)
    user.groups.add(Group.objects.get(name=roles.CASE_REGISTRAR))
    assert user.groups.count() == 3
    chosen = Group.objects.filter(name__in=[roles.CASE_HANDLER, roles.SYSTEM_ADMIN])
    form = RolesForm({"groups": [g.pk for g in chosen]}, user=user)
    assert not form.is_valid() and "不兼任办件等业务角色" in str(form.errors["groups"])
