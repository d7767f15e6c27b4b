"""Where case attachments are kept: a directory under MEDIA_ROOT that is never served by URL.

Attachments carry applicants' documents (ID copies, complaints with names): they are read only through
the permission-checked download view or a signed, expiring public link (``attachments.py``). Keeping them
under ``MEDIA_ROOT/private/`` puts them in every backup with the other uploads (``zhengtong.backup``),
while ``/media/private/`` answers 404 from the program (``zhengtong.hardening.views``) and from nginx
(operator's guide 8.1).
"""

import os
from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage

PRIVATE_PREFIX = "private"


class PrivateStorage(FileSystemStorage):
    """``FileSystemStorage`` under ``MEDIA_ROOT/private`` (read from settings on every use) with no URL."""

    @property
    def base_location(self) -> str:
        return str(Path(settings.MEDIA_ROOT) / PRIVATE_PREFIX)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("private files have no URL: use the download view")


_storage = PrivateStorage()


def get_private_storage() -> PrivateStorage:
    return _storage
