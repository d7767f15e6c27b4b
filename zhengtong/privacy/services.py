"""Showing a full personal-data value to a person: permission checked, every showing audited."""

from django.core.exceptions import PermissionDenied
from django.db import models
from django.http import HttpRequest

from zhengtong.audit.models import AuditRecord
from zhengtong.audit.services import record
from zhengtong.privacy.fields import PersonalDataField, plaintext
from zhengtong.privacy.models import VIEW_FULL_PERMISSION


def can_view_full(user) -> bool:
    """Whether ``user`` may see personal data unmasked (``zt_privacy.view_full_personal_data``)."""
    return bool(user and user.is_authenticated and user.has_perm(VIEW_FULL_PERMISSION))


def personal_field(obj: models.Model, field_name: str) -> PersonalDataField:
    field = obj._meta.get_field(field_name)
    if not isinstance(field, PersonalDataField):
        raise ValueError(f"{obj._meta.label}.{field_name} is not a PersonalDataField")
    return field


def reveal(request: HttpRequest, obj: models.Model, field_name: str) -> str:
    """The full value of ``obj.<field_name>`` for the requesting user, recorded as ``privacy.reveal``.

    GB/T 35273-2020 7.3 / DOMAIN.md §6: full personal data only for those entitled, and every access
    traceable. The audit record names the object and the field, never the value. A user without the
    permission gets ``PermissionDenied`` and a ``denied`` record.
    """
    field = personal_field(obj, field_name)
    detail = {"model": obj._meta.label_lower, "field": field_name, "kind": field.kind}
    if not can_view_full(getattr(request, "user", None)):
        record("privacy.reveal", request=request, obj=obj, result=AuditRecord.Result.DENIED, detail=detail)
        raise PermissionDenied
    value = plaintext(getattr(obj, field.attname))
    record("privacy.reveal", request=request, obj=obj, detail=detail)
    return value
