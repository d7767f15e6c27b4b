"""Template helpers: ``{{ value|masked }}``, ``{{ text|masked:"phone" }}``, ``{% personal obj "phone" %}``."""

from django import template
from django.contrib.contenttypes.models import ContentType

from zhengtong.privacy.fields import PersonalData
from zhengtong.privacy.masking import mask
from zhengtong.privacy.services import can_view_full, personal_field

register = template.Library()


@register.filter
def masked(value, kind: str = "") -> str:
    """The masked form: a ``PersonalData`` masks itself; plain text needs its kind (``|masked:"id_number"``)."""
    if isinstance(value, PersonalData):
        return value.masked
    if not value:
        return ""
    return mask(kind or "text", str(value))


@register.inclusion_tag("privacy/personal_value.html", takes_context=True)
def personal(context, obj, field_name: str) -> dict:
    """The masked value, with a 查看完整信息 button for users allowed to reveal it (audited, admin only)."""
    personal_field(obj, field_name)  # fails loudly on a field that is not personal data
    request = context.get("request")
    return {
        "value": getattr(obj, field_name),
        "can_reveal": can_view_full(getattr(request, "user", None)),
        "content_type_id": ContentType.objects.get_for_model(obj).pk,
        "pk": obj.pk,
        "field_name": field_name,
        "csrf_token": context.get("csrf_token"),
    }
