import io
import re

import pytest
from django.core.management import call_command
from django.urls import reverse

from zhengtong.accounts.models import PasswordState
from zhengtong.accounts.tests.helpers import login
from zhengtong.core import roles
from zhengtong.core.models import User

pytestmark = pytest.mark.django_db


def test_creates_one_account_per_role_with_a_password_shown_once(client):
    out = io.StringIO()
    call_command("create_first_admins", stdout=out)
    text = out.getvalue()
    for username, role in (
        ("sysadmin", roles.SYSTEM_ADMIN),
        ("secadmin", roles.SECURITY_ADMIN),
        ("auditadmin", roles.AUDIT_ADMIN),
    ):
        user = User.objects.get(username=username)
        assert list(user.groups.values_list("name", flat=True)) == [role] and not user.is_superuser
        assert PasswordState.objects.get(user=user).must_change
        password = re.search(rf"{username}\t(\S+)", text).group(1)
        assert user.check_password(password) and len(password) >= 12

    # First login: sent to change the password before anything else.
    password = re.search(r"sysadmin\t(\S+)", text).group(1)
    response = client.post(reverse("wagtailadmin_login"), {"username": "sysadmin", "password": password})
    assert response.status_code == 302
    login(client, User.objects.get(username="sysadmin"))  # with the second factor passed, where there is one
    assert reverse("zt_accounts:password") in client.get("/admin/")["Location"]

    again = io.StringIO()
    call_command("create_first_admins", stdout=again)
    assert "已有管理员" in again.getvalue() and User.objects.count() == 3
