"""Forms of the hardening app.

- Wagtail's image and document forms with the content check of ``zhengtong.hardening.uploads``, set as
  ``WAGTAILIMAGES_IMAGE_FORM_BASE`` and ``WAGTAILDOCS_DOCUMENT_FORM_BASE``: every upload in the admin (single,
  multiple, chooser) goes through them, and a refused file shows the Chinese reason under the field.
- ``HumanQuestionMixin``: the accessible anti-spam question of public submission forms.
"""

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext as _
from wagtail.documents.forms import BaseDocumentForm
from wagtail.images.forms import BaseImageForm

from zhengtong.hardening import challenge
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


# --- The question on every public submission form -------------------------------------------------------

QUESTION_TOKEN = "human_token"  # noqa: S105 - a form field name, not a secret
QUESTION_ANSWER = "human_answer"


class HumanQuestionMixin:
    """An accessible anti-spam check on a public form: the same arithmetic question in Chinese words as the
    rate limit's challenge (``zhengtong.hardening.challenge``), asked on every submission.

    No image, no JavaScript, no third party: a screen reader reads the question as text and the answer may
    be typed in digits or words. The form takes ``address`` (the client's, bound into the token) and asks a
    new question whenever it is shown again. ``ZT_FORM_QUESTION = False`` turns it off (the security lane's
    scanned server, focused tests).
    """

    question_scope = "form"

    def __init__(self, *args, address: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.asks_question = getattr(settings, "ZT_FORM_QUESTION", True)
        if not self.asks_question:
            return
        self._address = address
        question = challenge.new_question(self.question_scope, address)
        self.fields[QUESTION_ANSWER] = forms.CharField(
            label=question.text,
            max_length=10,
            required=False,  # checked in clean(): the answer shown again is blank, the one sent is kept aside
            help_text=_("为防止自动程序乱发信息，请回答这个问题（写数字或汉字都可以，如 8 或 八）。"),
            widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off", "size": 6}),
        )
        self.fields[QUESTION_TOKEN] = forms.CharField(widget=forms.HiddenInput, required=False)
        self.initial[QUESTION_TOKEN] = question.token
        self._sent = ("", "")
        if self.is_bound:
            self._sent = (self.data.get(QUESTION_TOKEN, ""), self.data.get(QUESTION_ANSWER, ""))
            data = self.data.copy()  # shown again: the new question, an empty answer
            data[QUESTION_TOKEN], data[QUESTION_ANSWER] = question.token, ""
            self.data = data

    def clean(self):
        cleaned = super().clean()
        if self.asks_question:
            token, answer = self._sent
            if not answer.strip():
                self.add_error(QUESTION_ANSWER, _("请回答这个问题。"))
            elif not challenge.check_answer(
                token, answer, self.question_scope, self._address, max_age=settings.ZT_FORM_QUESTION_SECONDS
            ):
                self.add_error(QUESTION_ANSWER, _("答案不对或已过期，请回答新的问题。"))
        return cleaned
