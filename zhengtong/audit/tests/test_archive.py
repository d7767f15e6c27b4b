import json
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone
from freezegun import freeze_time

from zhengtong.audit import archive as archiving
from zhengtong.audit.models import AuditChainHead, AuditRecord, AuditRecordChangeRefused
from zhengtong.audit.services import record
from zhengtong.audit.tasks import archive_expired
from zhengtong.audit.verify import verify_chain

pytestmark = pytest.mark.django_db


def _sql(statement: str, params: list | None = None) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement.replace("TABLE", AuditRecord._meta.db_table), params or [])


@pytest.fixture
def archive_dir(settings, tmp_path):
    settings.ZT_AUDIT_ARCHIVE_DIR = tmp_path / "audit-archive"
    return settings.ZT_AUDIT_ARCHIVE_DIR


@pytest.fixture
def history(archive_dir):
    """A chain of 5 records from 200 days ago followed by 3 from today (records made while migrating removed)."""
    _sql("DELETE FROM TABLE")
    AuditChainHead.objects.all().delete()
    with freeze_time(timezone.now() - timedelta(days=200)):
        old = [record("test.old", detail={"n": i, "text": "旧记录"}) for i in range(5)]
    young = [record("test.young", detail={"n": i}) for i in range(3)]
    return old, young


def test_archive_writes_signed_file_deletes_old_records_and_chain_still_verifies(history, archive_dir):
    old, young = history
    result = archiving.archive()
    assert (result.count, result.first_sequence, result.last_sequence) == (5, old[0].sequence, old[-1].sequence)
    assert result.path.parent == archive_dir and result.path.stat().st_mode & 0o777 == 0o600
    assert not AuditRecord.objects.filter(action="test.old").exists()
    assert AuditRecord.objects.filter(action="test.young").count() == 3

    head = AuditChainHead.objects.get()
    assert (head.base_sequence, head.base_mac) == (old[-1].sequence, old[-1].mac)
    assert young[0].prev_mac == old[-1].mac  # the first record left links to the archive's last MAC
    status = verify_chain()
    assert status.intact, status.message
    assert f"第 {old[-1].sequence} 号及之前的记录已归档" in status.message
    assert result.path.name in status.message

    event = AuditRecord.objects.filter(action="audit.archive").get()
    assert event.result == "success"
    assert event.detail == {
        "file": result.path.name,
        "first": old[0].sequence,
        "last": old[-1].sequence,
        "count": 5,
        "before": event.detail["before"],
    }

    checked = archiving.verify_archive(result.path)
    assert checked.intact, checked.message
    assert (checked.count, checked.prev_mac, checked.last_mac) == (5, "", old[-1].mac)
    lines = [json.loads(line) for line in result.path.read_text().splitlines()]
    assert [line["type"] for line in lines] == ["header"] + ["record"] * 5 + ["seal"]
    assert lines[1]["content"]["detail"] == {"n": 0, "text": "旧记录"} and lines[1]["mac"] == old[0].mac


def _rewrite(path, change) -> None:
    lines = path.read_text().splitlines(keepends=True)
    change(lines)
    path.write_text("".join(lines))


@pytest.mark.parametrize(
    "tamper",
    [
        pytest.param(lambda lines: lines.__setitem__(2, lines[2].replace("旧记录", "新记录")), id="record-changed"),
        pytest.param(lambda lines: lines.pop(3), id="record-removed"),
        pytest.param(lambda lines: lines.insert(2, lines[2]), id="record-duplicated"),
        pytest.param(lambda lines: lines.pop(), id="seal-removed"),
        pytest.param(lambda lines: lines.__setitem__(0, lines[0].replace('"count":5', '"count":4')), id="header"),
    ],
)
def test_tampered_archive_is_detected(history, tamper, capsys):
    path = archiving.archive().path
    _rewrite(path, tamper)
    status = archiving.verify_archive(path)
    assert not status.intact
    with pytest.raises(CommandError, match="审计归档文件被破坏"):
        call_command("audit_verify", archive=str(path))


def test_archive_from_another_installation_is_refused(history):
    path = archiving.archive().path
    assert not archiving.verify_archive(path, key=b"k" * 32).intact


def test_command_checks_archive_and_reports_it(history, capsys):
    call_command("audit_archive")
    path = next(iter(archiving.archive_files()))
    call_command("audit_verify", archive=str(path))
    assert "完整" in capsys.readouterr().out
    call_command("audit_verify")
    assert "已归档" in capsys.readouterr().out


def test_young_records_are_never_archived_or_deleted(history):
    _old, young = history
    with pytest.raises(archiving.ArchiveError, match="保存期"):
        archiving.archive(timezone.now())
    archiving.archive()
    with pytest.raises(AuditRecordChangeRefused):
        AuditRecord.objects.filter(action="test.young").delete()
    with pytest.raises(AuditRecordChangeRefused):
        AuditRecord.objects.get(sequence=young[0].sequence).delete()
    with pytest.raises(CommandError, match="保存期"):
        call_command("audit_archive", before=timezone.localdate().isoformat())
    assert AuditRecord.objects.filter(action="audit.archive", result="failure").exists()


def test_expired_record_cannot_be_deleted_before_it_is_archived(history):
    old, _young = history
    with pytest.raises(AuditRecordChangeRefused, match="归档"):
        AuditRecord.objects.get(sequence=old[0].sequence).delete()
    with pytest.raises(AuditRecordChangeRefused, match="归档"):
        AuditRecord.objects.filter(action="test.old").delete()


def test_before_date_archives_only_the_older_part(archive_dir):
    _sql("DELETE FROM TABLE")
    AuditChainHead.objects.all().delete()
    now = timezone.now()
    for days, count in ((200, 3), (190, 2)):
        with freeze_time(now - timedelta(days=days)):
            for _i in range(count):
                record("test.old", detail={"days": days})
    record("test.young")
    call_command("audit_archive", before=timezone.localtime(now - timedelta(days=195)).date().isoformat())
    assert [r.detail["days"] for r in AuditRecord.objects.filter(action="test.old")] == [190, 190]
    assert verify_chain().intact
    assert archiving.archive().count == 2  # the default cut-off: everything past the retention period


def test_second_archive_continues_the_first(history):
    _old, _young = history
    first = archiving.archive()
    with freeze_time(timezone.now() + timedelta(days=200)):
        second = archiving.archive()
        assert verify_chain().intact
    a, b = archiving.verify_archive(first.path), archiving.verify_archive(second.path)
    assert b.first_sequence == a.last_sequence + 1 and b.prev_mac == a.last_mac
    assert not AuditRecord.objects.filter(action__in=["test.old", "test.young"]).exists()


def test_moved_boundary_without_archive_is_a_broken_chain(history):
    _old, young = history
    archiving.archive()
    # Someone with database access deletes recent records and moves the boundary over them.
    _sql("DELETE FROM TABLE WHERE sequence = %s", [young[0].sequence])
    AuditChainHead.objects.update(base_sequence=young[0].sequence, base_mac=young[0].mac)
    status = verify_chain()
    assert not status.intact
    assert "归档文件" in status.message


def test_missing_archive_file_is_reported(history):
    path = archiving.archive().path
    path.unlink()
    status = verify_chain()
    assert not status.intact and "没有以该记录结尾的完好归档文件" in status.message


def test_broken_chain_is_not_archived(history):
    old, _young = history
    _sql("UPDATE TABLE SET actor_name = 'x' WHERE sequence = %s", [old[1].sequence])
    with pytest.raises(archiving.ArchiveError, match="被破坏"):
        archiving.archive()
    assert AuditRecord.objects.filter(action="test.old").count() == 5
    assert not archiving.archive_files()


def test_nothing_to_archive(archive_dir):
    record("test.young")
    result = archiving.archive()
    assert result.count == 0 and result.path is None
    assert not archiving.archive_files()


def test_worker_archives_monthly(history):
    assert archive_expired.call() == 5
    assert archive_expired.call() == 0  # archived just now: not due for a month
    with freeze_time(timezone.now() + timedelta(days=200)):
        assert archive_expired.call() > 0
