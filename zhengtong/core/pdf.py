"""PDF documents the platform issues (reply letters, annual reports, later official documents): one way to make them.

fpdf2 (pure Python, docs/adr/0008-pdf.md) embeds a subset of a Chinese font found on the server, so a
letter opens the same on any reader. The page follows GB/T 9704-2012 (党政机关公文格式) 5.2: A4, top margin
37 mm, binding margin 28 mm, text block 156 × 225 mm. GB/T 9704 asks for 仿宋 (body) and 小标宋 (title);
Debian has neither as a free font, so the Song-style Noto Serif CJK stands in (a county that licenses the
official fonts sets ``ZT_PDF_FONTS``).

Fonts are looked up once per process: ``settings.ZT_PDF_FONTS`` (style -> path or "path#index"), else the
first of ``CANDIDATES`` present. ``MissingFont`` says in Chinese how to install one; ``./zt check`` warns
(W710) before anyone needs a PDF.
"""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _
from fpdf import FPDF
from fpdf.enums import XPos, YPos

NOTO = Path("/usr/share/fonts/opentype/noto")
# Per style, the files tried in order: Debian's fonts-noto-cjk, then other packaged CJK fonts.
CANDIDATES = {
    "serif": [NOTO / "NotoSerifCJK-Regular.ttc", Path("/usr/share/fonts/truetype/arphic-gbsn00lp/gbsn00lp.ttf")],
    "serif-bold": [NOTO / "NotoSerifCJK-Bold.ttc", NOTO / "NotoSansCJK-Bold.ttc"],
    "sans": [NOTO / "NotoSansCJK-Regular.ttc", Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")],
    "sans-bold": [NOTO / "NotoSansCJK-Bold.ttc", Path("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc")],
}
INSTALL_HINT = "apt-get install fonts-noto-cjk"

# GB/T 9704-2012 5.2.1/5.2.2 (mm) and 7.2: body text 3号 (16 pt), the title 2号 (22 pt).
PAGE_MARGINS = {"top": 37, "left": 28, "right": 26, "bottom": 35}
BODY_PT = 16
TITLE_PT = 22
SMALL_PT = 12


class MissingFont(RuntimeError):
    """No Chinese font for PDFs on this server; the message says how to install one."""


@dataclass(frozen=True)
class FontFile:
    path: Path
    index: int = 0  # the face inside a collection (.ttc)


def _simplified_chinese_face(path: Path) -> int:
    """The index of the Simplified Chinese face of a font collection (Noto CJK holds JP, KR, SC, TC …)."""
    if path.suffix.lower() != ".ttc":
        return 0
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(path), lazy=True)
    for index, font in enumerate(collection.fonts):
        name = font["name"].getDebugName(1) or ""
        if name.endswith(" SC") or "GB" in name or "Zen Hei" in name:
            return index
    return 0


@cache
def font_files() -> dict[str, FontFile]:
    """The font of each style, found once per process; raises MissingFont when a style has none."""
    configured = getattr(settings, "ZT_PDF_FONTS", {}) or {}
    found = {}
    for style, candidates in CANDIDATES.items():
        if style in configured:
            path, _sep, index = str(configured[style]).partition("#")
            candidates = [Path(path)]
        for path in candidates:
            if path.is_file():
                face = int(index) if style in configured and index else _simplified_chinese_face(path)
                found[style] = FontFile(path, face)
                break
        else:
            raise MissingFont(
                _("生成 PDF 需要中文字体，本机没有找到。请以 root 执行：%(hint)s（或在 ZT_PDF_FONTS 中指定字体文件）。")
                % {"hint": INSTALL_HINT}
            )
    return found


def fonts_available() -> bool:
    try:
        font_files()
    except MissingFont:
        return False
    return True


NEXT_LINE = {"new_x": XPos.LMARGIN, "new_y": YPos.NEXT}  # fpdf2 leaves the cursor right of a cell otherwise


class Document(FPDF):
    """An A4 page set up as GB/T 9704 describes, with the Chinese fonts registered as "serif", "sans" (+ "B")."""

    def __init__(self, title: str, *, author: str = "", footer: bool = True):
        super().__init__(orientation="P", unit="mm", format="A4")
        self.page_footer = footer
        self.set_margins(PAGE_MARGINS["left"], PAGE_MARGINS["top"], PAGE_MARGINS["right"])
        self.set_auto_page_break(True, margin=PAGE_MARGINS["bottom"])
        files = font_files()
        for family, style, key in (
            ("serif", "", "serif"),
            ("serif", "B", "serif-bold"),
            ("sans", "", "sans"),
            ("sans", "B", "sans-bold"),
        ):
            font = files[key]
            self.add_font(family, style, fname=str(font.path), collection_font_number=font.index)
        self.set_title(title)
        self.set_author(author)
        self.set_creator("政通 Zhengtong")
        self.set_lang("zh-CN")
        self.add_page()
        self.set_font("serif", size=BODY_PT)

    def footer(self) -> None:
        # GB/T 9704-2012 7.5: page numbers "— 1 —" in 4号 below the text block.
        if not self.page_footer:
            return
        self.set_y(-PAGE_MARGINS["bottom"] + 7)
        self.set_font("serif", size=14)
        self.cell(0, 7, f"— {self.page_no()} —", align="C")

    def title_block(self, text: str) -> None:
        self.set_font("serif", "B", TITLE_PT)
        self.multi_cell(0, TITLE_PT * 0.55, text, align="C", **NEXT_LINE)
        self.ln(6)
        self.set_font("serif", size=BODY_PT)

    def heading(self, text: str) -> None:
        self.set_font("sans", "B", BODY_PT)
        self.multi_cell(0, BODY_PT * 0.5, text, **NEXT_LINE)
        self.ln(1)
        self.set_font("serif", size=BODY_PT)

    def paragraph(self, text: str, *, indent: bool = True, align: str = "J", size: int = BODY_PT) -> None:
        """A paragraph, its first line indented by two characters (公文 body text)."""
        self.set_font("serif", size=size)
        for line in str(text).splitlines() or [""]:
            self.multi_cell(0, size * 0.5, ("\u3000\u3000" if indent and line else "") + line, align=align, **NEXT_LINE)

    def signature(self, *lines: str) -> None:
        """The issuing office and date, right-aligned (GB/T 9704-2012 7.3.5)."""
        self.ln(BODY_PT * 0.5)
        self.set_font("serif", size=BODY_PT)
        for line in lines:
            self.multi_cell(0, BODY_PT * 0.5, line, align="R", **NEXT_LINE)

    def to_bytes(self) -> bytes:
        return bytes(self.output())


def pdf_text(data: bytes) -> str:
    """The text of a PDF with all whitespace removed (for tests and checks: extraction spaces CJK glyphs)."""
    from io import BytesIO

    from pypdf import PdfReader

    reader = PdfReader(BytesIO(data))
    text = "".join((page.extract_text() or "") for page in reader.pages)
    return "".join(text.replace("\x00", "").split())
