import pytest
from django.contrib.auth.models import Group, Permission
from django.urls import reverse

from zhengtong.core import roles
from zhengtong.portal.testing import department_editor, make_staff
from zhengtong.twofactor.checks import check_middleware, check_required_in_production
from zhengtong.twofactor.testing import login_verified


def test_the_settings_pass_the_checks():
    assert check_middleware() == []
    assert check_required_in_production() == []


def test_middleware_missing_or_out_of_order_is_an_error(settings):
    settings.MIDDLEWARE = [m for m in settings.MIDDLEWARE if m != "django_otp.middleware.OTPMiddleware"]
    assert [e.id for e in check_middleware()] == ["zhengtong.E200"]
    settings.MIDDLEWARE = ["zhengtong.twofactor.middleware.TwoFactorMiddleware", *settings.MIDDLEWARE[:-1]]
    settings.MIDDLEWARE.append("django_otp.middleware.OTPMiddleware")
    assert [e.id for e in check_middleware()] == ["zhengtong.E200"]


def test_requirement_turned_off(settings):
    settings.ZT_2FA_REQUIRED = False
    assert [e.id for e in check_required_in_production()] == ["zhengtong.W202"]
    settings.PRODUCTION = True
    assert [e.id for e in check_required_in_production()] == ["zhengtong.E201"]


@pytest.mark.django_db
def test_account_page_links_to_the_status_page(client, portal):
    login_verified(client, department_editor(portal))
    page = client.get(reverse("wagtailadmin_account"))
    assert reverse("twofactor_status") in page.text


@pytest.mark.django_db
def test_users_menu_only_for_the_security_admin(client, portal):
    group, _ = Group.objects.get_or_create(name=roles.SECURITY_ADMIN)
    group.permissions.add(Permission.objects.get(content_type__app_label="wagtailadmin", codename="access_admin"))
    login_verified(client, make_staff("sec", portal.government, roles.SECURITY_ADMIN))
    assert reverse("twofactor_users") in client.get(reverse("wagtailadmin_home")).text
    login_verified(client, department_editor(portal))
    assert reverse("twofactor_users") not in client.get(reverse("wagtailadmin_home")).text
