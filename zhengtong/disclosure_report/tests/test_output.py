"""The report in the template's words: JSON keys, HTML tables, the PDF (text and fit), the command."""

import json
from datetime import date
from io import BytesIO, StringIO

import pytest
from django.core.management import CommandError, call_command

from zhengtong.core.pdf import pdf_text
from zhengtong.disclosure_report import output, services
from zhengtong.disclosure_report.models import AnnualReport

from .conftest import YEAR, reply

pytestmark = pytest.mark.django_db

COLUMNS = ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]


@pytest.fixture
def report(education, applications):
    return AnnualReport.objects.create(
        organisation=education,
        year=YEAR,
        overview="本年度，县教育局认真贯彻政府信息公开条例。\n主动公开信息 120 条。",
        problems="公开内容还不够全面。",
        other_matters="本机关未收取信息处理费。",
        normative_made=2,
        normative_in_force=11,
        licensing_decisions=35,
        fee_amount="1.25",
        review_upheld=1,
        litigation_direct_pending=2,
    )


def test_json_is_keyed_by_the_template_names(report):
    data = output.as_json_data(services.report_data(report))
    three = data["三"]
    assert list(three) == [
        "一、本年新收政府信息公开申请数量",
        "二、上年结转政府信息公开申请数量",
        "三、本年度办理结果",
        "四、结转下年度继续办理",
    ]
    assert list(three["一、本年新收政府信息公开申请数量"]) == COLUMNS
    assert three["一、本年新收政府信息公开申请数量"]["自然人"] == 2
    assert three["二、上年结转政府信息公开申请数量"]["总计"] == 2
    results = three["三、本年度办理结果"]
    assert list(results) == [
        "（一）予以公开",
        "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
        "（三）不予公开",
        "（四）无法提供",
        "（五）不予处理",
        "（六）其他处理",
        "（七）总计",
    ]
    assert results["（一）予以公开"]["自然人"] == 1
    assert results["（三）不予公开"]["4.保护第三方合法权益"]["法律服务机构"] == 1
    assert len(results["（三）不予公开"]) == 8 and len(results["（五）不予处理"]) == 5
    assert results["（六）其他处理"]["3.其他"]["科研机构"] == 1
    assert results["（七）总计"]["总计"] == 5
    assert three["四、结转下年度继续办理"]["其他"] == 1
    normative = data["二"]["第二十条第（一）项"]["行政规范性文件"]
    assert normative == {"本年制发件数": 2, "本年废止件数": 0, "现行有效件数": 11}
    assert data["二"]["第二十条第（五）项"]["行政许可"]["本年处理决定数量"] == 35
    assert data["二"]["第二十条第（八）项"]["行政事业性收费"]["本年收费金额（单位：万元）"] == 1.25
    assert data["四"]["行政复议"] == {"结果维持": 1, "结果纠正": 0, "其他结果": 0, "尚未审结": 0, "总计": 1}
    assert data["四"]["行政诉讼"]["未经复议直接起诉"]["尚未审结"] == 2
    assert data["一"].startswith("本年度") and data["五"] and data["六"]
    json.loads(output.render_json(services.report_data(report)))  # serialisable as is


def test_html_has_the_template_headings_and_accessible_tables(report):
    html = output.render_html(services.report_data(report))
    for heading in output.SECTION_HEADINGS.values():
        assert f">{heading}</h2>" in html
    assert '<th scope="col" colspan="3" rowspan="3">（本列数据的勾稽关系为' in html
    assert '<th scope="colgroup" colspan="7">申请人情况</th>' in html
    assert '<th scope="colgroup" colspan="5">法人或其他组织</th>' in html
    assert '<th scope="row" colspan="3">一、本年新收政府信息公开申请数量</th><td class="num">2</td>' in html
    assert '<th scope="rowgroup" rowspan="8">（三）不予公开</th><th scope="row">1.属于国家秘密</th>' in html
    assert '<th scope="row" colspan="2">（七）总计</th>' in html
    assert '<th colspan="10" scope="colgroup">行政诉讼</th>' in html
    assert '<th scope="row">行政事业性收费</th><td class="num" colspan="3">1.25</td>' in html
    assert "text-align: right" in html  # numbers right-aligned (the stylesheet is inlined in the file)


def test_pdf_holds_headings_and_figures(report):
    data = services.report_data(report)
    text = pdf_text(output.render_pdf(data))
    assert "木垒县教育局2025年政府信息公开工作年度报告" in text
    for heading in output.SECTION_HEADINGS.values():
        assert str(heading) in text
    assert "一、本年新收政府信息公开申请数量" in text and "4.保护第三方合法权益" in text
    # Row 一: natural 2, commercial 1, research 1, charity 0, legal 1, other 1, total 6.
    assert "一、本年新收政府信息公开申请数量2110116" in text
    assert "四、结转下年度继续办理2000013" in text
    assert "主动公开信息120条" in text


def test_pdf_table_three_fits_the_page(report):
    from pypdf import PdfReader

    reader = PdfReader(BytesIO(output.render_pdf(services.report_data(report))))
    right_edge = float(reader.pages[0].mediabox.width) - 26 * 72 / 25.4  # the text block ends 26 mm from the edge
    positions = []

    def visit(text, cm, tm, font, size):
        if text.strip():
            positions.append(tm[4] * cm[0] + cm[4])

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    assert positions and max(positions) < right_edge


def test_command_writes_json_html_and_pdf(report, tmp_path):
    out = StringIO()
    call_command("disclosure_annual_report", org="木教", year=YEAR, fmt="json", stdout=out, stderr=StringIO())
    assert json.loads(out.getvalue())["三"]["二、上年结转政府信息公开申请数量"]["自然人"] == 2
    html = tmp_path / "report.html"
    call_command("disclosure_annual_report", org="木教", year=YEAR, fmt="html", path=str(html), stderr=StringIO())
    assert '<h2 id="zt-report-3">三、收到和处理政府信息公开申请情况</h2>' in html.read_text(encoding="utf-8")
    pdf = tmp_path / "report.pdf"
    call_command("disclosure_annual_report", org="木教", year=YEAR, fmt="pdf", path=str(pdf), stderr=StringIO())
    assert "五、存在的主要问题及改进情况" in pdf_text(pdf.read_bytes())
    with pytest.raises(CommandError, match="没有机关代字"):
        call_command("disclosure_annual_report", org="无此", year=YEAR, stderr=StringIO())
    with pytest.raises(CommandError, match="PDF"):
        call_command("disclosure_annual_report", org="木教", year=YEAR, fmt="pdf", stderr=StringIO())


def test_command_without_a_draft_prints_the_computed_tables(education, applications):
    out, err = StringIO(), StringIO()
    call_command("disclosure_annual_report", org="木教", year=YEAR, stdout=out, stderr=err)
    assert "还没有" in err.getvalue()
    assert json.loads(out.getvalue())["三"]["四、结转下年度继续办理"]["总计"] == 3


def test_zt_cli_dispatches_to_the_command(monkeypatch):
    from zhengtong import cli

    called = []
    monkeypatch.setattr(cli, "exec_manage", lambda *args: called.append(args))
    cli.main(["disclosure", "annual-report", "--org", "木教", "--year", "2025", "--format", "html"])
    assert called == [("disclosure_annual_report", "--org", "木教", "--year", "2025", "--format", "html")]


def test_command_prints_a_published_report_from_its_snapshot_and_flags_hand_edits(report, applications):
    services.publish(report, None)
    reply(applications["open"], date(YEAR, 12, 30), "public")  # later data changes: the published figures do not
    AnnualReport.objects.filter(pk=report.pk).update(
        snapshot={
            **AnnualReport.objects.get(pk=report.pk).snapshot,
            "table_four": {
                group: {"upheld": 1, "corrected": 0, "other": 0, "pending": 0, "total": 9}
                for group in ("review", "litigation_direct", "litigation_after_review")
            },
        }
    )
    out, err = StringIO(), StringIO()
    call_command("disclosure_annual_report", org="木教", year=YEAR, stdout=out, stderr=err)
    data = json.loads(out.getvalue())
    assert data["三"]["三、本年度办理结果"]["（一）予以公开"]["总计"] == 1
    assert "表四的总计与各项之和不符" in err.getvalue() and "草稿" not in err.getvalue()
