from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils.translation import gettext as _

from zhengtong.backup import archive
from zhengtong.backup.crypto import WrongPassphrase
from zhengtong.backup.database import BackupError
from zhengtong.backup.management.commands.zt_backup import read_passphrase
from zhengtong.backup.passphrase import write_passphrase


class Command(BaseCommand):
    help = (
        "Restore a backup archive into an empty data directory (and an empty PostgreSQL database). "
        "./zt restore runs it, then runs it again with --finish inside the restored installation."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="The backup archive (.tar.gz, its .sha256 beside it).")
        parser.add_argument("--data-dir", help="The empty data directory to restore into.")
        parser.add_argument("--passphrase-file", help="Read the backup passphrase from this file.")
        parser.add_argument(
            "--finish", action="store_true", help="Inside the restored installation: record and check the chain."
        )

    def say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()

    def handle(self, *args, **options):
        if options["finish"]:
            return self.finish(options["archive"])
        if not options["data_dir"]:
            raise CommandError(_("请用 --data-dir 指定要恢复到的空数据目录。"))
        passphrase = read_passphrase(options["passphrase_file"], prompt=True)
        if not passphrase:
            raise CommandError(_("需要备份口令：在终端输入，或用 --passphrase-file / ZT_BACKUP_PASSPHRASE 提供。"))
        pg_settings = connection.settings_dict if connection.vendor == "postgresql" else None
        try:
            result = archive.restore_backup(
                Path(options["archive"]), Path(options["data_dir"]), passphrase, pg_settings=pg_settings, say=self.say
            )
        except (BackupError, WrongPassphrase, OSError, ValueError) as exc:
            raise CommandError(_("恢复失败：%(error)s") % {"error": exc}) from exc
        # The restored installation makes its own backups with the same passphrase the operator just used.
        write_passphrase(result.data_dir / "secrets" / "backup_passphrase", passphrase)
        for warning in result.warnings:
            self.stderr.write(warning)
        manifest = result.manifest
        self.say(
            _("已恢复 %(time)s 的备份：%(n)d 张表，%(f)d 个文件，数据库 %(db)s。")
            % {"time": manifest["created"][:19].replace("T", " "), "n": len(manifest["counts"]),
               "f": len(manifest["files"]), "db": result.database}
        )  # fmt: skip

    def finish(self, name: str) -> None:
        from zhengtong.audit.verify import verify_chain
        from zhengtong.backup.services import _safe_record

        status = verify_chain()
        _safe_record(
            "backup.restore",
            result="success" if status.intact else "failure",
            detail={"file": Path(name).name, "chain_intact": status.intact},
        )
        if not status.intact:
            raise CommandError(_("审计记录链校验未通过：%(m)s") % {"m": status.message})
        self.say(_("审计记录链完整（%(n)d 条）。") % {"n": status.checked})
