"""The admin's audited reveal: one full value, for one person with the permission, recorded each time."""

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from zhengtong.privacy.services import personal_field, reveal


@never_cache
@require_POST
def reveal_view(request: HttpRequest, content_type_id: int, pk: str, field_name: str) -> HttpResponse:
    content_type = get_object_or_404(ContentType, pk=content_type_id)
    model = content_type.model_class()
    if model is None:
        raise Http404
    obj = get_object_or_404(model._base_manager, pk=pk)
    try:
        field = personal_field(obj, field_name)
    except (ValueError, FieldDoesNotExist):
        raise Http404 from None
    try:
        value = reveal(request, obj, field_name)
    except PermissionDenied:
        # Already recorded as denied. Answered here: Wagtail would turn it into a redirect with a message.
        return HttpResponseForbidden(_("您没有查看完整个人信息的权限。如确因工作需要，请联系安全管理员授权。"))
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure()):
        back = ""
    response = TemplateResponse(
        request,
        "privacy/reveal.html",
        {
            "page_title": _("查看完整的个人信息"),
            "header_title": _("查看完整的个人信息"),
            "object_label": f"{model._meta.verbose_name}：{obj}",
            "field_label": field.verbose_name,
            "value": value,
            "back_url": back,
        },
    )
    # The page holds personal data: not stored by the browser or any proxy (never_cache adds no-cache only).
    response["Cache-Control"] = "no-store, private"
    return response
