import hashlib
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from zhengtong.accounts.models import UserSession
from zhengtong.accounts.tests.helpers import admin_login, login, staff
from zhengtong.audit.models import AuditRecord

pytestmark = pytest.mark.django_db

SESSION_ENGINES = ["django.contrib.sessions.backends.db", "django.contrib.sessions.backends.cache"]


@pytest.fixture(params=SESSION_ENGINES, ids=["database", "cache"])
def engine(request, settings):
    # The cache engine stands for Redis-backed sessions (settings with REDIS_URL); tests use a local cache.
    settings.SESSION_ENGINE = request.param
    return request.param


@pytest.fixture
def clerk():
    user = staff("clerk")
    user.user_permissions.add(Permission.objects.get(codename="access_admin"))
    return user


def test_login_records_the_session_by_a_hash_of_its_key(client, clerk, engine):
    admin_login(client, "clerk", HTTP_USER_AGENT="Mozilla/5.0 Test", REMOTE_ADDR="198.51.100.3")
    key = client.session.session_key
    entry = UserSession.objects.get(user=clerk)
    assert entry.key_hash == hashlib.sha256(key.encode()).hexdigest() and key not in entry.key_hash
    assert entry.address == "198.51.100.3" and entry.user_agent == "Mozilla/5.0 Test"


def test_idle_session_ends(client, clerk, engine):
    login(client, clerk)
    assert client.get("/admin/").status_code == 200
    UserSession.objects.filter(user=clerk).update(last_seen_at=timezone.now() - timedelta(minutes=31))
    response = client.get("/admin/pages/")
    assert response.status_code == 302 and reverse("wagtailadmin_login") in response["Location"]
    assert client.get("/admin/").status_code == 302  # logged out, not only redirected once
    entry = UserSession.objects.get(user=clerk)
    assert entry.end_reason == "idle"
    assert AuditRecord.objects.filter(action="auth.session_timeout", detail__reason="idle").exists()


def test_activity_keeps_the_session(client, clerk, settings):
    login(client, clerk)
    UserSession.objects.filter(user=clerk).update(last_seen_at=timezone.now() - timedelta(minutes=29))
    assert client.get("/admin/").status_code == 200
    assert timezone.now() - UserSession.objects.get(user=clerk).last_seen_at < timedelta(minutes=1)


def test_absolute_lifetime(client, clerk, engine):
    login(client, clerk)
    UserSession.objects.filter(user=clerk).update(started_at=timezone.now() - timedelta(hours=12, minutes=1))
    assert client.get("/admin/").status_code == 302
    assert UserSession.objects.get(user=clerk).end_reason == "lifetime"


def test_timeouts_follow_the_settings(client, clerk, settings):
    settings.ZT_SESSION_IDLE_MINUTES = 5
    login(client, clerk)
    UserSession.objects.filter(user=clerk).update(last_seen_at=timezone.now() - timedelta(minutes=6))
    assert client.get("/admin/").status_code == 302


def test_user_sees_sessions_and_ends_one_or_all_others(clerk, engine):
    phone, laptop, desktop = Client(), Client(), Client()
    for browser, agent in ((phone, "Phone"), (laptop, "Laptop"), (desktop, "Desktop")):
        admin_login(browser, "clerk", HTTP_USER_AGENT=agent)
    page = desktop.get(reverse("zt_accounts:sessions")).content.decode()
    assert "Phone" in page and "Laptop" in page and "当前会话" in page

    phone_session = UserSession.objects.get(user_agent="Phone")
    desktop.post(reverse("zt_accounts:sessions"), {"session": phone_session.pk})
    assert phone.get("/admin/").status_code == 302  # ended elsewhere: logged out at its next request
    assert laptop.get("/admin/").status_code == 200

    desktop.post(reverse("zt_accounts:sessions"), {"end_others": "1"})
    assert laptop.get("/admin/").status_code == 302
    assert desktop.get("/admin/").status_code == 200
    assert AuditRecord.objects.filter(action="auth.session_end").count() == 2


def test_cannot_end_someone_elses_session(client, clerk):
    other = staff("other")
    other_browser = Client()
    login(other_browser, other)
    login(client, clerk)
    theirs = UserSession.objects.get(user=other)
    assert client.post(reverse("zt_accounts:sessions"), {"session": theirs.pk}).status_code == 404
    assert UserSession.objects.get(pk=theirs.pk).ended_at is None


def test_logout_ends_the_record(client, clerk):
    login(client, clerk)
    client.post(reverse("wagtailadmin_logout"))
    assert UserSession.objects.get(user=clerk).end_reason == "logout"
