"""Wagtail's image and document forms with the content check of ``zhengtong.hardening.uploads``.

Set as ``WAGTAILIMAGES_IMAGE_FORM_BASE`` and ``WAGTAILDOCS_DOCUMENT_FORM_BASE``: every upload in the admin
(single, multiple, chooser) goes through them, and a refused file shows the Chinese reason under the field.
"""

from django.core.files.uploadedfile import UploadedFile
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from zhengtong.hardening.uploads import safe_filename, validate_upload


def _checked(form, use: str):
    file = form.cleaned_data.get("file")
    if isinstance(file, UploadedFile):  # a new upload; an unchanged file was checked when it came
        file_type = validate_upload(file, use)
        file.name = safe_filename(file.name, file_type)
    return file


class CheckedImageForm(BaseImageForm):
    def clean_file(self):
        return _checked(self, "image")


class CheckedDocumentForm(BaseDocumentForm):
    def clean_file(self):
        return _checked(self, "document")
