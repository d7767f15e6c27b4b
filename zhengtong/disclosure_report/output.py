"""The report in the words and layout of 国办公开办函〔2021〕30号: JSON, HTML and PDF from ``services.report_data``.

One layout (``table_*_layout``) feeds the HTML template and the PDF, so both show the same rows and headers; the
JSON keys are the same words.
"""

import json
from decimal import Decimal

from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from zhengtong.disclosure_report import tables
from zhengtong.disclosure_requests import outcomes

COLUMN_LABELS = {
    "natural": gettext_lazy("自然人"),
    "commercial": gettext_lazy("商业企业"),
    "research": gettext_lazy("科研机构"),
    "charity": gettext_lazy("社会公益组织"),
    "legal_service": gettext_lazy("法律服务机构"),
    "other": gettext_lazy("其他"),
    "total": gettext_lazy("总计"),
}
ROW_LABELS = {
    tables.RECEIVED: gettext_lazy("一、本年新收政府信息公开申请数量"),
    tables.CARRIED_IN: gettext_lazy("二、上年结转政府信息公开申请数量"),
    "results": gettext_lazy("三、本年度办理结果"),
    tables.CONCLUDED: gettext_lazy("（七）总计"),
    tables.CARRIED_OUT: gettext_lazy("四、结转下年度继续办理"),
}
SECTION_HEADINGS = {
    "overview": gettext_lazy("一、总体情况"),
    "two": gettext_lazy("二、主动公开政府信息情况"),
    "three": gettext_lazy("三、收到和处理政府信息公开申请情况"),
    "four": gettext_lazy("四、政府信息公开行政复议、行政诉讼情况"),
    "problems": gettext_lazy("五、存在的主要问题及改进情况"),
    "other_matters": gettext_lazy("六、其他需要报告的事项"),
}
# Table 二: (article item, [(row label, [(column label, field)])]).
TABLE_TWO = [
    (
        gettext_lazy("第二十条第（一）项"),
        [gettext_lazy("本年制发件数"), gettext_lazy("本年废止件数"), gettext_lazy("现行有效件数")],
        [
            (gettext_lazy("规章"), ["rules_made", "rules_repealed", "rules_in_force"]),
            (gettext_lazy("行政规范性文件"), ["normative_made", "normative_repealed", "normative_in_force"]),
        ],
    ),
    (
        gettext_lazy("第二十条第（五）项"),
        [gettext_lazy("本年处理决定数量")],
        [(gettext_lazy("行政许可"), ["licensing_decisions"])],
    ),
    (
        gettext_lazy("第二十条第（六）项"),
        [gettext_lazy("本年处理决定数量")],
        [
            (gettext_lazy("行政处罚"), ["penalty_decisions"]),
            (gettext_lazy("行政强制"), ["enforcement_decisions"]),
        ],
    ),
    (
        gettext_lazy("第二十条第（八）项"),
        [gettext_lazy("本年收费金额（单位：万元）")],
        [(gettext_lazy("行政事业性收费"), ["fee_amount"])],
    ),
]
CONTENT_HEADER = gettext_lazy("信息内容")
REVIEW_LABELS = {
    "review": gettext_lazy("行政复议"),
    "litigation": gettext_lazy("行政诉讼"),
    "litigation_direct": gettext_lazy("未经复议直接起诉"),
    "litigation_after_review": gettext_lazy("复议后起诉"),
    "upheld": gettext_lazy("结果维持"),
    "corrected": gettext_lazy("结果纠正"),
    "other": gettext_lazy("其他结果"),
    "pending": gettext_lazy("尚未审结"),
    "total": gettext_lazy("总计"),
}
APPLICANT_HEADER = gettext_lazy("申请人情况")
ORGANISATION_HEADER = gettext_lazy("法人或其他组织")
# The template's note in the corner of table 三.
INVARIANT_NOTE = gettext_lazy("（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）")


def _outcome_groups() -> list[tuple[str, str, list[outcomes.Outcome]]]:
    """(group key, "（三）不予公开", outcomes) in the template's order."""
    groups = []
    for key, (number, label) in outcomes.GROUPS.items():
        groups.append((key, f"{number}{label}", [o for o in outcomes.OUTCOMES if o.group == key]))
    return groups


def _fee(value) -> str:
    return str(value)


# --- JSON -----------------------------------------------------------------------------------------------


def as_json_data(data: dict) -> dict:
    """Tables and texts keyed by the template's row and column names."""
    three = data["table_three"]

    def columns(row: str) -> dict:
        return {str(COLUMN_LABELS[c]): three[row][c] for c in tables.COLUMNS}

    results = {}
    for _key, group_label, members in _outcome_groups():
        if len(members) == 1 and not members[0].label:
            results[group_label] = columns(members[0].code)
        else:
            results[group_label] = {str(o.label): columns(o.code) for o in members}
    results[str(ROW_LABELS[tables.CONCLUDED])] = columns(tables.CONCLUDED)

    two = data["table_two"]
    table_two = {}
    for item, headers, rows in TABLE_TWO:
        table_two[str(item)] = {
            str(label): {
                str(h): (float(Decimal(two[f])) if f == "fee_amount" else two[f])
                for h, f in zip(headers, fields, strict=True)
            }
            for label, fields in rows
        }

    four = data["table_four"]

    def review(group: str) -> dict:
        return {str(REVIEW_LABELS[c]): four[group][c] for c in tables.REVIEW_COLUMNS}

    return {
        "标题": data["title"],
        "机关": data["organisation"]["name"],
        "年度": data["year"],
        "发布时间": data["published_at"],
        "一": data["sections"]["overview"],
        "二": table_two,
        "三": {
            str(ROW_LABELS[tables.RECEIVED]): columns(tables.RECEIVED),
            str(ROW_LABELS[tables.CARRIED_IN]): columns(tables.CARRIED_IN),
            str(ROW_LABELS["results"]): results,
            str(ROW_LABELS[tables.CARRIED_OUT]): columns(tables.CARRIED_OUT),
        },
        "四": {
            str(REVIEW_LABELS["review"]): review("review"),
            str(REVIEW_LABELS["litigation"]): {
                str(REVIEW_LABELS["litigation_direct"]): review("litigation_direct"),
                str(REVIEW_LABELS["litigation_after_review"]): review("litigation_after_review"),
            },
        },
        "五": data["sections"]["problems"],
        "六": data["sections"]["other_matters"],
    }


def render_json(data: dict) -> str:
    return json.dumps(as_json_data(data), ensure_ascii=False, indent=2)


# --- Layouts shared by HTML and PDF ------------------------------------------------------------------------


def header_cell(text, *, colspan: int = 1, rowspan: int = 1, scope: str = "row") -> dict:
    return {"text": str(text), "colspan": colspan, "rowspan": rowspan, "scope": scope}


def table_three_layout(cells: dict, broken: list[str] | None = None) -> dict:
    """Header rows and body rows of table 三: each body row is (header cells, values, row key)."""
    head = [
        [
            header_cell(INVARIANT_NOTE, colspan=3, rowspan=3, scope="col"),
            header_cell(APPLICANT_HEADER, colspan=7, scope="colgroup"),
        ],
        [
            header_cell(COLUMN_LABELS["natural"], rowspan=2, scope="col"),
            header_cell(ORGANISATION_HEADER, colspan=5, scope="colgroup"),
            header_cell(COLUMN_LABELS["total"], rowspan=2, scope="col"),
        ],
        [header_cell(COLUMN_LABELS[c], scope="col") for c in tables.APPLICANT_COLUMNS[1:]],
    ]
    body = []

    def add(headers: list[dict], row: str) -> None:
        body.append({"headers": headers, "values": [cells[row][c] for c in tables.COLUMNS], "key": row})

    add([header_cell(ROW_LABELS[tables.RECEIVED], colspan=3)], tables.RECEIVED)
    add([header_cell(ROW_LABELS[tables.CARRIED_IN], colspan=3)], tables.CARRIED_IN)
    result_rows = len(tables.OUTCOME_ROWS) + 1
    first = True
    for _key, group_label, members in _outcome_groups():
        lead = [header_cell(ROW_LABELS["results"], rowspan=result_rows, scope="rowgroup")] if first else []
        first = False
        if len(members) == 1 and not members[0].label:
            add([*lead, header_cell(group_label, colspan=2)], members[0].code)
            continue
        for index, outcome in enumerate(members):
            group = [header_cell(group_label, rowspan=len(members), scope="rowgroup")] if index == 0 else []
            add([*(lead if index == 0 else []), *group, header_cell(outcome.label)], outcome.code)
    add([header_cell(ROW_LABELS[tables.CONCLUDED], colspan=2)], tables.CONCLUDED)
    add([header_cell(ROW_LABELS[tables.CARRIED_OUT], colspan=3)], tables.CARRIED_OUT)
    return {"head": head, "body": body, "broken": broken or []}


def table_two_layout(two: dict) -> list[dict]:
    return [
        {
            "item": str(item),
            "headers": [str(CONTENT_HEADER), *[str(h) for h in headers]],
            "rows": [
                {"label": str(label), "values": [(_fee(two[f]) if f == "fee_amount" else two[f]) for f in fields]}
                for label, fields in rows
            ],
        }
        for item, headers, rows in TABLE_TWO
    ]


def table_four_layout(four: dict) -> dict:
    results = [str(REVIEW_LABELS[c]) for c in tables.REVIEW_COLUMNS]
    values = [four[g][c] for g in tables.REVIEW_GROUPS for c in tables.REVIEW_COLUMNS]
    return {
        "review": str(REVIEW_LABELS["review"]),
        "litigation": str(REVIEW_LABELS["litigation"]),
        "direct": str(REVIEW_LABELS["litigation_direct"]),
        "after_review": str(REVIEW_LABELS["litigation_after_review"]),
        "results": results,
        "values": values,
    }


def context(data: dict) -> dict:
    """Template context for ``disclosure_report/_report.html``."""
    return {
        "data": data,
        "headings": {k: str(v) for k, v in SECTION_HEADINGS.items()},
        "paragraphs": {
            k: [line for line in (v or "").splitlines() if line.strip()] for k, v in data["sections"].items()
        },
        "table_two": table_two_layout(data["table_two"]),
        "table_three": table_three_layout(data["table_three"], tables.invariant_failures(data["table_three"])),
        "table_four": table_four_layout(data["table_four"]),
    }


def render_html(data: dict) -> str:
    """A complete HTML document of the report (the command's ``--format html``)."""
    from django.contrib.staticfiles import finders

    css_path = finders.find("disclosure_report/report.css")
    css = open(css_path, encoding="utf-8").read() if css_path else ""  # a file of this app: always there
    return render_to_string("disclosure_report/standalone.html", {**context(data), "inline_css": css})


# --- PDF ------------------------------------------------------------------------------------------------

TABLE_PT = 9


def render_pdf(data: dict) -> bytes:
    """The report as a PDF through the platform's one PDF path (zhengtong.core.pdf, ADR 0008)."""
    from zhengtong.core.pdf import Document

    pdf = Document(data["title"], author=data["organisation"]["name"])
    pdf.title_block(data["title"])
    parts = context(data)
    for key in ("overview",):
        _pdf_section(pdf, parts, key)
    pdf.heading(parts["headings"]["two"])
    _pdf_table_two(pdf, parts["table_two"])
    pdf.heading(parts["headings"]["three"])
    _pdf_table_three(pdf, parts["table_three"])
    pdf.heading(parts["headings"]["four"])
    _pdf_table_four(pdf, parts["table_four"])
    for key in ("problems", "other_matters"):
        _pdf_section(pdf, parts, key)
    if data.get("published_at"):
        pdf.signature(data["organisation"]["name"], data["published_at"][:10])
    return pdf.to_bytes()


def _pdf_section(pdf, parts: dict, key: str) -> None:
    pdf.heading(parts["headings"][key])
    lines = parts["paragraphs"][key]
    pdf.paragraph("\n".join(lines) if lines else _("无。"))
    pdf.ln(2)


def _table(pdf, widths: tuple, num_heading_rows: int = 0):
    pdf.set_font("serif", size=TABLE_PT)
    return pdf.table(
        col_widths=widths,
        width=pdf.epw,
        line_height=TABLE_PT * 0.5,
        text_align="CENTER",
        first_row_as_headings=num_heading_rows > 0,
        num_heading_rows=num_heading_rows,  # repeated when the table runs onto the next page
    )


def _pdf_table_two(pdf, layout: list[dict]) -> None:
    with _table(pdf, (40, 20, 20, 20)) as table:
        for block in layout:
            table.row().cell(block["item"], colspan=4)
            headers = block["headers"]
            span = 3 // (len(headers) - 1)
            row = table.row()
            row.cell(headers[0])
            for header in headers[1:]:
                row.cell(header, colspan=span)
            for line in block["rows"]:
                row = table.row()
                row.cell(line["label"])
                for value in line["values"]:
                    row.cell(str(value), colspan=span, align="RIGHT")
    pdf.ln(4)


def _pdf_table_three(pdf, layout: dict) -> None:
    # fpdf2 keeps a row span on one page, and 三、本年度办理结果 spans 22 rows: in the PDF it heads its rows on a
    # line of its own instead, so the row labels take two columns. Portrait text block (156 mm): labels 52 mm,
    # seven figures of 14.8 mm — test_output checks every figure lands inside the page.
    results = str(ROW_LABELS["results"])
    widths = (22, 30, *([14.8] * 7))
    with _table(pdf, widths, num_heading_rows=3) as table:
        for line in layout["head"]:
            row = table.row()
            for cell in line:
                colspan = cell["colspan"] - 1 if cell["text"] == str(INVARIANT_NOTE) else cell["colspan"]
                row.cell(cell["text"], colspan=colspan, rowspan=cell["rowspan"])
        for line in layout["body"]:
            headers = line["headers"]
            if headers[0]["text"] == results:
                table.row().cell(results, colspan=len(widths), align="LEFT")
                headers = headers[1:]
            row = table.row()
            for cell in headers:
                colspan = cell["colspan"] - 1 if cell["colspan"] == 3 else cell["colspan"]
                row.cell(cell["text"], colspan=colspan, rowspan=cell["rowspan"], align="LEFT")
            for value in line["values"]:
                row.cell(str(value), align="RIGHT")
    pdf.ln(4)


def _pdf_table_four(pdf, layout: dict) -> None:
    with _table(pdf, tuple([1] * 15), num_heading_rows=3) as table:
        row = table.row()
        row.cell(layout["review"], colspan=5)
        row.cell(layout["litigation"], colspan=10)
        row = table.row()
        for result in layout["results"]:
            row.cell(result, rowspan=2)
        row.cell(layout["direct"], colspan=5)
        row.cell(layout["after_review"], colspan=5)
        row = table.row()
        for result in layout["results"] * 2:
            row.cell(result)
        row = table.row()
        for value in layout["values"]:
            row.cell(str(value), align="RIGHT")
    pdf.ln(4)
