"""Shared pytest fixtures."""

import pytest

from zhengtong.portal.testing import build_portal


@pytest.fixture
def portal(db):
    return build_portal()


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


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
