"""The model fields for personal data: encrypted at rest, masked when shown, found by blind index.

Usage (a module's models.py)::

    class Application(models.Model):
        applicant_name = PersonalDataField(_("申请人姓名"), kind="name")
        applicant_phone = PersonalDataField(_("联系电话"), kind="phone", blank=True)
        applicant_phone_index = BlindIndexField(source="applicant_phone")

    app.applicant_phone = "138 0000 1234"   # assign plain text; saved as an SM4-GCM token
    str(app.applicant_phone)                 # "138****1234" — templates, logs, admin lists
    app.applicant_phone.reveal()             # "138 0000 1234" — code that needs the value (send an SMS)
    Application.objects.filter(**personal_lookup(Application, "applicant_phone", "13800001234"))

The column holds only the token ``zt1:<key id>:<base64>``; the associated data names the model and field,
so a token copied into another column (or another model) fails to decrypt instead of showing up there.
Empty values are stored as "" and read back as "".
"""

from typing import Any

from django.core import checks, validators
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models.query_utils import DeferredAttribute
from django.utils.translation import gettext_lazy as _

from zhengtong.privacy.crypto import DecryptionError, get_provider, looks_like_token
from zhengtong.privacy.keys import KeyRingError
from zhengtong.privacy.kinds import EMAIL, ID_NUMBER, check_kind, clean_for_storage, normalise
from zhengtong.privacy.masking import mask
from zhengtong.privacy.validators import validate_resident_id

# Associated data for a value pickled before it was saved (it is re-sealed for its column on save).
UNBOUND_AAD = b"zt-unbound"


class PersonalData:
    """A personal-data value read from (or about to be written to) a ``PersonalDataField``.

    ``str()``, ``format()``, ``repr()`` and templates give the **masked** form, so printing, logging or
    rendering a value never shows it whole by accident; ``reveal()`` returns the plain text for code that
    needs it (comparing, sending a message). Showing the full value to a person goes through
    ``zhengtong.privacy.services.reveal``, which checks the permission and writes the audit record.
    Decryption happens on first use, so rows that are only counted or re-keyed are not decrypted.
    """

    __slots__ = ("_aad", "_plain", "_token", "kind")

    def __init__(self, kind: str, plaintext: str | None = None, *, token: str | None = None, aad: bytes = b""):
        if plaintext is None and token is None:
            raise ValueError("PersonalData needs a plaintext or a token")
        self.kind = check_kind(kind)
        self._plain = plaintext
        self._token = token
        self._aad = aad

    def reveal(self) -> str:
        """The plain text. Never put it in a log, an audit detail or a page without ``services.reveal``."""
        if self._plain is None:
            self._plain = get_provider().decrypt(self._token, self._aad)
        return self._plain

    @property
    def masked(self) -> str:
        return mask(self.kind, self.reveal())

    @property
    def token(self) -> str | None:
        """The stored token, or None before the value was saved."""
        return self._token

    def normalised(self) -> str:
        return normalise(self.kind, self.reveal())

    def __str__(self) -> str:
        return self.masked

    def __repr__(self) -> str:
        return f"<PersonalData {self.kind}: {self.masked}>"

    def __eq__(self, other: object) -> bool:
        if isinstance(other, PersonalData):
            return self.kind == other.kind and self.reveal() == other.reveal()
        if isinstance(other, str):
            return self.reveal() == other
        return NotImplemented

    def __hash__(self) -> int:
        return hash((self.kind, self.reveal()))

    def __bool__(self) -> bool:
        return True  # empty values are stored and read as ""

    # Immutable: copies (model deep-copies, form initial data) can share it.
    def __copy__(self) -> "PersonalData":
        return self

    def __deepcopy__(self, memo: dict) -> "PersonalData":
        return self

    def __getstate__(self) -> dict:
        # Pickles (cached model instances, task arguments) carry the token, never the plain text.
        if self._token is None:
            self._token, self._aad = get_provider().encrypt(self._plain, UNBOUND_AAD), UNBOUND_AAD
        return {"kind": self.kind, "token": self._token, "aad": self._aad}

    def __setstate__(self, state: dict) -> None:
        self.kind, self._token, self._aad, self._plain = state["kind"], state["token"], state["aad"], None


def plaintext(value: Any) -> str:
    """The plain text of a field value (``PersonalData``, str or empty)."""
    if isinstance(value, PersonalData):
        return value.reveal()
    return value or ""


KIND_VALIDATORS = {
    ID_NUMBER: validate_resident_id,
    EMAIL: validators.validate_email,
}


class PersonalDataDescriptor(DeferredAttribute):
    """Assigning plain text gives a ``PersonalData`` at once, so a fresh value is masked like a stored one."""

    def __set__(self, instance, value):
        instance.__dict__[self.field.attname] = self.field.to_python(value)


class PersonalDataField(models.TextField):
    """A column holding one piece of personal data of ``kind``, SM4-GCM encrypted (GB/T 39786-2021).

    ``kind`` selects masking, normalisation and default validation (ID numbers: GB 11643; emails). The
    associated data is ``<app_label>.<model>.<field>``; renaming the model or field would make existing
    tokens undecryptable, so a renamed field keeps ``aad_label`` set to its old label.

    Lookups on the column itself only test emptiness (``field=""``, ``field__isnull``); exact matches go
    through a ``BlindIndexField`` and ``personal_lookup``.
    """

    description = _("加密存储的个人信息")
    descriptor_class = PersonalDataDescriptor

    def __init__(self, *args, kind: str, aad_label: str | None = None, **kwargs):
        self.kind = check_kind(kind)
        self.aad_label = aad_label
        kwargs.setdefault("default", "")
        super().__init__(*args, **kwargs)
        if kind in KIND_VALIDATORS:
            self.validators.append(KIND_VALIDATORS[kind])

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["kind"] = self.kind
        if self.aad_label:
            kwargs["aad_label"] = self.aad_label
        if kwargs.get("default") == "":
            del kwargs["default"]
        return name, path, args, kwargs

    @property
    def aad(self) -> bytes:
        return (self.aad_label or f"{self.model._meta.label_lower}.{self.name}").encode()

    # --- database ↔ Python ------------------------------------------------------------------------------
    def from_db_value(self, value, expression, connection):
        if not value:
            return ""
        return PersonalData(self.kind, token=value, aad=self.aad)

    def to_python(self, value):
        # PersonalData first: comparing one with "" would decrypt it (loading a row must not).
        if isinstance(value, PersonalData):
            return value
        if value is None or value == "":
            return ""
        value = str(value)
        if looks_like_token(value):
            # A serialised row (loaddata, backup): the token, not the plain text (see value_to_string).
            try:
                return PersonalData(self.kind, get_provider().decrypt(value, self.aad), token=value, aad=self.aad)
            except (DecryptionError, KeyRingError):
                pass  # typed text that merely looks like a token
        return PersonalData(self.kind, clean_for_storage(self.kind, value))

    def seal(self, value: Any) -> str:
        """The token to store for ``value``; a value read from this column under the current key is reused."""
        value = self.to_python(value)
        if not isinstance(value, PersonalData):
            return ""
        provider = get_provider()
        aad = self.aad
        if value.token is None or value._aad != aad or provider.key_id(value.token) != provider.current_key_id():
            value._token, value._aad = provider.encrypt(value.reveal(), aad), aad
        return value.token

    def get_db_prep_save(self, value, connection):
        if hasattr(value, "as_sql"):
            return value  # an expression (bulk_update's CASE): its Value()s come back here one by one
        return self.seal(value)

    def get_prep_value(self, value):
        # Lookups: a fresh random nonce per encryption means no token ever equals another.
        if not isinstance(value, PersonalData) and (value is None or value == ""):
            return value
        raise TypeError(
            f"{self.model._meta.label}.{self.name} is encrypted: look values up with personal_lookup() "
            "on its BlindIndexField"
        )

    def value_to_string(self, obj):
        # Serialisation (dumpdata, fixtures, the PostgreSQL move): the token, never the plain text.
        return self.seal(self.value_from_object(obj))

    # --- validation and forms ---------------------------------------------------------------------------
    def run_validators(self, value):
        super().run_validators(plaintext(value))

    def validate(self, value, model_instance):
        super().validate(plaintext(value), model_instance)

    def formfield(self, **kwargs):
        from zhengtong.privacy.forms import PersonalDataFormField

        defaults = {"form_class": PersonalDataFormField, "kind": self.kind}
        # Bypass TextField.formfield (it would force a Textarea and a max_length).
        return models.Field.formfield(self, **{**defaults, **kwargs})

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        if self.unique or self.db_index:
            errors.append(
                checks.Error(
                    "PersonalDataField cannot be unique or indexed: every token is different.",
                    hint="Add a BlindIndexField(source=...) and put the index or uniqueness there.",
                    obj=self,
                    id="zhengtong.E310",
                )
            )
        return errors


class BlindIndexField(models.CharField):
    """The keyed HMAC-SM3 digest of a ``PersonalDataField``'s normalised value, kept up to date on save.

    It answers "which rows hold exactly this value" without decrypting anything; ``personal_lookup``
    builds the filter. ``save(update_fields=[...])`` must name this field together with its source.
    """

    description = _("个人信息的检索索引")

    def __init__(self, *args, source: str, **kwargs):
        self.source = source
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("db_index", True)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("default", "")
        kwargs["editable"] = False
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["source"] = self.source
        for key, default in (("max_length", 64), ("db_index", True), ("blank", True), ("default", "")):
            if kwargs.get(key) == default:
                del kwargs[key]
        kwargs.pop("editable", None)
        return name, path, args, kwargs

    def source_field(self) -> PersonalDataField:
        field = self.model._meta.get_field(self.source)
        if not isinstance(field, PersonalDataField):
            raise TypeError(f"{self.model._meta.label}.{self.name}: source {self.source!r} is not a PersonalDataField")
        return field

    def pre_save(self, model_instance, add):
        source = self.source_field()
        value = source.to_python(getattr(model_instance, source.attname))
        digest = index_value(source.kind, value.reveal()) if isinstance(value, PersonalData) else ""
        setattr(model_instance, self.attname, digest)
        return digest

    def check(self, **kwargs):
        errors = super().check(**kwargs)
        try:
            self.source_field()
        except (FieldDoesNotExist, TypeError) as e:
            errors.append(checks.Error(str(e), obj=self, id="zhengtong.E311"))
        return errors


def index_value(kind: str, value: str) -> str:
    """The blind index of a plain value of ``kind`` (normalised first)."""
    normalised = normalise(kind, value)
    return get_provider().blind_index(kind, normalised) if normalised else ""


def personal_lookup(model: type[models.Model], field_name: str, value: str) -> dict[str, str]:
    """Filter arguments matching rows whose ``field_name`` holds exactly ``value`` (after normalisation).

    ``Model.objects.filter(**personal_lookup(Model, "phone", "138 0000 1234"))``
    """
    field = model._meta.get_field(field_name)
    if not isinstance(field, PersonalDataField):
        raise TypeError(f"{model._meta.label}.{field_name} is not a PersonalDataField")
    for candidate in model._meta.concrete_fields:
        if isinstance(candidate, BlindIndexField) and candidate.source == field_name:
            return {candidate.name: index_value(field.kind, value)}
    raise LookupError(f"{model._meta.label}.{field_name} has no BlindIndexField(source={field_name!r})")


__all__ = ["BlindIndexField", "PersonalData", "PersonalDataField", "personal_lookup", "plaintext"]
