"""The management commands behind ./zt backup and ./zt restore."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from zhengtong.backup import archive
from zhengtong.backup.tests.conftest import BACKUP_DB
from zhengtong.backup.tests.helpers import change_manifest


def run(*args, **options) -> str:
    out = StringIO()
    call_command(*args, stdout=out, stderr=StringIO(), **options)
    return out.getvalue()


@BACKUP_DB
def test_backup_shows_a_new_passphrase_once_then_verifies_and_restores(data_dir, tmp_path):
    first = run("zt_backup", output=str(tmp_path / "out"))
    passphrase = run("zt_backup", show_passphrase=True).strip()
    assert "正在备份数据库" in first and "备份完成" in first
    assert passphrase in first and "不要只留在这台服务器上" in first
    assert passphrase not in run("zt_backup", output=str(tmp_path / "out"))  # shown only when generated

    made = archive.list_backups(tmp_path / "out")[-1][1]
    assert "检验通过" in run("zt_backup", verify=str(made))

    (tmp_path / "pp").write_text(passphrase + "\n")
    target = tmp_path / "restored"
    if connection.vendor == "postgresql":
        # DATABASE_URL names the database in use: a PostgreSQL restore refuses a database that has tables.
        with pytest.raises(CommandError, match=f"数据库 {connection.settings_dict['NAME']} 不是空的"):
            run("zt_restore", str(made), data_dir=str(target), passphrase_file=str(tmp_path / "pp"))
    else:
        assert "已恢复" in run("zt_restore", str(made), data_dir=str(target), passphrase_file=str(tmp_path / "pp"))
        assert (target / "secrets" / "backup_passphrase").read_text().strip() == passphrase
        with pytest.raises(CommandError, match="不是空的"):  # the data directory now holds data
            run("zt_restore", str(made), data_dir=str(target), passphrase_file=str(tmp_path / "pp"))

    change_manifest(made, lambda m: m["counts"].update(zt_audit_auditrecord=999))
    with pytest.raises(CommandError, match="检验未通过"):
        run("zt_backup", verify=str(made))
