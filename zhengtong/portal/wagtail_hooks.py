from django.contrib import messages
from django.urls import include, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from zhengtong.portal import admin_urls
from zhengtong.portal.forms import SUBMITTING_ACTIONS
from zhengtong.portal.models import ArticlePage, DepartmentPage, WordingRule
from zhengtong.portal.wording import hits_for_page


@hooks.register("register_admin_urls")
def register_submission_urls():
    return [path("submissions/", include(admin_urls))]


@hooks.register("register_admin_menu_item")
def register_submission_menu():
    return MenuItem(gettext_lazy("信息报送"), reverse("portal_submissions"), icon_name="resubmit", order=250)


@hooks.register("register_page_listing_buttons")
def submission_button(page, user, next_url=None, **kwargs):
    if (
        isinstance(page.specific_deferred, ArticlePage)
        and page.live
        and not page.alias_of_id
        and DepartmentPage.objects.ancestor_of(page).exists()
        and page.permissions_for_user(user).can_edit()
    ):
        yield ListingButton(
            _("报送到门户"),
            reverse("portal_submission_create", args=[page.pk]),
            priority=60,
        )


def _warn_about_wording(request, page):
    if not any(request.POST.get(name) for name in SUBMITTING_ACTIONS):
        return
    warnings = [h for h in hits_for_page(page.specific) if h.action == "warn"]
    if warnings:
        messages.warning(
            request,
            _("表述提示（审核人须逐条确认）：%(hits)s") % {"hits": "；".join(h.describe() for h in warnings)},
        )


hooks.register("after_create_page", _warn_about_wording)
hooks.register("after_edit_page", _warn_about_wording)


class WordingRuleViewSet(SnippetViewSet):
    model = WordingRule
    icon = "warning"
    menu_label = gettext_lazy("敏感词库")
    menu_order = 300
    add_to_settings_menu = True
    list_display = ["phrase", "kind", "correct_form", "action", "is_active"]
    list_filter = ["kind", "action", "is_active"]
    search_fields = ["phrase", "correct_form"]


register_snippet(WordingRuleViewSet)
