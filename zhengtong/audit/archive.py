"""Archiving audit records past the retention period to signed files, then removing them.

网络安全法 第21条 asks that network logs be kept for at least six months; GB/T 22239-2019 8.1.4.3 安全审计 asks
that records be protected against deletion. So a record leaves the database only when (1) it is older than
``ZT_AUDIT_RETENTION_DAYS`` (never below 180), (2) it has been written to an archive file whose seal was
checked, and (3) the chain head records the archived boundary in the same transaction as the deletion.

An archive is a JSON Lines file in ``ZT_AUDIT_ARCHIVE_DIR`` (``DATA_DIR/audit-archive``):

- a header line: format, creation time, cut-off, first and last sequence, and ``prev_mac``, the MAC the first
  record links to (the previous archive's last MAC, or "" at the start of the chain);
- one line per record: exactly the content its MAC covers (``services.canonical_content``) and the MAC, so
  each record can be checked again without the database;
- a seal line: count, last MAC and ``file_mac``, HMAC-SM3 under a key derived from the audit key over every
  byte before the seal. Changing, removing, adding or reordering anything in the file breaks the seal, and
  without the key nobody can make a new one.

After archiving, the first record left in the database links (``prev_mac``) to the archive's last MAC; the
chain head's ``base_sequence``/``base_mac`` name that boundary and ``verify_chain`` starts there, after checking
that an archive file in the directory ends exactly at it.
"""

import json
import os
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path

from cryptography.hazmat.primitives import hashes, hmac
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.audit.keys import audit_key
from zhengtong.audit.models import AuditChainHead, AuditRecord, retention_cutoff
from zhengtong.audit.services import HEAD_ID, _lock_head, canonical_bytes, canonical_content, hmac_sm3, record

FORMAT = "zhengtong-audit-archive/1"
CHUNK = 1000
# Domain separation: the file seal uses a key derived from the audit key, never the record MAC key itself.
SEAL_CONTEXT = b"zhengtong audit archive seal v1"


class ArchiveError(Exception):
    """Archiving refused or failed; the message (Chinese) says why and what to do."""


def archive_dir() -> Path:
    return Path(getattr(settings, "ZT_AUDIT_ARCHIVE_DIR", Path(settings.DATA_DIR) / "audit-archive"))


def seal_key(key: bytes | None = None) -> bytes:
    return bytes.fromhex(hmac_sm3(key or audit_key(), SEAL_CONTEXT))


def _line(obj: dict) -> bytes:
    return json.dumps(obj, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"


# --- Checking an archive ------------------------------------------------------------


@dataclass
class ArchiveStatus:
    intact: bool
    message: str  # Chinese, one line
    path: Path | None = None
    count: int = 0
    first_sequence: int = 0
    last_sequence: int = 0
    prev_mac: str = ""  # what the first record links to
    last_mac: str = ""
    created: str = ""
    before: str = ""


def verify_archive(path: Path, key: bytes | None = None) -> ArchiveStatus:
    """Check an archive file: its seal, every record's MAC, the sequence and the links between records."""
    key = key or audit_key()
    name = Path(path).name

    def broken(message: str) -> ArchiveStatus:
        return ArchiveStatus(False, f"{name}：{message}", Path(path))

    try:
        raw = Path(path).read_bytes()
    except OSError as exc:
        return broken(_("无法读取：%(error)s") % {"error": exc})
    lines = raw.splitlines(keepends=True)
    if len(lines) < 2:
        return broken(_("文件不完整"))
    try:
        header, seal = json.loads(lines[0]), json.loads(lines[-1])
    except ValueError:
        return broken(_("文件格式不对（首行或末行不是 JSON）"))
    if header.get("type") != "header" or header.get("format") != FORMAT or seal.get("type") != "seal":
        return broken(_("不是政通审计归档文件，或文件首尾被改动"))
    body = b"".join(lines[:-1])
    if hmac_sm3(seal_key(key), body) != seal.get("file_mac"):
        return broken(_("文件签名不符：归档文件被修改、截断或不是用本平台的审计密钥生成的"))
    expected_mac = header.get("prev_mac", "")
    expected_sequence = header.get("first_sequence")
    count = 0
    for number, line in enumerate(lines[1:-1], 2):
        try:
            entry = json.loads(line)
        except ValueError:
            return broken(_("第 %(line)d 行不是 JSON") % {"line": number})
        mac = entry.pop("mac", None)
        content = entry.get("content") or {}
        if hmac_sm3(key, canonical_bytes(content)) != mac:
            return broken(_("第 %(n)s 号记录的校验码不符") % {"n": content.get("sequence")})
        if content.get("sequence") != expected_sequence:
            return broken(_("记录序号不连续：应为第 %(n)s 号") % {"n": expected_sequence})
        if content.get("prev_mac") != expected_mac:
            return broken(_("第 %(n)s 号记录与前一条接不上") % {"n": content.get("sequence")})
        expected_mac, expected_sequence = mac, expected_sequence + 1
        count += 1
    if count != seal.get("count") or count != header.get("count") or expected_mac != seal.get("last_mac"):
        return broken(_("记录条数或末条校验码与文件签名处不符"))
    return ArchiveStatus(
        True,
        _("归档文件 %(name)s 完整：第 %(first)d 至 %(last)d 号，共 %(count)d 条（%(before)s 之前的记录）")
        % {
            "name": name,
            "first": header["first_sequence"],
            "last": header["last_sequence"],
            "count": count,
            "before": header.get("before", ""),
        },
        Path(path),
        count,
        header["first_sequence"],
        header["last_sequence"],
        header.get("prev_mac", ""),
        expected_mac,
        header.get("created", ""),
        header.get("before", ""),
    )


def archive_files() -> list[Path]:
    directory = archive_dir()
    return sorted(directory.glob("audit-*.jsonl")) if directory.is_dir() else []


def verify_boundary(base_sequence: int, base_mac: str) -> ArchiveStatus | None:
    """The archive that ends at the chain's archived boundary, checked; ``None`` when there is no boundary.

    Without this check, whoever can write the database could delete recent records and move the boundary
    over them; an archive file ending exactly there cannot be made without the audit key.
    """
    if not base_sequence:
        return None
    for path in reversed(archive_files()):
        status = verify_archive(path)
        if status.intact and status.last_sequence == base_sequence and status.last_mac == base_mac:
            return status
    return ArchiveStatus(
        False,
        _("链起点标明第 %(n)d 号及之前的记录已归档，但 %(dir)s 中没有以该记录结尾的完好归档文件：")
        % {"n": base_sequence, "dir": archive_dir()}
        + _("归档文件被移走、修改，或链起点被人改动。"),
    )


# --- Archiving ----------------------------------------------------------------------


@dataclass
class ArchiveResult:
    count: int
    path: Path | None = None
    first_sequence: int = 0
    last_sequence: int = 0
    messages: list[str] = field(default_factory=list)


def _records(first: int, last: int) -> Iterator[AuditRecord]:
    sequence = first - 1
    while sequence < last:
        chunk = list(AuditRecord.objects.filter(sequence__gt=sequence, sequence__lte=last).order_by("sequence")[:CHUNK])
        if not chunk:
            return
        yield from chunk
        sequence = chunk[-1].sequence


def _last_to_archive(base: int, cutoff: datetime) -> int:
    """The last sequence of the run of records from the boundary on that are all older than ``cutoff``."""
    first_young = (
        AuditRecord.objects.filter(sequence__gt=base, time__gte=cutoff)
        .order_by("sequence")
        .values_list("sequence", flat=True)
        .first()
    )
    if first_young is not None:
        return first_young - 1
    return (
        AuditRecord.objects.filter(sequence__gt=base).order_by("-sequence").values_list("sequence", flat=True).first()
        or base
    )


def _write(path: Path, header: dict, records: Iterator[AuditRecord], key: bytes) -> tuple[int, str]:
    """Write the archive to ``path`` (atomically, mode 600); return (count, last MAC)."""
    tmp = path.with_suffix(".tmp")
    seal = hmac.HMAC(seal_key(key), hashes.SM3())
    count, last_mac = 0, header["prev_mac"]
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as out:

        def put(data: bytes) -> None:
            out.write(data)
            seal.update(data)

        put(_line(header))
        for rec in records:
            put(_line({"type": "record", "content": canonical_content(rec), "mac": rec.mac}))
            count, last_mac = count + 1, rec.mac
        out.write(_line({"type": "seal", "count": count, "last_mac": last_mac, "file_mac": seal.finalize().hex()}))
        out.flush()
        os.fsync(out.fileno())
    os.replace(tmp, path)
    return count, last_mac


def archive(before: datetime | None = None, *, actor=None) -> ArchiveResult:
    """Archive the records older than ``before`` (default and latest allowed: the retention cut-off), then delete them.

    Refuses while the chain is broken: archiving would put a tampered record beyond the database's checks.
    """
    from zhengtong.audit.verify import verify_chain

    cutoff = retention_cutoff()
    if before is not None and before > cutoff:
        raise ArchiveError(
            _("只能归档保存期（%(days)s 天）以前的记录：请指定 %(date)s 或更早的日期。")
            % {"days": (timezone.now() - cutoff).days, "date": timezone.localtime(cutoff).date().isoformat()}
        )
    before = before or cutoff
    status = verify_chain()
    if not status.intact:
        raise ArchiveError(_("审计记录链被破坏，不能归档：%(message)s") % {"message": status.message})
    head = AuditChainHead.objects.filter(pk=HEAD_ID).first() or AuditChainHead(pk=HEAD_ID)
    base = head.base_sequence
    last = _last_to_archive(base, before)
    if last <= base:
        return ArchiveResult(0, messages=[_("没有需要归档的记录（%(date)s 之前）。") % {"date": _day(before)}])

    key = audit_key()
    directory = archive_dir()
    directory.mkdir(parents=True, exist_ok=True)
    os.chmod(directory, 0o700)
    path = directory / f"audit-{base + 1:012d}-{last:012d}.jsonl"
    header = {
        "type": "header",
        "format": FORMAT,
        "created": timezone.localtime().isoformat(timespec="seconds"),
        "before": timezone.localtime(before).isoformat(timespec="seconds"),
        "first_sequence": base + 1,
        "last_sequence": last,
        "count": last - base,
        "prev_mac": head.base_mac,
    }
    count, last_mac = _write(path, header, _records(base + 1, last), key)
    checked = verify_archive(path, key)
    if not checked.intact or count != last - base or checked.last_sequence != last:
        path.unlink(missing_ok=True)
        raise ArchiveError(_("归档文件校验失败，未删除任何记录：%(message)s") % {"message": checked.message})

    with transaction.atomic():
        locked = _lock_head()
        if locked.base_sequence != base:  # another worker archived meanwhile: keep its result, drop ours
            path.unlink(missing_ok=True)
            raise ArchiveError(_("另一个进程正在归档，本次未做任何改动。"))
        # The boundary first: AuditRecordQuerySet.delete() allows only records at or below it.
        AuditChainHead.objects.filter(pk=HEAD_ID).update(base_sequence=last, base_mac=last_mac)
        deleted, _by_model = AuditRecord.objects.filter(sequence__lte=last).delete()
        if deleted != count:
            raise ArchiveError(_("删除的记录数与归档数不符，已全部撤销。"))
        record(
            "audit.archive",
            actor=actor,
            detail={"file": path.name, "first": base + 1, "last": last, "count": count, "before": _day(before)},
        )
    return ArchiveResult(
        count,
        path,
        base + 1,
        last,
        [
            _("已归档并删除第 %(first)d 至 %(last)d 号记录，共 %(count)d 条（%(date)s 之前）：%(path)s")
            % {"first": base + 1, "last": last, "count": count, "date": _day(before), "path": path}
        ],
    )


def _day(moment: datetime) -> str:
    return timezone.localtime(moment).date().isoformat()


def archive_due(interval_days: int = 30, retry_days: int = 1) -> bool:
    """Monthly: due when some record has expired and the last archiving is ``interval_days`` old (a failed one:
    ``retry_days``, so a refusal is retried daily rather than written to the trail every scheduler interval)."""
    head = AuditChainHead.objects.filter(pk=HEAD_ID).first()
    base = head.base_sequence if head else 0
    last = (
        AuditRecord.objects.filter(action="audit.archive").order_by("-sequence").values_list("time", "result").first()
    )
    if last is not None:
        days = retry_days if last[1] != AuditRecord.Result.SUCCESS else interval_days
        if last[0] > timezone.now() - timedelta(days=days):
            return False
    return AuditRecord.objects.filter(sequence__gt=base, time__lt=retention_cutoff()).exists()
