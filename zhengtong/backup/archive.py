"""One backup archive: create it, check it, restore it.

Layout of ``zhengtong-backup-YYYYMMDD-HHMMSS.tar.gz`` (beside it ``<name>.sha256``, ``sha256sum -c`` format):

- ``database/db.sqlite3`` (SQLite, online backup API) or ``database/zhengtong.dump`` (``pg_dump -Fc``)
- ``media/...`` the uploaded files (original images, renditions, documents)
- ``secrets.enc`` every file of the secrets directory (SECRET_KEY, audit key, personal-data key ring), as an
  uncompressed tar encrypted with the backup passphrase (crypto.py)
- ``manifest.json`` (last): format, versions, time, engine, migrations, rows per table, SHA-256 of every file

Caches, collected static files, logs and outgoing mail are not in it: they are regenerated or transient.
"""

import hashlib
import io
import json
import os
import platform
import re
import shutil
import tarfile
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from zhengtong.backup import crypto, database
from zhengtong.backup.database import BackupError
from zhengtong.backup.datadir import nonempty_entries

FORMAT_VERSION = 1
PREFIX = "zhengtong-backup-"
SUFFIX = ".tar.gz"
NAME_RE = re.compile(rf"^{PREFIX}(\d{{8}}-\d{{6}}){re.escape(SUFFIX)}$")
SQLITE_MEMBER = "database/db.sqlite3"
PG_MEMBER = "database/zhengtong.dump"
SECRETS_MEMBER = "secrets.enc"
MANIFEST_MEMBER = "manifest.json"
CHUNK = 1 << 20

Say = Callable[[str], None]


def _quiet(_message: str) -> None:
    pass


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(CHUNK):
            h.update(block)
    return h.hexdigest()


class _HashingReader:
    """Hands tarfile the file's bytes while hashing them: every file is read once."""

    def __init__(self, f):
        self.f = f
        self.hash = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        data = self.f.read(size)
        self.hash.update(data)
        return data


def _add_file(tar: tarfile.TarFile, path: Path, member: str) -> str:
    with open(path, "rb") as f:
        st = os.fstat(f.fileno())
        info = tarfile.TarInfo(member)
        info.size = st.st_size
        info.mtime = int(st.st_mtime)
        info.mode = 0o600 if member == SECRETS_MEMBER else 0o644
        reader = _HashingReader(f)
        tar.addfile(info, reader)
    return reader.hash.hexdigest()


def _add_bytes(tar: tarfile.TarFile, data: bytes, member: str) -> str:
    info = tarfile.TarInfo(member)
    info.size = len(data)
    info.mtime = int(time.time())
    info.mode = 0o600
    tar.addfile(info, io.BytesIO(data))
    return hashlib.sha256(data).hexdigest()


def secrets_dir() -> Path:
    return Path(settings.DATA_DIR) / "secrets"


def _secret_files(directory: Path) -> list[Path]:
    """Key material to carry: every file of the secrets directory except the backup passphrase itself."""
    if not directory.is_dir():
        return []
    skip = {Path(settings.ZT_BACKUP_PASSPHRASE_FILE).resolve()}
    return sorted(p for p in directory.rglob("*") if p.is_file() and p.resolve() not in skip)


def _pack_secrets(directory: Path) -> tuple[bytes, dict[str, str]]:
    buffer = io.BytesIO()
    hashes = {}
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        for path in _secret_files(directory):
            rel = path.relative_to(directory).as_posix()
            hashes[rel] = sha256_file(path)
            tar.add(path, arcname=rel, recursive=False)
    return buffer.getvalue(), hashes


def _media_files(media_root: Path) -> list[Path]:
    if not media_root.is_dir():
        return []
    return sorted(p for p in media_root.rglob("*") if p.is_file() and not p.is_symlink())


def _migration_names_in_code() -> dict[str, list[str]]:
    from django.db.migrations.loader import MigrationLoader

    loader = MigrationLoader(None, ignore_no_migrations=True)
    result: dict[str, list[str]] = {}
    for app, name in sorted(loader.disk_migrations):
        result.setdefault(app, []).append(name)
    return result


def archive_name(moment: datetime | None = None) -> str:
    moment = timezone.localtime(moment or timezone.now())
    return f"{PREFIX}{moment:%Y%m%d-%H%M%S}{SUFFIX}"


def checksum_path(archive: Path) -> Path:
    return archive.with_name(archive.name + ".sha256")


@dataclass
class BackupResult:
    path: Path
    manifest: dict
    size: int


def create_backup(output_dir: Path, passphrase: str, say: Say = _quiet) -> BackupResult:
    """Write one consistent backup archive (and its .sha256) into ``output_dir``; return where and what.

    The archive is written under a temporary name and renamed when complete, so a crash never leaves
    something that looks like a finished backup.
    """
    output_dir.mkdir(parents=True, exist_ok=True)
    now = timezone.now()
    target = output_dir / archive_name(now)
    if target.exists():  # two backups within one second
        time.sleep(1)
        now = timezone.now()
        target = output_dir / archive_name(now)
    partial = target.with_name("." + target.name + ".partial")
    settings_dict = connection.settings_dict
    files: dict[str, str] = {}
    # The database copy is staged beside the archive, not in /tmp: /tmp is often a small RAM disk.
    with tempfile.TemporaryDirectory(prefix=".zt-backup-", dir=output_dir) as tmp:
        tmp_dir = Path(tmp)
        say(_("正在备份数据库…"))
        if connection.vendor == "sqlite":
            engine = "sqlite"
            db_file = tmp_dir / "db.sqlite3"
            database.sqlite_copy(settings_dict["NAME"], db_file)
            counts = database.sqlite_tables(db_file)
            migrations = database.sqlite_migrations(db_file)
            db_member, server = SQLITE_MEMBER, None
        elif connection.vendor == "postgresql":
            engine = "postgresql"
            db_file = tmp_dir / "zhengtong.dump"
            counts, migrations, server = database.pg_dump(settings_dict, db_file)
            db_member = PG_MEMBER
        else:
            raise BackupError(_("不支持的数据库：%(vendor)s") % {"vendor": connection.vendor})
        say(_("数据库：%(tables)d 张表，共 %(rows)d 行。") % {"tables": len(counts), "rows": sum(counts.values())})

        say(_("正在加密密钥…"))
        secret_tar, secret_hashes = _pack_secrets(secrets_dir())
        encrypted = crypto.encrypt(secret_tar, passphrase)

        media_root = Path(settings.MEDIA_ROOT)
        media = _media_files(media_root)
        say(_("正在打包：数据库和 %(n)d 个上传文件…") % {"n": len(media)})
        try:
            with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
                files[db_member] = _add_file(tar, db_file, db_member)
                files[SECRETS_MEMBER] = _add_bytes(tar, encrypted, SECRETS_MEMBER)
                for i, path in enumerate(media, 1):
                    member = "media/" + path.relative_to(media_root).as_posix()
                    try:
                        files[member] = _add_file(tar, path, member)
                    except FileNotFoundError:
                        continue  # deleted while we were packing: it is not part of the site any more
                    if i % 500 == 0:
                        say(_("  已打包 %(i)d / %(n)d 个文件") % {"i": i, "n": len(media)})
                manifest = {
                    "format": FORMAT_VERSION,
                    "created": timezone.localtime(now).isoformat(),
                    "zhengtong_version": _zhengtong_version(),
                    "python": platform.python_version(),
                    "host": platform.node(),
                    "engine": engine,
                    "postgresql_server": server,
                    "migrations": migrations,
                    "counts": counts,
                    "files": files,
                    "secrets": secret_hashes,
                    "encryption": "scrypt + AES-256-GCM (operator's guide 10.2)",
                }
                _add_bytes(tar, json.dumps(manifest, ensure_ascii=False, indent=1).encode(), MANIFEST_MEMBER)
            os.chmod(partial, 0o600)  # the database holds password hashes and personal data
            digest = sha256_file(partial)
            os.replace(partial, target)
        except BaseException:
            partial.unlink(missing_ok=True)
            raise
    checksum = checksum_path(target)
    checksum.write_text(f"{digest}  {target.name}\n")
    os.chmod(checksum, 0o600)
    size = target.stat().st_size
    say(_("备份完成：%(path)s（%(size).1f MB），校验文件 %(sum)s") % {
        "path": target, "size": size / 1e6, "sum": checksum.name})  # fmt: skip
    return BackupResult(target, manifest, size)


def _zhengtong_version() -> str:
    try:
        from importlib.metadata import version

        return version("zhengtong")
    except Exception:
        return "0.1.0"


# --- Reading archives -----------------------------------------------------------------------------------


def check_checksum(archive: Path) -> None:
    """Compare the archive with its .sha256 file; ``BackupError`` when missing or different."""
    if not archive.is_file():
        raise BackupError(_("找不到备份文件 %(path)s。") % {"path": archive})
    sidecar = checksum_path(archive)
    if not sidecar.is_file():
        raise BackupError(
            _("找不到校验文件 %(sum)s：复制备份时要连同同名的 .sha256 文件一起复制。") % {"sum": sidecar.name}
        )
    expected = sidecar.read_text().split()[0].lower()
    if sha256_file(archive) != expected:
        raise BackupError(
            _("备份文件 %(name)s 与校验值不符：文件已损坏或不完整，请换一份备份。") % {"name": archive.name}
        )


def extract(archive: Path, target: Path) -> dict:
    """Unpack ``archive`` into ``target`` and return its manifest, checking every file against it."""
    with tarfile.open(archive, "r:*") as tar:
        tar.extractall(target, filter="data")
    manifest_path = target / MANIFEST_MEMBER
    if not manifest_path.is_file():
        raise BackupError(_("这不是政通的备份文件（缺少 manifest.json）。"))
    manifest = json.loads(manifest_path.read_text())
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(_("备份格式版本 %(v)s 不受支持。") % {"v": manifest.get("format")})
    return manifest


def file_problems(root: Path, manifest: dict) -> list[str]:
    """Files missing, extra or different from the manifest's SHA-256."""
    problems = []
    listed = manifest["files"]
    present = {p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_file() and p.name != MANIFEST_MEMBER}
    for member, digest in sorted(listed.items()):
        if member not in present:
            problems.append(_("缺少文件：%(f)s") % {"f": member})
        elif sha256_file(root / member) != digest:
            problems.append(_("文件内容与清单不符：%(f)s") % {"f": member})
    for member in sorted(present - set(listed)):
        problems.append(_("清单中没有的文件：%(f)s") % {"f": member})
    return problems


def open_secrets(root: Path, manifest: dict, passphrase: str) -> dict[str, bytes]:
    """Decrypt the key material: {relative path: bytes}, each checked against the manifest."""
    plaintext = crypto.decrypt((root / SECRETS_MEMBER).read_bytes(), passphrase)
    result = {}
    with tarfile.open(fileobj=io.BytesIO(plaintext), mode="r:") as tar:
        for member in tar.getmembers():
            if not member.isfile() or member.name.startswith("/") or ".." in Path(member.name).parts:
                continue
            result[member.name] = tar.extractfile(member).read()
    for name, digest in manifest.get("secrets", {}).items():
        if name not in result or hashlib.sha256(result[name]).hexdigest() != digest:
            raise BackupError(_("备份中的密钥文件 %(f)s 与清单不符。") % {"f": name})
    return result


def compare_counts(expected: dict[str, int], found: dict[str, int]) -> list[str]:
    problems = []
    for table in sorted(set(expected) | set(found)):
        if expected.get(table) != found.get(table):
            problems.append(
                _("表 %(t)s 的记录数不同：清单 %(a)s，恢复后 %(b)s")
                % {"t": table, "a": expected.get(table, "—"), "b": found.get(table, "—")}
            )
    return problems


# --- Restore --------------------------------------------------------------------------------------------


def _write_private(path: Path, data: bytes) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    os.chmod(path.parent, 0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as f:
        f.write(data)


@dataclass
class RestoreResult:
    manifest: dict
    data_dir: Path
    database: str  # the SQLite file or the PostgreSQL database name
    warnings: list[str] = field(default_factory=list)


def restore_backup(
    archive: Path,
    data_dir: Path,
    passphrase: str,
    *,
    pg_settings: dict | None = None,
    say: Say = _quiet,
) -> RestoreResult:
    """Restore ``archive`` into the empty ``data_dir`` (and, for a PostgreSQL backup, into the empty
    database ``pg_settings`` describes, created if missing).

    Nothing is written before the checksum, every file and the passphrase have been checked.
    """
    archive = Path(archive).resolve()
    data_dir = Path(data_dir).resolve()
    leftovers = nonempty_entries(data_dir)
    if leftovers:
        raise BackupError(
            _("数据目录 %(dir)s 不是空的（有 %(entries)s）。恢复只写入空目录，以免覆盖现有数据："
              "请换一个新目录（--data-dir），或先把这个目录移走。")
            % {"dir": data_dir, "entries": "、".join(leftovers[:5])}
        )  # fmt: skip
    say(_("正在核对备份文件的校验值…"))
    check_checksum(archive)
    data_dir.mkdir(parents=True, exist_ok=True)
    os.chmod(data_dir, 0o750)  # noqa: S103  # nosec B103 - the data directory, for the service user and its group (guide 1.4)
    staging = Path(tempfile.mkdtemp(prefix=".restore-", dir=data_dir))
    try:
        say(_("正在解包…"))
        manifest = extract(archive, staging)
        problems = file_problems(staging, manifest)
        if problems:
            raise BackupError(_("备份内容与清单不符：") + "；".join(problems[:5]))
        say(_("正在解密密钥…"))
        keys = open_secrets(staging, manifest, passphrase)
        engine = manifest["engine"]
        if engine == "postgresql":
            if not pg_settings:
                raise BackupError(
                    _("这是 PostgreSQL 数据库的备份：请在环境变量中设置 DATABASE_URL（指向一个空库）后再恢复。")
                )
            params = database.pg_params(pg_settings)
            if not database.pg_database_exists(params):
                say(_("创建数据库 %(db)s…") % {"db": params["dbname"]})
                database.pg_create_database(params)
            elif not database.pg_is_empty(params):
                raise BackupError(
                    _(
                        "数据库 %(db)s 不是空的。恢复只写入空库，以免覆盖现有数据："
                        "请新建一个空库并让 DATABASE_URL 指向它。"
                    )
                    % {"db": params["dbname"]}
                )
            say(_("正在恢复数据库（pg_restore）…"))
            database.pg_restore(params, staging / PG_MEMBER)
            db_name = params["dbname"]
        else:
            if pg_settings:
                raise BackupError(
                    _("这是 SQLite 数据库的备份，而当前设置了 DATABASE_URL（PostgreSQL）。"
                      "请去掉 DATABASE_URL 恢复，再按运维手册 7.2 迁移到 PostgreSQL。")
                )  # fmt: skip
            say(_("正在恢复数据库…"))
            db_path = data_dir / "db.sqlite3"
            os.replace(staging / SQLITE_MEMBER, db_path)
            os.chmod(db_path, 0o600)
            db_name = str(db_path)
        say(_("正在恢复上传文件…"))
        media_root = data_dir / "media"
        media_root.mkdir(exist_ok=True)
        staged_media = staging / "media"
        if staged_media.is_dir():
            for item in staged_media.iterdir():
                target = media_root / item.name
                if target.exists():
                    shutil.rmtree(target) if target.is_dir() else target.unlink()
                shutil.move(str(item), target)
        say(_("正在恢复密钥…"))
        for name, data in keys.items():
            _write_private(data_dir / "secrets" / name, data)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    result = RestoreResult(manifest, data_dir, db_name)
    missing = _missing_migrations(manifest)
    if missing:
        result.warnings.append(
            _("备份来自更新版本的政通（有本程序没有的数据库迁移，如 %(m)s）：请先把程序升级到同一版本。")
            % {"m": missing[0]}
        )
    return result


def _missing_migrations(manifest: dict) -> list[str]:
    try:
        code = _migration_names_in_code()
    except Exception:
        return []
    return [
        f"{app}.{name}"
        for app, names in sorted(manifest.get("migrations", {}).items())
        for name in names
        if name not in set(code.get(app, []))
    ]


# --- Verify ---------------------------------------------------------------------------------------------


@dataclass
class VerifyResult:
    ok: bool
    problems: list[str]
    manifest: dict | None


def verify_backup(archive: Path, passphrase: str | None, *, say: Say = _quiet) -> VerifyResult:
    """Restore ``archive`` into scratch space and compare it with its manifest; nothing else is touched.

    PostgreSQL backups are loaded into a scratch database on the configured server, dropped afterwards.
    """
    archive = Path(archive).resolve()
    problems: list[str] = []
    say(_("正在核对备份文件的校验值…"))
    try:
        check_checksum(archive)
    except BackupError as exc:
        return VerifyResult(False, [str(exc)], None)
    with tempfile.TemporaryDirectory(prefix="zt-verify-") as tmp:
        root = Path(tmp)
        say(_("正在解包到临时目录…"))
        try:
            manifest = extract(archive, root)
        except (BackupError, tarfile.TarError, OSError, ValueError) as exc:
            return VerifyResult(False, [str(exc)], None)
        say(_("正在核对 %(n)d 个文件的 SHA-256…") % {"n": len(manifest["files"])})
        problems += file_problems(root, manifest)
        if passphrase is None:
            problems.append(_("没有备份口令，无法检查密钥能否解开。"))
        else:
            say(_("正在解密密钥…"))
            try:
                open_secrets(root, manifest, passphrase)
            except (crypto.WrongPassphrase, BackupError, ValueError) as exc:
                problems.append(str(exc))
        say(_("正在恢复数据库到临时位置并清点记录…"))
        try:
            if manifest["engine"] == "sqlite":
                db_file = root / SQLITE_MEMBER
                integrity = database.sqlite_integrity(db_file)
                if integrity != "ok":
                    problems.append(_("SQLite 完整性检查失败：%(r)s") % {"r": integrity})
                counts = database.sqlite_tables(db_file)
            else:
                if connection.vendor != "postgresql":
                    raise BackupError(
                        _("这是 PostgreSQL 数据库的备份：检验需要一个 PostgreSQL 服务器，请设置 DATABASE_URL。")
                    )
                with database.scratch_pg_database(connection.settings_dict) as params:
                    database.pg_restore(params, root / PG_MEMBER)
                    counts, _migrations = database.pg_read_state(params)
            problems += compare_counts(manifest["counts"], counts)
        except (BackupError, OSError, ValueError) as exc:
            problems.append(str(exc))
        except Exception as exc:  # e.g. sqlite3.DatabaseError on a damaged copy
            problems.append(_("数据库无法读取：%(e)s") % {"e": exc})
    return VerifyResult(not problems, problems, manifest)


# --- The backup directory ---------------------------------------------------------------------------------


def backup_dir() -> Path:
    return Path(settings.ZT_BACKUP_DIR)


def list_backups(directory: Path | None = None) -> list[tuple[datetime, Path]]:
    """Finished backups (with their .sha256) in ``directory``, oldest first, with their local creation time."""
    directory = directory or backup_dir()
    if not directory.is_dir():
        return []
    found = []
    for path in directory.iterdir():
        match = NAME_RE.match(path.name)
        if match and checksum_path(path).exists():
            moment = datetime.strptime(match.group(1), "%Y%m%d-%H%M%S")
            found.append((timezone.make_aware(moment), path))
    return sorted(found)


def prune(keep: int, directory: Path | None = None) -> list[Path]:
    """Delete all but the newest ``keep`` backups; return what was deleted."""
    backups = list_backups(directory)
    doomed = [path for _moment, path in backups[: max(0, len(backups) - max(keep, 1))]]
    for path in doomed:
        path.unlink(missing_ok=True)
        checksum_path(path).unlink(missing_ok=True)
    return doomed
