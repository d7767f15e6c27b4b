"""``./zt calendar``: the working-day calendar from the operator's terminal."""

from datetime import date
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from zhengtong.audit.services import record
from zhengtong.core.holidays import ScheduleError, missing_years, parse_schedule, replace_year
from zhengtong.core.models import CalendarYear
from zhengtong.core.workdays import add_workdays


def _date(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise CommandError(_("日期“%(text)s”无效，应写成 YYYY-MM-DD。") % {"text": text}) from None


class Command(BaseCommand):
    help = "Working-day calendar: add-workdays DATE N | import-year YEAR FILE | status"

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        p = sub.add_parser("add-workdays", help=_("从某日（第 0 天）起数 N 个工作日，打印结果日期"))
        p.add_argument("start")
        p.add_argument("days", type=int)
        p = sub.add_parser("import-year", help=_("从文本文件载入一年的节假日安排（整年替换）"))
        p.add_argument("year", type=int)
        p.add_argument("file")
        p.add_argument("--notice", default="", help=_("依据，如国务院办公厅通知的文号"))
        sub.add_parser("status", help=_("列出已录入的年份和缺少的年份"))

    def handle(self, *args, **options):
        getattr(self, "handle_" + options["action"].replace("-", "_"))(**options)

    def handle_add_workdays(self, start: str, days: int, **options) -> None:
        if not 0 <= days <= 1000:
            raise CommandError(_("工作日数应在 0 到 1000 之间。"))
        # Plain "DATE" or "DATE provisional": scripts read the first word, people see the second.
        self.stdout.write(str(add_workdays(_date(start), days)))

    def handle_import_year(self, year: int, file: str, notice: str, **options) -> None:
        if not 1949 <= year <= 2200:
            raise CommandError(_("年份“%(year)s”无效。") % {"year": year})
        try:
            text = Path(file).read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CommandError(_("读不了文件 %(file)s：%(error)s") % {"file": file, "error": exc}) from None
        try:
            entries = parse_schedule(text, year)
        except ScheduleError as exc:
            raise CommandError(str(exc)) from None
        replace_year(year, entries, source=CalendarYear.Source.FILE, notice=notice)
        holidays = sum(1 for e in entries if e.kind == "holiday")
        record("calendar.import", detail={"year": year, "days": len(entries), "file": Path(file).name})
        self.stdout.write(
            _("已载入 %(year)s 年：%(holidays)s 个节假日，%(workdays)s 个调休上班日。")
            % {"year": year, "holidays": holidays, "workdays": len(entries) - holidays}
        )

    def handle_status(self, **options) -> None:
        for calendar_year in CalendarYear.objects.order_by("year"):
            self.stdout.write(
                f"{calendar_year.year}  {calendar_year.get_source_display()}  {calendar_year.days.count()}"
                f"  {calendar_year.notice}".rstrip()
            )
        for year in missing_years():
            self.stdout.write(self.style.WARNING(_("%(year)s 年：未录入（期限为暂定）") % {"year": year}))
