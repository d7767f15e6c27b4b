"""Checking uploaded files: the type is recognised from the content, never from the name or the browser.

``validate_upload(file, use)`` is the one function every upload calls (Wagtail images and documents through
``zhengtong.hardening.forms``; case attachments later). ``use`` names an entry of ``settings.ZT_UPLOAD_RULES``
(the types it accepts and its size limit). It returns the recognised ``FileType`` or raises a
``ValidationError`` whose message tells the person what to do. ``safe_filename`` gives the name to store.

How each type is recognised (GB/T 22239-2019 8.1.4.4 入侵防范: nothing executable is accepted):

- images and PDF: their signature (``filetype``);
- docx/xlsx/pptx: a ZIP whose parts are those of the format (``[Content_Types].xml`` and the main part);
  macro-enabled variants (``vbaProject.bin``) are refused; so is a ZIP that would unpack to more than
  ``ZIP_MAX_RATIO`` times its size or holds more than ``ZIP_MAX_MEMBERS`` parts (a "zip bomb");
- doc/xls/ppt (Office 97–2003): an OLE2 compound file holding the format's main stream (``WordDocument``,
  ``Workbook``/``Book``, ``PowerPoint Document``); files with a VBA project (``_VBA_PROJECT``, ``Macros``)
  are refused;
- OFD (GB/T 33190-2016 版式文档): a ZIP with ``OFD.xml`` at its root;
- plain text and CSV: no known binary signature, no NUL byte, readable as UTF-8 or GB18030, not HTML.
"""

import re
import zipfile
from dataclasses import dataclass
from pathlib import PurePath

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

HEAD_BYTES = 8192
ZIP_MAX_MEMBERS = 5000
ZIP_MAX_RATIO = 100
TEXT_SAMPLE_BYTES = 1024 * 1024


@dataclass(frozen=True)
class FileType:
    extension: str  # the extension the stored name gets
    mime: str
    label: str  # Chinese, for messages


TYPES = {
    "jpg": FileType("jpg", "image/jpeg", "JPEG 图片"),
    "png": FileType("png", "image/png", "PNG 图片"),
    "gif": FileType("gif", "image/gif", "GIF 图片"),
    "webp": FileType("webp", "image/webp", "WebP 图片"),
    "pdf": FileType("pdf", "application/pdf", "PDF 文档"),
    "docx": FileType(
        "docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word 文档（docx）"
    ),
    "xlsx": FileType("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel 表格（xlsx）"),
    "pptx": FileType(
        "pptx", "application/vnd.openxmlformats-officedocument.presentationml.presentation", "PowerPoint 文稿（pptx）"
    ),
    "doc": FileType("doc", "application/msword", "Word 97-2003 文档（doc）"),
    "xls": FileType("xls", "application/vnd.ms-excel", "Excel 97-2003 表格（xls）"),
    "ppt": FileType("ppt", "application/vnd.ms-powerpoint", "PowerPoint 97-2003 文稿（ppt）"),
    "ofd": FileType("ofd", "application/ofd", "OFD 版式文档"),
    "txt": FileType("txt", "text/plain", "纯文本（txt）"),
    "csv": FileType("csv", "text/csv", "CSV 表格"),
}
# The main part each Office Open XML format must contain (ECMA-376 Part 2, Open Packaging Conventions).
OOXML_MAIN_PART = {"docx": "word/document.xml", "xlsx": "xl/workbook.xml", "pptx": "ppt/presentation.xml"}


def rules(use: str) -> dict:
    try:
        return settings.ZT_UPLOAD_RULES[use]
    except KeyError:
        raise ValueError(f"unknown upload use {use!r}: add it to settings.ZT_UPLOAD_RULES") from None


def allowed_text(use: str) -> str:
    """The accepted types of ``use`` in Chinese, for help texts and messages."""
    return "、".join(TYPES[t].label for t in rules(use)["types"])


def _read_head(file) -> bytes:
    file.seek(0)
    head = file.read(HEAD_BYTES)
    file.seek(0)
    return head


def _zip_kind(file, size: int) -> str | None:
    """docx/xlsx/pptx/ofd for a ZIP with that structure, else None; raises for a dangerous ZIP."""
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            members = archive.infolist()
            if len(members) > ZIP_MAX_MEMBERS or sum(m.file_size for m in members) > max(size, 1) * ZIP_MAX_RATIO:
                raise ValidationError(_("文件内部结构异常（解压后过大），不能上传。"), code="zip_bomb")
            names = {m.filename for m in members}
    except zipfile.BadZipFile:
        return None
    finally:
        file.seek(0)
    if any(PurePath(n).name.lower() == "vbaproject.bin" for n in names):
        raise ValidationError(_("文件中带有宏，不能上传。请另存为不带宏的 docx、xlsx 或 pptx 后再上传。"), code="macro")
    if "OFD.xml" in names:
        return "ofd"
    if "[Content_Types].xml" in names:
        for kind, part in OOXML_MAIN_PART.items():
            if part in names:
                return kind
    return None


OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
# Stream names in the compound file's directory (UTF-16LE), [MS-CFB]; the first found decides.
OLE2_STREAMS = [
    ("doc", ("WordDocument",)),
    ("xls", ("Workbook", "Book")),
    ("ppt", ("PowerPoint Document",)),
]
OLE2_MACROS = ("_VBA_PROJECT", "Macros", "VBA")


def _ole2_kind(file) -> str | None:
    """doc/xls/ppt for an Office 97–2003 file, else None; raises for one carrying macros."""
    file.seek(0)
    data = file.read()
    file.seek(0)

    def has(name: str) -> bool:
        # Directory entries hold the name in UTF-16LE followed by a NUL character.
        return (name.encode("utf-16-le") + b"\x00\x00") in data

    if any(has(name) for name in OLE2_MACROS):
        raise ValidationError(_("文件中带有宏，不能上传。请另存为不带宏的文档后再上传。"), code="macro")
    for kind, names in OLE2_STREAMS:
        if any(has(name) for name in names):
            return kind
    return None


def _looks_like_text(file) -> bool:
    file.seek(0)
    sample = file.read(TEXT_SAMPLE_BYTES)
    file.seek(0)
    if b"\x00" in sample:
        return False
    for encoding in ("utf-8", "gb18030"):
        try:
            text = sample.decode(encoding)
            break
        except UnicodeDecodeError:
            # A multi-byte character cut at the sample's end is still text.
            if len(sample) == TEXT_SAMPLE_BYTES:
                try:
                    text = sample[:-4].decode(encoding)
                    break
                except UnicodeDecodeError:
                    pass
    else:
        return False
    # Browsers that ignore Content-Type could run HTML; it is not plain text in any case.
    return not re.match(r"\s*<(!doctype|html|script|svg|\?xml)", text, re.IGNORECASE)


def detect(file, name: str = "") -> FileType | None:
    """The type of ``file`` recognised from its content; ``name`` only tells CSV from plain text."""
    head = _read_head(file)
    if not head:
        return None
    if head.startswith(OLE2_SIGNATURE):  # filetype's own doc/xls/ppt guess reads too little to be sure
        ole = _ole2_kind(file)
        return TYPES[ole] if ole else None
    kind = filetype.guess(head)
    if kind is not None:
        if kind.extension in ("jpg", "png", "gif", "webp", "pdf"):
            return TYPES[kind.extension]
        if kind.extension in ("zip", "docx", "xlsx", "pptx"):
            zipped = _zip_kind(file, getattr(file, "size", None) or len(head))
            return TYPES[zipped] if zipped else None
        return None  # a known binary format that is not allowed (executables, archives, media …)
    if head.startswith(b"PK\x03\x04"):  # a ZIP filetype does not recognise (OFD)
        zipped = _zip_kind(file, getattr(file, "size", None) or len(head))
        return TYPES[zipped] if zipped else None
    if _looks_like_text(file):
        return TYPES["csv"] if name.lower().endswith(".csv") else TYPES["txt"]
    return None


def validate_upload(file, use: str) -> FileType:
    """Check an uploaded ``file`` for ``use`` (a key of ``settings.ZT_UPLOAD_RULES``); return its type.

    Raises ``ValidationError`` with a Chinese message when the file is empty, too large, of a type the
    use does not accept, or unrecognisable. The file's name and the browser's content type are ignored.
    """
    rule = rules(use)
    size = getattr(file, "size", None)
    if size is None:
        file.seek(0, 2)
        size = file.tell()
        file.seek(0)
    if size == 0:
        raise ValidationError(_("文件是空的，请重新选择文件。"), code="empty")
    limit = rule["max_mb"] * 1024 * 1024
    if size > limit:
        raise ValidationError(
            _("文件太大（%(size)s），最大只能上传 %(limit)s。请压缩或拆分后再上传。")
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)},
            code="too_large",
        )
    found = detect(file, getattr(file, "name", "") or "")
    if found is None or found.extension not in rule["types"]:
        what = _("无法识别的文件") if found is None else found.label
        raise ValidationError(
            _("不能上传这个文件：系统按文件内容识别为“%(what)s”，这里只接受：%(allowed)s。")
            % {"what": what, "allowed": allowed_text(use)},
            code="type_not_allowed",
        )
    return found


_UNSAFE = re.compile(r"[^\w\-]+")


def safe_filename(name: str, file_type: FileType, max_length: int = 80) -> str:
    """A name safe to store and to offer for download: no directories, no control or shell characters,
    no leading dot, and the extension of the recognised type (not the one the client sent)."""
    stem = PurePath(name.replace("\\", "/")).name
    stem = stem.rsplit(".", 1)[0] if "." in stem else stem
    stem = _UNSAFE.sub("_", stem).strip("._")[:max_length] or "file"
    return f"{stem}.{file_type.extension}"
