from django.urls import path, reverse
from django.utils.translation import gettext as _
from wagtail import hooks

from zhengtong.interaction import admin_views


@hooks.register("register_admin_urls")
def register_interaction_urls():
    return [path("interaction/publication/<int:pk>/", admin_views.publication, name="interaction_publication")]


@hooks.register("register_case_link")
def publication_link(request, case):
    if case.kind not in ("mailbox", "consultation") or not admin_views.may_publish(request.user, case):
        return None
    label = _("公开来信（来信人同意公开）") if case.publish_consent else _("公开来信（来信人未同意公开）")
    return reverse("interaction_publication", args=[case.pk]), label


@hooks.register("register_permissions")
def register_publish_permission():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(content_type__app_label="zt_interaction", codename="publish_letter")
