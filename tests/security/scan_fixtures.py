"""What the scanned server holds besides the demo county: run once by the lane's conftest after ``load_demo``.

- a staff account with an authenticator, so the second step of the login (the code page) can be scanned with a
  session that has passed the password but not the code;
- a case with a known tracking code and phone, so the public lookup answers its valid sample.

Run as ``python tests/security/scan_fixtures.py`` with the scanned server's environment (settings, data directory).
"""

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tests.security.scan_settings")
    django.setup()

    from django.contrib.auth.models import Permission
    from django.db import transaction
    from targets import SCAN_CASE_CODE, SCAN_CASE_PHONE, SCAN_USER, SCAN_USER_PASSWORD

    from zhengtong.casework import services
    from zhengtong.casework.models import Case
    from zhengtong.core.models import Organisation, User
    from zhengtong.twofactor.testing import confirmed_device

    with transaction.atomic():
        user = User.objects.create_user(SCAN_USER, password=SCAN_USER_PASSWORD)
        access_admin = Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin")
        user.user_permissions.add(access_admin)
        confirmed_device(user)

        organisation = Organisation.objects.get(code="木政办")  # the office that receives the 县长信箱 letters
        case = services.submit(
            "mailbox",
            category="consult",
            subject="安全测试用的来信",
            content="这封信只用于安全测试通道的查询接口。",
            organisation=organisation,
            applicant={"name": "测试来信人", "phone": SCAN_CASE_PHONE},
        )
        Case.objects.filter(pk=case.pk).update(code=SCAN_CASE_CODE)


if __name__ == "__main__":
    main()
