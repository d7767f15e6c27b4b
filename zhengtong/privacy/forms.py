"""Form fields for personal data and identity numbers, with the validators' plain Chinese errors."""

from django import forms
from django.core import validators as django_validators
from django.utils.translation import gettext_lazy as _

from zhengtong.privacy import kinds
from zhengtong.privacy.validators import MOBILE_RE, validate_mobile_phone, validate_resident_id, validate_uscc

MAX_LENGTHS = {
    kinds.ID_NUMBER: 24,  # 18 characters, room for spaces typed between groups
    kinds.PHONE: 30,
    kinds.NAME: 100,
    kinds.EMAIL: 254,
    kinds.ADDRESS: 300,
    kinds.TEXT: None,
}


class PersonalDataFormField(forms.CharField):
    """The form field of a ``PersonalDataField``.

    An edit form shows the stored value **masked** (its widget renders ``str(value)``), so the full value
    never reaches a browser through a form. Submitting the masked text unchanged keeps the stored value;
    anything else is validated and stored as the new value; an empty box clears an optional field.
    """

    def __init__(self, *, kind: str, **kwargs):
        self.kind = kinds.check_kind(kind)
        kwargs.setdefault("max_length", MAX_LENGTHS[kind])
        if kind == kinds.TEXT:
            kwargs.setdefault("widget", forms.Textarea)
        kwargs.setdefault("strip", True)
        super().__init__(**kwargs)
        if kind == kinds.ID_NUMBER:
            self.validators.append(validate_resident_id)
        elif kind == kinds.EMAIL:
            self.validators.append(django_validators.validate_email)

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        # The browser must not offer to remember or autofill another citizen's data on a staff screen.
        attrs["autocomplete"] = "off"
        return attrs

    def _unchanged(self, initial, data) -> bool:
        from zhengtong.privacy.fields import PersonalData

        return isinstance(initial, PersonalData) and data is not None and data.strip() == initial.masked

    def _clean_bound_field(self, bf):
        # Django 5.x hook (forms.Field._clean_bound_field): the one place a field sees its initial value.
        if not self.disabled and self._unchanged(bf.initial, bf.data):
            return bf.initial
        return super()._clean_bound_field(bf)

    def has_changed(self, initial, data) -> bool:
        if self._unchanged(initial, data):
            return False
        return super().has_changed(initial, data)


class ResidentIDField(forms.CharField):
    """居民身份证号码 (GB 11643-1999), cleaned to upper case without spaces."""

    default_validators = [validate_resident_id]

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("身份证号码"))
        kwargs.setdefault("max_length", 24)
        super().__init__(**kwargs)

    def to_python(self, value):
        return kinds.normalise(kinds.ID_NUMBER, super().to_python(value))


class USCCField(forms.CharField):
    """统一社会信用代码 (GB 32100-2015), cleaned to upper case without spaces."""

    default_validators = [validate_uscc]

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("统一社会信用代码"))
        kwargs.setdefault("max_length", 24)
        super().__init__(**kwargs)

    def to_python(self, value):
        return "".join(super().to_python(value).split()).upper()


class MobilePhoneField(forms.CharField):
    """A mainland mobile number, cleaned to its 11 digits."""

    default_validators = [validate_mobile_phone]

    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("手机号码"))
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "tel", "autocomplete": "tel"}))
        super().__init__(**kwargs)

    def to_python(self, value):
        value = super().to_python(value)
        digits = kinds.normalise(kinds.PHONE, value)
        # Only a recognisable number is rewritten; anything else goes to the validator as typed.
        return digits if MOBILE_RE.match(digits) else value
