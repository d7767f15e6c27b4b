"""Building test data and rewriting archives for the backup tests."""

import io
import json
import tarfile
from pathlib import Path

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PILImage
from wagtail.documents.models import Document
from wagtail.images.models import Image

from zhengtong.backup.archive import MANIFEST_MEMBER, checksum_path, sha256_file

DOCUMENT_BYTES = "政通备份测试附件\n".encode() * 20


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    PILImage.new("RGB", (8, 6), (200, 30, 30)).save(buffer, "PNG")
    return buffer.getvalue()


def upload_files() -> tuple[Document, Image]:
    document = Document(title="测试附件")
    document.file.save("notice.txt", ContentFile(DOCUMENT_BYTES), save=False)
    document.save()
    image = Image.objects.create(title="测试图片", file=ImageFile(io.BytesIO(png_bytes()), name="photo.png"))
    return document, image


def rewrite(archive: Path, change) -> None:
    """Rewrite ``archive`` with ``change(members: dict[name, bytes])`` applied, and a matching .sha256.

    How a backup that is internally inconsistent (but not corrupted in transit) is made for the tests.
    """
    with tarfile.open(archive, "r:gz") as tar:
        members = {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}
    change(members)
    with tarfile.open(archive, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    checksum_path(archive).write_text(f"{sha256_file(archive)}  {archive.name}\n")


def change_manifest(archive: Path, edit) -> None:
    def apply(members):
        manifest = json.loads(members[MANIFEST_MEMBER])
        edit(manifest)
        members[MANIFEST_MEMBER] = json.dumps(manifest).encode()

    rewrite(archive, apply)
