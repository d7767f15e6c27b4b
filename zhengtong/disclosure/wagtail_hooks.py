"""Admin: the 信息公开 menu — offices, catalog, subject topics and the 主动公开时限 list."""

from django.contrib import messages
from django.shortcuts import redirect
from django.urls import path
from django.utils.functional import cached_property
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.viewsets.base import ViewSet, ViewSetGroup
from wagtail.snippets.views.snippets import DeleteView, SnippetViewSet

from zhengtong.disclosure import views
from zhengtong.disclosure.catalog import category_in_use
from zhengtong.disclosure.models import DisclosureCategory, DisclosureOffice, SubjectTopic

# Other disclosure apps (applications, annual report) add their entries to the 信息公开 menu with this hook.
SUBMENU_HOOK = "register_disclosure_menu_item"


class OfficeViewSet(SnippetViewSet):
    model = DisclosureOffice
    icon = "home"
    menu_label = _("公开工作机构")
    list_display = ["organisation", "name", "phone", "index_prefix", "updated_at"]
    search_fields = ["name", "organisation__name"]


class CategoryDeleteView(DeleteView):
    """A category that items use is never deleted: they would lose their place in the catalog."""

    def form_valid(self, form):
        if category_in_use(self.object):
            messages.error(
                self.request,
                gettext("“%(name)s”下已有公开信息，不能删除；不再使用时请取消“启用”。") % {"name": self.object.name},
            )
            return redirect(self.get_success_url())
        return super().form_valid(form)


class CategoryViewSet(SnippetViewSet):
    model = DisclosureCategory
    delete_view_class = CategoryDeleteView
    icon = "list-ul"
    menu_label = _("公开目录")
    list_display = ["organisation", "code", "name", "basis", "sort_order", "is_active"]
    list_filter = ["organisation", "is_active"]
    search_fields = ["name", "code"]


class TopicViewSet(SnippetViewSet):
    model = SubjectTopic
    icon = "tag"
    menu_label = _("主题分类")
    list_display = ["name", "sort_order", "is_active"]


class StaffWithOrganisationMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.is_superuser or request.user.organisation_id is not None


class DeadlineViewSet(ViewSet):
    name = "disclosure_deadlines"
    icon = "time"
    menu_label = _("主动公开时限")

    @cached_property
    def menu_item_class(self):
        return StaffWithOrganisationMenuItem

    def get_urlpatterns(self):
        return [path("", views.proactive_deadlines, name="index")]


class DisclosureMenu(ViewSetGroup):
    menu_label = _("信息公开")
    menu_icon = "doc-full"
    menu_order = 230
    submenu_hook = SUBMENU_HOOK
    items = (OfficeViewSet, CategoryViewSet, TopicViewSet, DeadlineViewSet)


@hooks.register("register_admin_viewset")
def register_disclosure_menu():
    return DisclosureMenu()
