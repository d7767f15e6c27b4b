from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from zhengtong.audit.models import AuditRecord
from zhengtong.privacy.crypto import get_provider, parse_token
from zhengtong.privacy.fields import personal_lookup
from zhengtong.privacy.rotation import reencrypt, tokens_by_key
from zhengtong.privacy.tests.conftest import ID_NUMBER
from zhengtong.privacy.tests.models import SampleApplicant

pytestmark = pytest.mark.django_db

FIELDS = [SampleApplicant._meta.get_field(n) for n in ("name", "id_number", "phone", "email", "address")]


def people(n: int) -> list[SampleApplicant]:
    return [
        SampleApplicant.objects.create(
            name=f"张{i}", phone=f"1380000{i:04d}", id_number=ID_NUMBER if i == 0 else "", email=f"u{i}@example.com"
        )
        for i in range(n)
    ]


def run(*args) -> str:
    out = StringIO()
    call_command("personal_data_keys", *args, stdout=out)
    return out.getvalue()


def key_ids_in_use() -> set[str]:
    counts = tokens_by_key(SampleApplicant, FIELDS)
    return {key_id for counter in counts.values() for key_id in counter}


def test_rotate_reencrypts_everything_and_retires_the_old_key():
    created = people(7)
    indexes = {p.pk: p.phone_index for p in created}
    assert key_ids_in_use() == {"k1"}
    output = run("rotate", "--batch-size", "3", "--no-progress")
    assert "完成" in output and "已停用 k1" in output
    provider = get_provider()
    assert provider.current_key_id() == "k2"
    assert [(k.id, k.state) for k in provider.ring.keys()] == [("k1", "retired"), ("k2", "current")]
    assert key_ids_in_use() == {"k2"}
    for person in SampleApplicant.objects.all():
        assert person.name.reveal() == f"张{person.phone.reveal()[-1]}"
        assert person.phone_index == indexes[person.pk]  # the blind-index key does not rotate
    assert SampleApplicant.objects.filter(**personal_lookup(SampleApplicant, "phone", "13800000003")).count() == 1
    entry = AuditRecord.objects.get(action="privacy.key_rotate")
    assert entry.detail == {"current_key": "k2", "retired_keys": ["k1"], "rows_reencrypted": 7}


def test_an_interrupted_rotation_continues_where_it_stopped():
    people(5)
    provider = get_provider()
    provider.start_rotation()

    def interrupt(_n):
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        reencrypt(SampleApplicant, FIELDS, batch_size=2, on_batch=interrupt)
    phones = [parse_token(p.phone.token)[1] for p in SampleApplicant.objects.order_by("pk")]
    assert phones == ["k2", "k2", "k1", "k1", "k1"]  # the first batch was committed, the rest not yet
    status = run("status")
    assert "上次轮换没有完成" in status and "k1 → 3" in status
    from zhengtong.privacy.checks import personal_data_keys

    assert "zhengtong.W304" in [m.id for m in personal_data_keys(None)]
    output = run("rotate", "--no-progress")
    assert "继续上次未完成的轮换" in output
    assert provider.current_key_id() == "k2" and key_ids_in_use() == {"k2"}
    assert [k.state for k in provider.ring.keys()] == ["retired", "current"]


def test_retired_keys_still_read_old_tokens():
    person = people(1)[0]
    old_token = SampleApplicant.objects.get(pk=person.pk).phone.token
    run("rotate", "--no-progress")
    assert get_provider().decrypt(old_token, b"zt_privacy.sampleapplicant.phone") == "13800000000"


def test_status_lists_keys_and_counts():
    people(2)
    output = run("status")
    assert "SoftwareProvider" in output and "k1  当前" in output
    assert "zt_privacy.SampleApplicant.phone：k1 → 2" in output
    assert "zt_privacy.SampleApplicant.id_number：k1 → 1" in output


def test_a_provider_that_manages_its_own_keys_refuses_rotation(settings):
    settings.ZT_CRYPTO_PROVIDER = "zhengtong.privacy.tests.test_crypto.ReversingProvider"
    with pytest.raises(CommandError, match="密码服务"):
        run("rotate", "--no-progress")


def test_reencrypt_only_moves_restored_old_values_to_the_current_key():
    person = people(1)[0]
    old_token = SampleApplicant.objects.get(pk=person.pk).phone.token
    run("rotate", "--no-progress")
    table = SampleApplicant._meta.db_table
    from django.db import connection

    with connection.cursor() as cursor:  # a row restored from a backup made before the rotation
        cursor.execute(f"UPDATE {table} SET phone = %s WHERE id = %s", [old_token, person.pk])  # noqa: S608
    assert "k1 → 1" in run("status")
    output = run("rotate", "--reencrypt-only", "--no-progress")
    assert "重新加密 1 行" in output
    assert get_provider().current_key_id() == "k2" and key_ids_in_use() == {"k2"}


def test_cli_parses_keys_commands(monkeypatch):
    from zhengtong import cli

    calls = []
    monkeypatch.setattr(cli, "exec_manage", lambda *args: calls.append(args))
    cli.main(["keys", "rotate", "--batch-size", "50", "--no-progress"])
    cli.main(["keys", "rotate", "--reencrypt-only"])
    cli.main(["keys", "status"])
    assert calls == [
        ("personal_data_keys", "rotate", "--batch-size", "50", "--no-progress"),
        ("personal_data_keys", "rotate", "--batch-size", "500", "--reencrypt-only"),
        ("personal_data_keys", "status"),
    ]
