import json
import os
from datetime import UTC, datetime, timedelta

import pytest

from zhengtong.privacy.checks import personal_data_keys
from zhengtong.privacy.crypto import get_provider
from zhengtong.privacy.tests.models import SampleApplicant

pytestmark = pytest.mark.django_db


def ids() -> list[str]:
    return [m.id for m in personal_data_keys(None)]


def use_keys() -> None:
    SampleApplicant.objects.create(name="张三", phone="13800001234")


def test_healthy_keys_pass():
    use_keys()
    assert ids() == []


def test_no_keys_and_no_data_is_fine():
    assert ids() == []


def test_missing_keys_with_encrypted_data_is_an_error(key_files):
    use_keys()
    (key_files / "personal_data_keys.json").unlink()
    get_provider.cache_clear()
    messages = personal_data_keys(None)
    assert [m.id for m in messages] == ["zhengtong.E300"]
    assert "备份" in messages[0].hint


def test_loose_permissions_warn(key_files):
    use_keys()
    os.chmod(key_files / "personal_data_keys.json", 0o644)
    os.chmod(key_files, 0o755)  # noqa: S103  (the misconfiguration under test)
    assert ids() == ["zhengtong.W302", "zhengtong.W302"]


def test_old_key_warns(settings, key_files):
    use_keys()
    ring = key_files / "personal_data_keys.json"
    data = json.loads(ring.read_text())
    data["keys"][0]["created"] = (datetime.now(UTC) - timedelta(days=31)).isoformat()
    ring.write_text(json.dumps(data))
    settings.ZT_PERSONAL_DATA_KEY_MAX_AGE_DAYS = 30
    messages = personal_data_keys(None)
    assert [m.id for m in messages] == ["zhengtong.W303"]
    assert "./zt keys rotate" in messages[0].hint
    settings.ZT_PERSONAL_DATA_KEY_MAX_AGE_DAYS = 0
    assert ids() == []


def test_checks_are_registered_for_deploy():
    from django.core import checks

    assert personal_data_keys in checks.registry.registry.get_checks(include_deployment_checks=True)
    assert personal_data_keys not in checks.registry.registry.get_checks(include_deployment_checks=False)
