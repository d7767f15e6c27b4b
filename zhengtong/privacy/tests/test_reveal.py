import pytest
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from zhengtong.audit.models import AuditRecord
from zhengtong.core.models import User
from zhengtong.privacy import services
from zhengtong.privacy.tests.conftest import ID_NUMBER, PHONE
from zhengtong.privacy.tests.models import SampleApplicant
from zhengtong.twofactor.testing import login_verified

pytestmark = pytest.mark.django_db


def admin_user(username: str, *, full: bool) -> User:
    user = User.objects.create_user(username=username, password="x")
    perms = [Permission.objects.get(codename="access_admin", content_type__app_label="wagtailadmin")]
    if full:
        perms.append(Permission.objects.get(codename="view_full_personal_data", content_type__app_label="zt_privacy"))
    user.user_permissions.add(*perms)
    return User.objects.get(pk=user.pk)  # fresh permission cache


@pytest.fixture
def applicant():
    return SampleApplicant.objects.create(name="张三丰", phone=PHONE, id_number=ID_NUMBER)


def reveal_url(obj, field: str) -> str:
    return reverse("privacy_reveal", args=[ContentType.objects.get_for_model(obj).pk, obj.pk, field])


def test_the_permission_exists_with_a_chinese_name():
    permission = Permission.objects.get(codename="view_full_personal_data", content_type__app_label="zt_privacy")
    assert "完整的个人信息" in permission.name


def test_reveal_with_permission_shows_the_value_and_audits_without_it(client, applicant):
    login_verified(client, admin_user("officer", full=True))
    response = client.post(reveal_url(applicant, "id_number"))
    assert response.status_code == 200
    assert ID_NUMBER in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    entry = AuditRecord.objects.filter(action="privacy.reveal").latest("sequence")
    assert entry.result == "success" and entry.actor_name == "officer"
    assert entry.object_id == str(applicant.pk) and entry.object_type.model == "sampleapplicant"
    assert entry.detail == {"model": "zt_privacy.sampleapplicant", "field": "id_number", "kind": "id_number"}
    assert entry.object_repr == "申请人 张某"
    stored = f"{entry.detail} {entry.object_repr}"
    assert ID_NUMBER not in stored and "张三丰" not in stored


def test_reveal_without_permission_is_refused_and_recorded(client, applicant):
    client.force_login(admin_user("clerk", full=False))
    response = client.post(reveal_url(applicant, "phone"))
    assert response.status_code == 403
    assert PHONE not in response.content.decode()
    entry = AuditRecord.objects.filter(action="privacy.reveal").latest("sequence")
    assert entry.result == "denied" and entry.detail["field"] == "phone"


def test_reveal_needs_post_and_a_personal_field(client, applicant):
    login_verified(client, admin_user("officer", full=True))
    assert client.get(reveal_url(applicant, "phone")).status_code == 405
    assert client.post(reveal_url(applicant, "note")).status_code == 404
    assert client.post(reveal_url(applicant, "nothing")).status_code == 404
    assert not AuditRecord.objects.filter(action="privacy.reveal").exists()


def test_anonymous_users_never_reach_it(client, applicant):
    response = client.post(reveal_url(applicant, "phone"))
    assert response.status_code == 302 and PHONE not in response.content.decode()


def test_service_for_code_paths(applicant):
    request = RequestFactory().get("/")
    request.user = admin_user("officer", full=True)
    assert services.reveal(request, applicant, "phone") == PHONE
    request.user = admin_user("clerk", full=False)
    with pytest.raises(PermissionDenied):
        services.reveal(request, applicant, "phone")


def render_personal(user, obj) -> str:
    request = RequestFactory().get("/")
    request.user = user
    template = Template('{% load privacy %}{% personal obj "phone" %}')
    return template.render(Context({"obj": obj, "request": request, "csrf_token": "t"}))


def test_template_tag_masks_and_offers_reveal_only_with_permission(applicant):
    with_permission = render_personal(admin_user("officer", full=True), applicant)
    assert "138****1234" in with_permission and PHONE not in with_permission
    assert reveal_url(applicant, "phone") in with_permission and "查看完整信息" in with_permission
    without = render_personal(admin_user("clerk", full=False), applicant)
    assert "138****1234" in without and "查看完整信息" not in without


def test_wagtail_group_editor_offers_the_permission():
    from wagtail import hooks

    permissions = [p for fn in hooks.get_hooks("register_permissions") for p in fn()]
    assert any(p.codename == "view_full_personal_data" for p in permissions)
