"""Issue #4's "done when", walked as a new installation's first administrators would, in one test.

Set-up creates the three administrators with passwords shown once; each must enrol a second factor and
change the password before anything else; one account cannot hold two administrator roles; the audit
administrator finds failed logins in the audit trail; a row altered by hand is named by ``audit verify``.
(Back up, wipe and restore: zhengtong/backup/tests/test_end_to_end.py.)
"""

import re
from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.urls import reverse

from zhengtong.audit.models import AuditRecord
from zhengtong.core import roles
from zhengtong.core.models import User
from zhengtong.twofactor.models import AuthenticatorDevice
from zhengtong.twofactor.testing import code_for

pytestmark = pytest.mark.django_db

LOGIN = "/admin/login/"
ENROL = "/admin/security/2fa/enrol/"
NEW_PASSWORDS = {"sysadmin": "Sys-admin-2026!x", "secadmin": "Sec-admin-2026!x", "auditadmin": "Aud-admin-2026!x"}


def first_login(username: str, password: str) -> Client:
    """Password, then the forced enrolment, then the forced password change: the path of a new administrator."""
    client = Client()
    assert client.post(LOGIN, {"username": username, "password": password}).status_code == 302
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url.startswith(ENROL), username
    client.get(response.url)
    device = AuthenticatorDevice.objects.get(user__username=username, confirmed=False)
    assert client.post(ENROL, {"code": code_for(device)}).status_code == 200  # the recovery codes page
    response = client.get("/admin/")
    assert response.status_code == 302 and response.url.startswith(reverse("zt_accounts:password")), username
    new = NEW_PASSWORDS[username]
    response = client.post(
        reverse("zt_accounts:password"), {"old_password": password, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302, response.content.decode()[:1000]
    assert client.get("/admin/").status_code == 200
    return client


def test_first_administrators_walkthrough(settings):
    # A fresh installation's trail: transactional tests elsewhere re-run post_migrate on flush and may leave
    # records MACed under a temporary test key.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM zt_audit_auditrecord")
        cursor.execute("DELETE FROM zt_audit_auditchainhead")
    out = StringIO()
    call_command("create_first_admins", stdout=out)
    printed = out.getvalue()
    passwords = {name: re.search(rf"\t{name}\t(\S+)", printed).group(1) for name in NEW_PASSWORDS}
    assert not User.objects.filter(is_superuser=True).exists()  # no default account, no superuser

    security = first_login("secadmin", passwords["secadmin"])

    # The security administrator cannot make the audit administrator a system administrator as well.
    auditor = User.objects.get(username="auditadmin")
    both = [Group.objects.get(name=roles.AUDIT_ADMIN).pk, Group.objects.get(name=roles.SYSTEM_ADMIN).pk]
    response = security.post(reverse("zt_accounts:roles_edit", args=[auditor.pk]), {"groups": both})
    assert response.status_code == 200 and "同一账号不能同时" in response.content.decode()
    assert list(auditor.groups.values_list("name", flat=True)) == [roles.AUDIT_ADMIN]

    # Someone guesses the system administrator's password twice.
    for _ in range(2):
        assert Client().post(LOGIN, {"username": "sysadmin", "password": "guess-123"}).status_code == 200

    audit = first_login("auditadmin", passwords["auditadmin"])
    listing = audit.get(reverse("audit:index"), {"action": "auth.login_failed"}).content.decode()
    assert listing.count("auth.login_failed") >= 2 and "sysadmin" in listing
    assert audit.get(reverse("wagtailusers_users:index")).status_code in (302, 403)  # nothing but the audit trail

    # A row altered by hand in the database is named by ./zt audit verify.
    call_command("audit_verify", stdout=StringIO())
    failed = AuditRecord.objects.filter(action="auth.login_failed").order_by("sequence").first()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE zt_audit_auditrecord SET result = 'success' WHERE id = %s", [failed.pk])
    with pytest.raises(CommandError, match=rf"第 {failed.sequence} 号记录"):
        call_command("audit_verify", stdout=StringIO())
