"""Staff page: edit the public version of a letter and publish or unpublish it."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from wagtail.admin.auth import require_admin_access

from zhengtong.casework import access
from zhengtong.interaction import services
from zhengtong.interaction.forms import PublicationForm

PUBLISH_PERMISSION = "zt_interaction.publish_letter"


def may_publish(user, case) -> bool:
    return user.has_perm(PUBLISH_PERMISSION) and access.can_handle(user, case)


@require_admin_access
def publication(request, pk: int):
    case = get_object_or_404(access.visible_cases(request.user).select_related("organisation"), pk=pk)
    if not may_publish(request.user, case):
        raise PermissionDenied
    draft = services.draft_publication(case)
    refusal = services.publication_refusal(case)
    if request.method == "POST":
        action = request.POST.get("action")
        if action == "unpublish":
            if services.unpublish(case, actor=request.user):
                messages.success(request, _("已撤销公开。"))
            return redirect("interaction_publication", pk=case.pk)
        form = PublicationForm(request.POST)
        if form.is_valid():
            try:
                services.publish(case, actor=request.user, **form.cleaned_data)
            except services.InteractionError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("已公开，公开信件列表中可以看到。"))
                return redirect("interaction_publication", pk=case.pk)
    else:
        form = PublicationForm(initial={"subject": draft.subject, "content": draft.content, "reply": draft.reply})
    return TemplateResponse(
        request,
        "interaction/admin/publication.html",
        {"case": case, "form": form, "publication": draft, "refusal": refusal},
    )
