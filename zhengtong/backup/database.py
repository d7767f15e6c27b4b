"""Copying the database out and back in: SQLite's online backup API, PostgreSQL's pg_dump/pg_restore.

Record counts are taken from exactly what was copied (the SQLite copy; the snapshot pg_dump reads), so a
backup's manifest matches its database even while the site keeps writing.
"""

import glob
import os
import re
import secrets
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _


class BackupError(Exception):
    """A failure the operator can act on; the message is Chinese and says what to do."""


# --- SQLite -------------------------------------------------------------------------------------------


def _sqlite_connect(name: str | Path) -> sqlite3.Connection:
    name = str(name)
    # Django's in-memory test databases are shared-cache URIs ("file:memorydb_default?mode=memory&cache=shared").
    return sqlite3.connect(name, uri=name.startswith("file:"), timeout=30)


LOCK_WAIT = 120  # seconds


def sqlite_copy(source: str | Path, target: Path) -> None:
    """Copy a live SQLite database (WAL, possibly being written) with the online backup API.

    One step (``pages=-1``) holds a read transaction for the whole copy, so the copy is one consistent
    moment of the database; writers in WAL mode are not blocked meanwhile.
    """
    src = _sqlite_connect(source)
    dst = sqlite3.connect(target)
    deadline = time.monotonic() + LOCK_WAIT

    def give_up_when_locked_too_long(status: int, _remaining: int, _total: int) -> None:
        # sqlite3 retries a locked source for ever; a lock held this long is a stuck process, not a busy site.
        if status in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) and time.monotonic() > deadline:
            raise BackupError(_("数据库被占用超过 %(s)d 秒，无法备份，请稍后重试。") % {"s": LOCK_WAIT})

    try:
        with dst:
            src.backup(dst, pages=-1, progress=give_up_when_locked_too_long)
        # The copy is a single file: no -wal beside it to forget.
        dst.execute("PRAGMA journal_mode=DELETE")
    finally:
        dst.close()
        src.close()


def sqlite_tables(path: Path) -> dict[str, int]:
    """Rows per table in an SQLite file (virtual full-text tables included, their shadow tables too)."""
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        names = [
            row[0]
            for row in conn.execute(
                "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name"
            )
        ]
        counts = {}
        for name in names:
            quoted = '"' + name.replace('"', '""') + '"'
            counts[name] = conn.execute(f"SELECT count(*) FROM {quoted}").fetchone()[0]  # noqa: S608  # nosec B608 - table names read from sqlite_master and quoted
        return counts
    finally:
        conn.close()


def sqlite_migrations(path: Path) -> dict[str, list[str]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = conn.execute("SELECT app, name FROM django_migrations ORDER BY app, name").fetchall()
    except sqlite3.OperationalError:
        rows = []
    finally:
        conn.close()
    return _group(rows)


def sqlite_integrity(path: Path) -> str:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def _group(rows) -> dict[str, list[str]]:
    result: dict[str, list[str]] = {}
    for app, name in rows:
        result.setdefault(app, []).append(name)
    return result


# --- PostgreSQL ---------------------------------------------------------------------------------------


def pg_params(settings_dict: dict, dbname: str | None = None) -> dict:
    """psycopg keyword arguments for a Django database settings dict (optionally another database)."""
    params = {"dbname": dbname or settings_dict["NAME"]}
    for key, name in (("USER", "user"), ("PASSWORD", "password"), ("HOST", "host"), ("PORT", "port")):
        if settings_dict.get(key):
            params[name] = str(settings_dict[key])
    sslmode = (settings_dict.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        params["sslmode"] = sslmode
    return params


def pg_env(params: dict) -> dict:
    """Environment for the PostgreSQL client programs: the password never appears on a command line."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG")}
    for name, var in (
        ("dbname", "PGDATABASE"),
        ("user", "PGUSER"),
        ("password", "PGPASSWORD"),
        ("host", "PGHOST"),
        ("port", "PGPORT"),
        ("sslmode", "PGSSLMODE"),
    ):
        if params.get(name):
            env[var] = params[name]
    return env


def _connect(params: dict, **kwargs):
    import psycopg

    try:
        return psycopg.connect(**params, connect_timeout=10, **kwargs)
    except psycopg.Error as exc:
        raise BackupError(
            _("连接不上 PostgreSQL 数据库 %(db)s：%(error)s") % {"db": params["dbname"], "error": exc}
        ) from exc


def _tool_version(path: str) -> int | None:
    try:
        # An executable found above, fixed arguments, no shell.
        completed = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30, check=True)  # noqa: S603
        out = completed.stdout
    except (OSError, subprocess.SubprocessError):
        return None
    match = re.search(r"\)\s*(\d+)", out)
    return int(match.group(1)) if match else None


def find_pg_tool(name: str, server_major: int) -> str:
    """The ``pg_dump``/``pg_restore`` to use: at least as new as the server (older ones refuse or lose data).

    Debian keeps one per installed major version in /usr/lib/postgresql/<N>/bin; ``ZT_PG_BIN_DIR`` names
    another directory.
    """
    candidates = []
    if getattr(settings, "ZT_PG_BIN_DIR", ""):
        candidates.append(str(Path(settings.ZT_PG_BIN_DIR) / name))
    candidates += sorted(
        glob.glob(f"/usr/lib/postgresql/*/bin/{name}"),
        key=lambda p: int(re.sub(r"\D", "", Path(p).parent.parent.name) or 0),
        reverse=True,
    )
    if shutil.which(name):
        candidates.append(shutil.which(name))
    found = []
    for path in candidates:
        if os.access(path, os.X_OK):
            version = _tool_version(path)
            if version is not None:
                found.append((path, version))
                if version >= server_major:
                    return path
    if not found:
        raise BackupError(
            _(
                "找不到 %(tool)s。请安装与数据库服务器相同或更新版本的 PostgreSQL 客户端，"
                "例如 Debian 上：apt-get install postgresql-client-%(major)d；"
                "装在别处时用环境变量 ZT_PG_BIN_DIR 指定所在目录。"
            )
            % {"tool": name, "major": server_major}
        )
    newest = max(v for _p, v in found)
    raise BackupError(
        _(
            "%(tool)s 的版本（%(have)d）比数据库服务器（%(server)d）旧，无法可靠地备份或恢复。"
            "请安装 postgresql-client-%(server)d（Debian: apt-get install postgresql-client-%(server)d），"
            "或用 ZT_PG_BIN_DIR 指定新版客户端所在的目录。"
        )
        % {"tool": name, "have": newest, "server": server_major}
    )


def _pg_tables(conn) -> list[tuple[str, str]]:
    return conn.execute(
        "SELECT schemaname, tablename FROM pg_tables"
        " WHERE schemaname NOT IN ('pg_catalog', 'information_schema') ORDER BY schemaname, tablename"
    ).fetchall()


def pg_counts(conn) -> dict[str, int]:
    from psycopg import sql

    counts = {}
    for schema, table in _pg_tables(conn):
        query = sql.SQL("SELECT count(*) FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(table))
        name = table if schema == "public" else f"{schema}.{table}"
        counts[name] = conn.execute(query).fetchone()[0]
    return counts


def pg_migrations(conn) -> dict[str, list[str]]:
    return _group(conn.execute("SELECT app, name FROM django_migrations ORDER BY app, name").fetchall())


def pg_dump(settings_dict: dict, target: Path) -> tuple[dict[str, int], dict[str, list[str]], int]:
    """Dump the database (custom format) to ``target``; return (counts, migrations, server major version).

    The counts are read in a REPEATABLE READ transaction whose snapshot pg_dump is told to use
    (``--snapshot``), so they describe exactly the rows in the dump.
    """
    params = pg_params(settings_dict)
    conn = _connect(params)
    try:
        server_major = conn.info.server_version // 10000
        tool = find_pg_tool("pg_dump", server_major)
        conn.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        snapshot = conn.execute("SELECT pg_export_snapshot()").fetchone()[0]
        counts = pg_counts(conn)
        migrations = pg_migrations(conn)
        completed = subprocess.run(  # noqa: S603  (fixed arguments, no shell; password in the environment)
            [tool, "--format=custom", "--no-owner", "--no-privileges", f"--snapshot={snapshot}", f"--file={target}"],
            env=pg_env(params),
            capture_output=True,
            text=True,
        )
        conn.rollback()
    finally:
        conn.close()
    if completed.returncode != 0:
        raise BackupError(_("pg_dump 失败：%(error)s") % {"error": completed.stderr.strip()[-500:]})
    return counts, migrations, server_major


def pg_is_empty(params: dict) -> bool:
    conn = _connect(params)
    try:
        return not _pg_tables(conn)
    finally:
        conn.close()


def pg_database_exists(params: dict) -> bool:
    conn = _connect({**params, "dbname": "postgres"}, autocommit=True)
    try:
        return bool(conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [params["dbname"]]).fetchone())
    finally:
        conn.close()


def pg_create_database(params: dict) -> None:
    import psycopg
    from psycopg import sql

    conn = _connect({**params, "dbname": "postgres"}, autocommit=True)
    try:
        conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(params["dbname"])))
    except psycopg.Error as exc:
        raise BackupError(
            _("无法创建数据库 %(db)s（数据库用户需要 CREATEDB 权限，或请管理员先建好空库）：%(error)s")
            % {"db": params["dbname"], "error": exc}
        ) from exc
    finally:
        conn.close()


def pg_drop_database(params: dict) -> None:
    from psycopg import sql

    conn = _connect({**params, "dbname": "postgres"}, autocommit=True)
    try:
        conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(params["dbname"])))
    finally:
        conn.close()


def pg_restore(params: dict, dump: Path) -> None:
    """Load a custom-format dump into the (empty) database ``params`` names, all or nothing."""
    conn = _connect(params)
    try:
        server_major = conn.info.server_version // 10000
    finally:
        conn.close()
    tool = find_pg_tool("pg_restore", server_major)
    completed = subprocess.run(  # noqa: S603  (fixed arguments, no shell; password in the environment)
        [tool, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction",
         f"--dbname={params['dbname']}", str(dump)],
        env=pg_env(params),
        capture_output=True,
        text=True,
    )  # fmt: skip
    if completed.returncode != 0:
        raise BackupError(_("pg_restore 失败：%(error)s") % {"error": completed.stderr.strip()[-500:]})


def pg_read_state(params: dict) -> tuple[dict[str, int], dict[str, list[str]]]:
    conn = _connect(params)
    try:
        return pg_counts(conn), pg_migrations(conn)
    finally:
        conn.close()


@contextmanager
def scratch_pg_database(settings_dict: dict) -> Iterator[dict]:
    """A new empty database on the same server, dropped afterwards whatever happens."""
    params = pg_params(settings_dict, dbname=f"zt_verify_{secrets.token_hex(4)}")
    pg_create_database(params)
    try:
        yield params
    finally:
        pg_drop_database(params)
