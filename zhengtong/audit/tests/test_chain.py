import os
import stat
import threading
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test import RequestFactory
from django.utils import timezone
from freezegun import freeze_time

from zhengtong.audit import keys
from zhengtong.audit.models import AuditChainHead, AuditRecord, AuditRecordChangeRefused
from zhengtong.audit.services import client_address, record
from zhengtong.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


def _chain(n: int = 5) -> list[AuditRecord]:
    return [record("test.event", detail={"n": i, "text": "测试"}) for i in range(n)]


def _sql(statement: str, params: list) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement.replace("TABLE", AuditRecord._meta.db_table), params)


def test_intact_chain_verifies_and_links():
    before = AuditRecord.objects.count()
    records = _chain(5)
    status = verify_chain()
    assert status.intact, status.message
    assert status.checked == before + 5
    assert records[1].prev_mac == records[0].mac
    assert records[1].sequence == records[0].sequence + 1
    assert len(records[0].mac) == 64


def test_command_reports_intact_chain(capsys):
    _chain(3)
    call_command("audit_verify")
    assert "审计记录链完整" in capsys.readouterr().out


def test_changed_row_is_detected_and_named():
    records = _chain(5)
    target = records[2]
    _sql("UPDATE TABLE SET actor_name = %s WHERE sequence = %s", ["someone_else", target.sequence])
    status = verify_chain()
    assert not status.intact
    assert status.sequence == target.sequence
    assert f"第 {target.sequence} 号记录" in status.message
    assert "修改" in status.message
    with pytest.raises(CommandError, match=f"第 {target.sequence} 号记录"):
        call_command("audit_verify")


def test_changed_detail_is_detected():
    records = _chain(3)
    _sql("UPDATE TABLE SET detail = %s WHERE sequence = %s", ['{"n": 99, "text": "测试"}', records[0].sequence])
    assert verify_chain().sequence == records[0].sequence


def test_deleted_middle_row_is_detected():
    records = _chain(5)
    _sql("DELETE FROM TABLE WHERE sequence = %s", [records[2].sequence])
    status = verify_chain()
    assert not status.intact
    assert status.sequence == records[2].sequence
    assert "删除" in status.message


def test_deleted_last_row_is_detected():
    records = _chain(3)
    _sql("DELETE FROM TABLE WHERE sequence = %s", [records[-1].sequence])
    status = verify_chain()
    assert not status.intact
    assert "删除" in status.message


def test_forged_row_is_detected():
    records = _chain(3)
    last = records[-1]
    _sql(
        "INSERT INTO TABLE (sequence, time, actor_name, action, object_id, object_repr, result, detail, prev_mac, mac)"
        " VALUES (%s, %s, %s, %s, '', '', 'success', %s, %s, %s)",
        [last.sequence + 1, timezone.now(), "intruder", "auth.login", "{}", last.mac, "0" * 64],
    )
    status = verify_chain()
    assert not status.intact
    assert status.sequence == last.sequence + 1
    assert "插入" in status.message


def test_forged_row_with_moved_head_is_detected():
    """Even when the intruder also moves the head, a MAC without the key does not verify."""
    records = _chain(2)
    last = records[-1]
    _sql(
        "INSERT INTO TABLE (sequence, time, actor_name, action, object_id, object_repr, result, detail, prev_mac, mac)"
        " VALUES (%s, %s, %s, %s, '', '', 'success', %s, %s, %s)",
        [last.sequence + 1, timezone.now(), "intruder", "auth.login", "{}", last.mac, "0" * 64],
    )
    AuditChainHead.objects.filter(pk=1).update(sequence=last.sequence + 1, mac="0" * 64)
    status = verify_chain()
    assert not status.intact
    assert status.sequence == last.sequence + 1


def test_partial_verification_checks_only_the_newest():
    records = _chain(6)
    status = verify_chain(last=3)
    assert status.intact and status.checked == 3
    _sql("UPDATE TABLE SET action = %s WHERE sequence = %s", ["x", records[0].sequence])
    assert verify_chain(last=3).intact  # outside the window
    assert not verify_chain().intact


def test_model_refuses_update():
    entry = record("test.event")
    entry.action = "test.other"
    with pytest.raises(AuditRecordChangeRefused):
        entry.save()
    with pytest.raises(AuditRecordChangeRefused):
        AuditRecord.objects.filter(pk=entry.pk).update(action="test.other")


def test_young_record_cannot_be_deleted_old_one_only_once_archived():
    young = record("test.event")
    with pytest.raises(AuditRecordChangeRefused):
        young.delete()
    with pytest.raises(AuditRecordChangeRefused):
        AuditRecord.objects.filter(pk=young.pk).delete()
    with freeze_time(timezone.now() - timedelta(days=181)):
        old = record("test.event")
    with pytest.raises(AuditRecordChangeRefused, match="归档"):
        old.delete()
    AuditChainHead.objects.update(base_sequence=old.sequence)  # what ./zt audit archive does (test_archive.py)
    old.delete()
    assert not AuditRecord.objects.filter(pk=old.pk).exists()


def test_retention_never_below_six_months(settings):
    from zhengtong.audit.models import retention_days

    settings.ZT_AUDIT_RETENTION_DAYS = 30
    assert retention_days() == 180
    settings.ZT_AUDIT_RETENTION_DAYS = 365
    assert retention_days() == 365


def test_rolled_back_append_leaves_chain_linear():
    first = record("test.event")
    with pytest.raises(RuntimeError), transaction.atomic():
        record("test.rolled_back")
        raise RuntimeError("undo")
    after = record("test.event")
    assert after.sequence == first.sequence + 1
    assert after.prev_mac == first.mac
    assert not AuditRecord.objects.filter(action="test.rolled_back").exists()
    assert verify_chain().intact


@pytest.mark.django_db(transaction=True)
def test_concurrent_appends_keep_a_linear_chain():
    """Two threads append at once on PostgreSQL; the chain has no fork and no gap.

    The SQLite test database is in memory with a shared cache, where a second writer fails at once instead of
    waiting; there the appends run one after the other (on a file database IMMEDIATE transactions serialise them).
    """
    # Start from an empty chain: a flush between transactional tests re-runs post_migrate (role groups are
    # synced and audited), possibly while an earlier test's temporary audit key was still set.
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM zt_audit_auditrecord")
        cursor.execute("DELETE FROM zt_audit_auditchainhead")
    per_thread = 10
    errors = []

    def append(name: str) -> None:
        try:
            for i in range(per_thread):
                record("test.concurrent", detail={"thread": name, "i": i})
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    if connection.vendor == "postgresql":
        threads = [threading.Thread(target=append, args=(n,)) for n in ("a", "b")]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
    else:
        for name in ("a", "b"):
            for i in range(per_thread):
                record("test.concurrent", detail={"thread": name, "i": i})
    assert not errors
    sequences = list(AuditRecord.objects.order_by("sequence").values_list("sequence", flat=True))
    assert len(sequences) == len(set(sequences))
    assert sequences == list(range(sequences[0], sequences[0] + len(sequences)))
    assert AuditRecord.objects.filter(action="test.concurrent").count() == 2 * per_thread
    assert verify_chain().intact


def test_key_file_created_private(tmp_path, settings):
    settings.ZT_AUDIT_KEY_FILE = tmp_path / "secrets" / "audit_key"
    key = keys.audit_key()
    assert len(key) == 32
    assert stat.S_IMODE(os.stat(tmp_path / "secrets" / "audit_key").st_mode) == 0o600
    assert stat.S_IMODE(os.stat(tmp_path / "secrets").st_mode) == 0o700
    assert keys.audit_key() == key


def test_key_is_not_in_the_database():
    entry = record("test.event")
    key_hex = keys.audit_key().hex()
    assert key_hex not in str(AuditRecord.objects.filter(pk=entry.pk).values().first())


def test_client_address_trusts_forwarded_for_only_behind_proxy(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="1.2.3.4, 10.0.0.7")
    settings.ZT_TRUST_PROXY = False
    assert client_address(request) == "127.0.0.1"
    settings.ZT_TRUST_PROXY = True
    assert client_address(request) == "10.0.0.7"  # the entry nginx appended, not what the client sent
