import getpass
import os
import sys
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhengtong.backup import services
from zhengtong.backup.database import BackupError
from zhengtong.backup.passphrase import existing_passphrase, passphrase_file

PASSPHRASE_NOTICE = _(
    """
================================================================
  已生成备份口令（保存在 {path}）：

      {passphrase}

  备份中的密钥用它加密。服务器损坏或丢失时，没有这个口令就无法恢复。
  现在就把它抄在纸上放进保险柜，或存入密码管理器——不要只留在这台服务器上。
  以后可以用 ./zt backup --show-passphrase 再次查看。
================================================================
"""
)


class Command(BaseCommand):
    help = "Write a backup archive (database, media, encrypted keys, manifest), or verify one."

    def add_arguments(self, parser):
        parser.add_argument("--output", help="Directory for the archive (default: ZT_BACKUP_DIR).")
        parser.add_argument("--verify", metavar="FILE", help="Restore FILE into scratch space and compare.")
        parser.add_argument("--passphrase-file", help="Read the passphrase from this file (for --verify).")
        parser.add_argument("--show-passphrase", action="store_true", help="Print this server's backup passphrase.")

    def say(self, message: str) -> None:
        self.stdout.write(message)
        self.stdout.flush()

    def handle(self, *args, **options):
        if options["show_passphrase"]:
            value = existing_passphrase()
            if not value:
                raise CommandError(_("还没有备份口令：第一次运行 ./zt backup 时生成。"))
            self.stdout.write(value)
            return
        if options["verify"]:
            return self.verify(Path(options["verify"]), options["passphrase_file"])
        try:
            _result, created = services.make_backup(
                Path(options["output"]) if options["output"] else None, say=self.say
            )
        except (BackupError, OSError) as exc:
            raise CommandError(_("备份失败：%(error)s") % {"error": exc}) from exc
        if created:
            self.stdout.write(
                PASSPHRASE_NOTICE.format(path=settings.ZT_BACKUP_PASSPHRASE_FILE, passphrase=existing_passphrase())
            )

    def verify(self, path: Path, passphrase_path: str | None) -> None:
        passphrase = read_passphrase(passphrase_path, prompt=False)
        result = services.verify(path, passphrase, say=self.say)
        if result.ok:
            manifest = result.manifest
            self.stdout.write(
                _("检验通过：%(n)d 张表的记录数、%(f)d 个文件的校验值都与清单一致，密钥可以解开。")
                % {"n": len(manifest["counts"]), "f": len(manifest["files"])}
            )
            return
        for problem in result.problems:
            self.stderr.write(" - " + problem)
        raise CommandError(_("检验未通过：%(n)d 处不一致。") % {"n": len(result.problems)})


def read_passphrase(path: str | None, *, prompt: bool) -> str | None:
    """The passphrase from --passphrase-file, ZT_BACKUP_PASSPHRASE, this server's file, or typed in."""
    if path:
        try:
            return Path(path).read_text().strip()
        except OSError as exc:
            raise CommandError(_("读不了口令文件：%(e)s") % {"e": exc}) from exc
    if os.environ.get("ZT_BACKUP_PASSPHRASE"):
        return os.environ["ZT_BACKUP_PASSPHRASE"]
    if not prompt and passphrase_file().is_file():
        return existing_passphrase()
    if sys.stdin.isatty():
        value = getpass.getpass(_("请输入备份口令：")).strip()
        return value or None
    return None
