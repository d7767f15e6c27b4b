"""Files attached to timeline events: storing checked uploads, staff downloads, the applicant's signed links.

Every upload passes ``zhengtong.hardening.validate_upload(file, "attachment")`` (type from the content,
size limit from ``ZT_UPLOAD_RULES``); the stored name is random (``models.attachment_path``), the name
offered for download is the client's name made safe with the recognised extension. Staff download through
``views.attachment_download`` (``access.can_see``); the applicant downloads the attachments of public
events (the reply) through ``public_download_url``, a signed link valid for ``PUBLIC_LINK_SECONDS``.
"""

import hashlib

from django.core import signing
from django.db import transaction
from django.urls import reverse

from zhengtong.casework.models import CaseAttachment, CaseEvent
from zhengtong.hardening.uploads import FileType, safe_filename, validate_upload

UPLOAD_USE = "attachment"
MAX_FILES = 10
PUBLIC_LINK_SECONDS = 3600
_SALT = "zt.casework.attachment"


def check(file) -> FileType:
    """The recognised type of an uploaded file, or ``ValidationError`` in Chinese (hardening.uploads)."""
    return validate_upload(file, UPLOAD_USE)


def _digest(file) -> str:
    sha = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(65536), b""):
        sha.update(chunk)
    file.seek(0)
    return sha.hexdigest()


def attach(event: CaseEvent, files, *, actor=None) -> list[CaseAttachment]:
    """Store ``files`` (uploaded files) on ``event``; each is checked again here, whoever calls.

    Raises ``ValidationError`` before anything is stored when one file is refused.
    """
    checked = [(file, check(file)) for file in files]
    stored = []
    with transaction.atomic():
        for file, file_type in checked:
            name = safe_filename(getattr(file, "name", "") or "file", file_type)
            attachment = CaseAttachment(
                event=event,
                original_name=name,
                size=file.size,
                content_type=file_type.mime,
                sha256=_digest(file),
                uploaded_by=actor if actor is not None and getattr(actor, "is_authenticated", False) else None,
            )
            attachment.file.save(name, file, save=False)
            attachment.save()
            stored.append(attachment)
    return stored


def share(attachments, event: CaseEvent) -> list[CaseAttachment]:
    """The same stored files on another event (a reviewed draft's files go out with the reply)."""
    copies = []
    for attachment in attachments:
        attachment.pk = None
        attachment.event = event
        attachment.save()
        copies.append(attachment)
    return copies


def public_download_url(attachment: CaseAttachment) -> str:
    """A link the applicant can use for about an hour to download an attachment of a public event.

    The signature covers the attachment and its content digest, so a link names exactly this file; the
    lookup page (which already checked the code and the second check) makes a fresh one on each view.
    """
    token = signing.dumps({"a": attachment.pk, "h": attachment.sha256[:16]}, salt=_SALT, compress=True)
    return reverse("casework_public_attachment", args=[token])


class LinkExpired(Exception):
    """The signature is right but the link is older than ``PUBLIC_LINK_SECONDS``."""


def attachment_for_token(token: str) -> CaseAttachment | None:
    """The public attachment a signed link names; None when the link is forged, altered or not public.

    Raises ``LinkExpired`` for a genuine link that has run out, so the page can say to look the case up again.
    """
    try:
        data = signing.loads(token, salt=_SALT, max_age=PUBLIC_LINK_SECONDS)
    except signing.SignatureExpired as error:
        raise LinkExpired from error
    except signing.BadSignature:
        return None
    attachment = CaseAttachment.objects.select_related("event").filter(pk=data.get("a")).first()
    if attachment is None or not attachment.event.public or attachment.sha256[:16] != data.get("h"):
        return None
    return attachment
