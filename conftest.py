"""Shared pytest fixtures."""

import pytest

from zhengtong.portal.testing import build_portal


@pytest.fixture
def portal(db):
    return build_portal()


@pytest.fixture
def admin_client(client, admin_user):
    """pytest-django's superuser client, past the second factor (a superuser must use it: zhengtong.twofactor)."""
    from zhengtong.twofactor.testing import login_verified

    login_verified(client, admin_user)
    return client


@pytest.fixture
def second_portal(portal):
    return build_portal(hostname="qitai.test", region="奇台", code="奇政")


@pytest.fixture(autouse=True)
def _static_files_without_manifest(settings):
    """Tests do not run collectstatic; the manifest storage would refuse unknown files."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture(scope="session", autouse=True)
def _private_cache():
    """Parallel test workers share ZT_DATA_DIR but not databases: the shared file cache would mix them.

    Session-wide, so fixtures of any scope (the demo loaded once per class) use the same cache as the tests.
    """
    from django.test import override_settings

    with override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "tests"}}
    ):
        yield


@pytest.fixture(autouse=True)
def _fresh_working_day_schedule():
    """The clock keeps the schedule per thread; a rolled-back test's calendar rows must not leak into the next."""
    from zhengtong.core.workdays import forget_schedule

    forget_schedule()
    yield
    forget_schedule()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _no_daily_backup(settings):
    """The worker's daily backup (zhengtong.backup) stays off in tests that run the worker; its own tests turn it on."""
    settings.ZT_BACKUP_HOUR = None


@pytest.fixture
def run_worker(monkeypatch):
    """Run the database queue worker until the queue is empty, inside the test's transaction.

    The real worker closes connections it finds inside a transaction (right for a
    long-running process); here that would close the test's own connection.
    """
    from django.core.management import call_command

    monkeypatch.setattr("django_tasks_db.management.commands.db_worker.close_old_connections", lambda: None)

    def run() -> None:
        call_command("db_worker", batch=True, startup_delay=False, verbosity=0)

    return run


@pytest.fixture(autouse=True)
def _no_rate_limits(settings):
    """Tests post many forms from one address; only the rate-limit tests (zhengtong/hardening) set real limits."""
    settings.ZT_RATE_LIMITS = {scope: (10**6, seconds) for scope, (_limit, seconds) in settings.ZT_RATE_LIMITS.items()}
