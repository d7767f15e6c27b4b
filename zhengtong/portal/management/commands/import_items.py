"""``./zt import FILE.jsonl --site HOST``: bring a legacy website's items into a portal.

The rules live in ``zhengtong.portal.importer``; this command opens the file, shows progress and
prints the summary. Imported items are searchable (site search and admin search) as each batch
commits, so when the command returns, without waiting for the worker. It exits non-zero
(``CommandError``) when any line failed; the good lines are kept. Interrupted (Ctrl+C), it keeps
the batches already committed: running the same command again carries on, since lines already
imported are recognised as unchanged.
"""

import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from tqdm import tqdm

from zhengtong.audit.services import record
from zhengtong.portal.importer import BATCH_SIZE, ImportReport, count_lines, find_site, import_file

# Items written before the search index is tidied at the end (small imports leave it to its own merging).
OPTIMIZE_AFTER = 1000


class Command(BaseCommand):
    help = _("从 JSON Lines 文件（每行一条信息）导入旧网站的内容；重复导入同一文件不会产生重复。")

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("要导入的 .jsonl 文件；附件的相对路径从文件所在目录算起"))
        parser.add_argument("--site", required=True, help=_("导入到哪个站点（主机名，如 www.mulei.gov.cn）"))
        parser.add_argument("--dry-run", action="store_true", help=_("只检查并报告，不写入任何数据"))
        parser.add_argument("--no-progress", action="store_true", help=_("不显示进度条"))
        parser.add_argument(
            "--batch-size", type=int, default=BATCH_SIZE, help=_("每个事务提交的行数（默认 %(default)s）")
        )

    def handle(self, *args, file, site, dry_run, no_progress, batch_size, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("找不到文件：%(path)s") % {"path": path})
        try:
            target = find_site(site)
        except LookupError as error:
            raise CommandError(str(error)) from error

        report = ImportReport()
        started = time.monotonic()
        progress = tqdm(
            total=count_lines(path),
            unit=_("行"),
            desc=_("试运行") if dry_run else _("导入"),
            disable=no_progress or not self.stdout.isatty(),
            dynamic_ncols=True,
        )
        try:
            with progress:
                import_file(
                    path, target, dry_run=dry_run, batch_size=max(1, batch_size), on_line=progress.update, report=report
                )
        except KeyboardInterrupt:
            self.print_report(report, time.monotonic() - started, dry_run)
            raise CommandError(
                _("导入被中断：已提交的批次保留，当前这一批已撤销。再次运行同一命令即可接着导入。"), returncode=130
            ) from None
        if not dry_run:
            # Imported pages are published without per-page signals: one audit record for the run.
            record(
                "content.import",
                obj=target,
                result="failure" if report.failed else "success",
                detail={
                    "file": str(path),
                    "created": report.created,
                    "updated": report.updated,
                    "unchanged": report.unchanged,
                    "failed": report.failed,
                    "page_ids": report.page_ids[:1000],
                },
            )
        if report.created + report.updated >= OPTIMIZE_AFTER and not dry_run:
            # Many batches leave the search index in many pieces; one merge makes queries faster.
            from zhengtong.search.engines import engine

            engine().optimize()
        self.print_report(report, time.monotonic() - started, dry_run)
        if report.failed:
            raise CommandError(_("有 %(count)s 行未能导入，原因见上。改正后重新运行即可。") % {"count": report.failed})

    def print_report(self, report: ImportReport, seconds: float, dry_run: bool) -> None:
        for line_no, reason in report.errors:
            self.stderr.write(_("第 %(line)s 行：%(reason)s") % {"line": line_no, "reason": reason})
        for path, kind in report.columns_created:
            message = _("将新建%(kind)s：%(path)s") if dry_run else _("新建%(kind)s：%(path)s")
            self.stdout.write(message % {"kind": kind, "path": path})
        counts = {
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "failed": report.failed,
            "seconds": f"{seconds:.1f}",
            "rate": f"{report.total / seconds:.0f}" if seconds > 0 else "-",
        }
        if dry_run:
            summary = _(
                "试运行（未写入任何数据）：将新增 %(created)s，将更新 %(updated)s，"
                "未变 %(unchanged)s，失败 %(failed)s。"
            )
        else:
            summary = _(
                "新增 %(created)s，更新 %(updated)s，未变 %(unchanged)s，失败 %(failed)s"
                "（用时 %(seconds)s 秒，每秒 %(rate)s 行）。"
            )
        self.stdout.write(summary % counts)
