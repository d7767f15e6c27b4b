"""Uploads: types recognised by content per use, size limits, safe names, the admin forms, serving."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image as PILImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from zhengtong.hardening.uploads import TYPES, safe_filename, validate_upload


def image_bytes(fmt: str) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (8, 8), "red").save(out, fmt)
    return out.getvalue()


def zip_bytes(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def ooxml(main_part: str, extra: dict | None = None) -> bytes:
    return zip_bytes(
        {"[Content_Types].xml": b"<Types/>", "_rels/.rels": b"<Relationships/>", main_part: b"<x/>"} | (extra or {})
    )


def ole2(*streams: str) -> bytes:
    names = b"".join(name.encode("utf-16-le") + b"\x00\x00" for name in streams)
    return b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504 + names + b"\x00" * 1024


PDF = b"%PDF-1.7\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
ACCEPTED = [
    ("a.jpg", lambda: image_bytes("JPEG"), "image", "jpg"),
    ("a.png", lambda: image_bytes("PNG"), "image", "png"),
    ("a.gif", lambda: image_bytes("GIF"), "image", "gif"),
    ("a.webp", lambda: image_bytes("WEBP"), "image", "webp"),
    ("通知.pdf", lambda: PDF, "document", "pdf"),
    ("a.docx", lambda: ooxml("word/document.xml"), "document", "docx"),
    ("a.xlsx", lambda: ooxml("xl/workbook.xml"), "document", "xlsx"),
    ("a.pptx", lambda: ooxml("ppt/presentation.xml"), "document", "pptx"),
    ("a.doc", lambda: ole2("Root Entry", "WordDocument"), "document", "doc"),
    ("a.xls", lambda: ole2("Root Entry", "Workbook"), "document", "xls"),
    ("a.ofd", lambda: zip_bytes({"OFD.xml": b"<ofd:OFD/>", "Doc_0/Document.xml": b"<x/>"}), "document", "ofd"),
    ("说明.txt", lambda: "第一行\n第二行\n".encode(), "document", "txt"),
    ("名单.csv", lambda: "姓名,电话\n张三,1\n".encode("gb18030"), "document", "csv"),
]


@pytest.mark.parametrize(("name", "make", "use", "expected"), ACCEPTED, ids=[a[0] for a in ACCEPTED])
def test_accepted_types_are_recognised_by_content(name, make, use, expected):
    assert validate_upload(SimpleUploadedFile(name, make()), use) == TYPES[expected]


REFUSED = [
    ("exe named pdf", "通知.pdf", b"MZ\x90\x00\x03" + b"\x00" * 100, "document"),
    ("html named txt", "a.txt", b"<!DOCTYPE html><script>alert(1)</script>", "document"),
    ("svg named png", "a.png", b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"></svg>', "image"),
    ("pdf as image", "a.png", PDF, "image"),
    ("image as document", "a.pdf", image_bytes("PNG"), "document"),
    ("plain zip named docx", "a.docx", zip_bytes({"a.txt": b"x"}), "document"),
    ("rar", "a.rar", b"Rar!\x1a\x07\x00" + b"\x00" * 50, "document"),
    ("binary junk", "a.txt", b"\x00\x01\x02\x03" * 10, "document"),
]


@pytest.mark.parametrize(("label", "name", "data", "use"), REFUSED, ids=[r[0] for r in REFUSED])
def test_refused_types_whatever_their_name(label, name, data, use):
    with pytest.raises(ValidationError) as refused:
        validate_upload(SimpleUploadedFile(name, data, content_type="application/pdf"), use)
    assert "只接受" in refused.value.messages[0]


def test_macro_documents_and_zip_bombs_are_refused():
    docm = ooxml("word/document.xml", {"word/vbaProject.bin": b"\x00" * 10})
    with pytest.raises(ValidationError, match="宏"):
        validate_upload(SimpleUploadedFile("a.docx", docm), "document")
    with pytest.raises(ValidationError, match="宏"):
        validate_upload(SimpleUploadedFile("a.doc", ole2("WordDocument", "Macros", "_VBA_PROJECT")), "document")
    bomb = ooxml("word/document.xml", {"word/media/big.bin": b"\x00" * 5_000_000})
    with pytest.raises(ValidationError, match="解压后过大"):
        validate_upload(SimpleUploadedFile("a.docx", bomb), "document")


def test_size_limit_and_empty_file(settings):
    settings.ZT_UPLOAD_RULES = {**settings.ZT_UPLOAD_RULES, "document": {"types": ["txt"], "max_mb": 1}}
    with pytest.raises(ValidationError) as refused:
        validate_upload(SimpleUploadedFile("a.txt", b"a" * (1024 * 1024 + 1)), "document")
    assert "最大只能上传 1.0\xa0MB" in refused.value.messages[0]
    with pytest.raises(ValidationError, match="空的"):
        validate_upload(SimpleUploadedFile("a.txt", b""), "document")
    with pytest.raises(ValueError):
        validate_upload(SimpleUploadedFile("a.txt", b"a"), "no-such-use")


def test_safe_filename():
    pdf = TYPES["pdf"]
    assert safe_filename("../../etc/passwd", pdf) == "passwd.pdf"
    assert safe_filename("C:\\Users\\张三\\关于 <通知>.exe", pdf) == "关于_通知.pdf"
    assert safe_filename(".htaccess", pdf) == "file.pdf"
    assert safe_filename("a" * 300 + ".pdf", pdf) == "a" * 80 + ".pdf"


# --- The Wagtail admin forms and serving -------------------------------------------------------


@pytest.mark.django_db
def test_admin_document_upload_refuses_disguised_file_with_chinese_error(admin_client):
    response = admin_client.post(
        "/admin/documents/add/",
        {"title": "通知", "file": SimpleUploadedFile("通知.pdf", b"MZ\x90\x00" + b"\x00" * 64), "collection": 1},
    )
    assert response.status_code == 200
    assert "系统按文件内容识别为“无法识别的文件”" in response.content.decode()
    assert not get_document_model().objects.exists()


@pytest.mark.django_db
def test_admin_document_upload_stores_safe_name_and_serves_as_attachment(admin_client, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path)  # an empty media directory: no earlier run's file takes the name
    response = admin_client.post(
        "/admin/documents/add/",
        {"title": "通知", "file": SimpleUploadedFile("../关于<通知>.pdf", PDF), "collection": 1},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    document = get_document_model().objects.get()
    assert document.filename == "关于_通知.pdf"
    served = admin_client.get(document.url)
    assert served.status_code == 200
    assert served["Content-Disposition"].startswith("attachment")
    assert served["X-Content-Type-Options"] == "nosniff"
    # The file itself is not reachable under /media/ (collection privacy, download only).
    assert admin_client.get(settings.MEDIA_URL + document.file.name).status_code == 404


@pytest.mark.django_db
def test_admin_image_upload_refuses_non_image_and_accepts_png(admin_client):
    refused = admin_client.post(
        "/admin/images/add/",
        {"title": "图", "file": SimpleUploadedFile("a.png", PDF, content_type="image/png"), "collection": 1},
    )
    assert refused.status_code == 200 and not get_image_model().objects.exists()
    accepted = admin_client.post(
        "/admin/images/add/",
        {"title": "图", "file": SimpleUploadedFile("a b.png", image_bytes("PNG")), "collection": 1},
    )
    assert accepted.status_code == 302
    image = get_image_model().objects.get()
    served = admin_client.get("/media/" + image.file.name)
    assert served.status_code == 200 and served["X-Content-Type-Options"] == "nosniff"
