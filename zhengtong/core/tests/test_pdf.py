from pathlib import Path

import pytest
from django.core import checks

from zhengtong.core import pdf


@pytest.fixture(autouse=True)
def fresh_fonts():
    pdf.font_files.cache_clear()
    yield
    pdf.font_files.cache_clear()


def test_a_letter_with_chinese_text_reads_back():
    document = pdf.Document("政府信息公开申请答复告知书", author="县政府办公室")
    document.title_block("政府信息公开申请答复告知书")
    document.paragraph("王某某：\n您于2026年3月2日提出的政府信息公开申请收悉。", indent=False)
    document.paragraph("根据《中华人民共和国政府信息公开条例》第三十七条，现予部分公开。")
    document.signature("木垒哈萨克自治县人民政府办公室", "2026年3月20日")
    data = document.to_bytes()
    assert data.startswith(b"%PDF")
    text = pdf.pdf_text(data)
    assert "政府信息公开申请答复告知书" in text and "第三十七条" in text and "—1—" in text
    # The font is embedded (a subset), not referenced: the letter looks the same on any reader.
    assert b"/FontFile" in data and len(data) < 200_000


def test_the_page_follows_gb_t_9704():
    document = pdf.Document("版面")
    assert (round(document.w), round(document.h)) == (210, 297)
    assert (document.l_margin, document.t_margin, document.r_margin) == (28, 37, 26)
    assert round(document.w - document.l_margin - document.r_margin) == 156  # 版心宽 156 mm


def test_simplified_chinese_face_of_a_collection():
    path = pdf.NOTO / "NotoSerifCJK-Regular.ttc"
    if not path.exists():
        pytest.skip("fonts-noto-cjk 未安装")
    assert pdf.font_files()["serif"].index == pdf._simplified_chinese_face(path) == 2


@pytest.mark.django_db
def test_missing_font_is_explained_in_chinese(settings, monkeypatch):
    settings.ZT_PDF_FONTS = {"serif": "/nowhere/font.ttc"}
    monkeypatch.setitem(pdf.CANDIDATES, "serif", [Path("/nowhere/other.ttf")])
    with pytest.raises(pdf.MissingFont, match="apt-get install fonts-noto-cjk"):
        pdf.Document("无字体")
    found = [
        m for m in checks.run_checks(tags=["zhengtong"], include_deployment_checks=True) if m.id == "zhengtong.W710"
    ]
    assert found and "中文字体" in found[0].msg
