"""./zt disclosure annual-report --org CODE --year YYYY --format json|html|pdf [--output FILE]"""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from zhengtong.core.models import Organisation
from zhengtong.disclosure_report import output as report_output
from zhengtong.disclosure_report import services, tables
from zhengtong.disclosure_report.models import AnnualReport


class Command(BaseCommand):
    help = "输出一个机关某年度的政府信息公开工作年度报告（JSON、HTML 或 PDF）"

    def add_arguments(self, parser):
        parser.add_argument("--org", required=True, help="机关代字")
        parser.add_argument("--year", required=True, type=int, help="年度，如 2025")
        parser.add_argument("--format", dest="fmt", choices=["json", "html", "pdf"], default="json")
        parser.add_argument(
            "--output", dest="path", default="", help="写到这个文件（默认输出到屏幕；PDF 必须指定文件）"
        )

    def handle(self, *args, **options):
        fmt, path = options["fmt"], options["path"]
        if fmt == "pdf" and not path:
            raise CommandError("PDF 请用 --output 指定要写入的文件。")
        organisation = Organisation.objects.filter(code=options["org"]).first()
        if organisation is None:
            raise CommandError(f"没有机关代字为“{options['org']}”的机关。")
        year = options["year"]
        report = AnnualReport.objects.filter(organisation=organisation, year=year).first()
        if report is None:
            # Not written yet: the computed tables with empty texts, so the figures can be checked early.
            report = AnnualReport(organisation=organisation, year=year)
            self.stderr.write(f"{organisation.name}还没有 {year} 年度报告的草稿，只输出按申请计算的表格。")
        elif not report.is_published:
            self.stderr.write("这份年度报告还是草稿，表三按当前的申请数据计算。")
        data = services.report_data(report)
        broken = [services.column_label(c) for c in tables.invariant_failures(data["table_three"])]
        if broken:
            self.stderr.write(
                f"注意：表三“{'、'.join(broken)}”列不平衡（本年新收 + 上年结转 ≠ 办理结果总计 + 结转下年度）。"
            )
        if tables.table_four_failures(data["table_four"]):  # a snapshot changed outside the platform
            self.stderr.write("注意：表四的总计与各项之和不符。")
        if fmt == "pdf":
            Path(path).write_bytes(report_output.render_pdf(data))
        else:
            text = report_output.render_html(data) if fmt == "html" else report_output.render_json(data) + "\n"
            if not path:
                self.stdout.write(text, ending="")
                return
            Path(path).write_text(text, encoding="utf-8")
        self.stderr.write(f"已写入 {path}")
