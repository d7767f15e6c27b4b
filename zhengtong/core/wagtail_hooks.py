from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, ObjectList
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.model import ModelViewSet

from zhengtong.core.forms import CalendarYearForm
from zhengtong.core.holidays import missing_years
from zhengtong.core.models import CalendarYear, Organisation


class OrganisationViewSet(ModelViewSet):
    model = Organisation
    icon = "group"
    menu_label = _("机构")
    menu_order = 200
    add_to_settings_menu = True
    list_display = ["name", "short_name", "code", "kind", "parent", "is_active"]
    list_filter = ["kind", "is_active"]
    search_fields = ["name", "short_name", "code"]
    panels = [
        FieldPanel("name"),
        FieldRowPanel([FieldPanel("short_name"), FieldPanel("code")]),
        FieldRowPanel([FieldPanel("kind"), FieldPanel("parent")]),
        FieldPanel("address"),
        FieldPanel("phone"),
        FieldRowPanel([FieldPanel("sort_order"), FieldPanel("is_active")]),
    ]


@hooks.register("register_admin_viewset")
def register_organisation_viewset():
    return OrganisationViewSet("organisations")


class CalendarYearViewSet(ModelViewSet):
    """The holiday schedule, a year at a time: every deadline in the platform is counted on it."""

    model = CalendarYear
    icon = "date"
    menu_label = _("年度节假日安排")
    menu_order = 210
    add_to_settings_menu = True
    list_display = ["year", "source", "notice", "updated_at"]
    edit_handler = ObjectList(
        [
            FieldRowPanel([FieldPanel("year"), FieldPanel("notice")]),
            FieldPanel("source", read_only=True),
            InlinePanel(
                "days", label=_("节假日与调休上班日"), heading=_("只录入与“周一至周五上班、周末休息”不同的日子")
            ),
        ],
        base_form_class=CalendarYearForm,
    )


@hooks.register("register_admin_viewset")
def register_calendar_viewset():
    return CalendarYearViewSet("calendar")


class MissingScheduleBanner(Component):
    """A warning on the dashboard while a needed year's schedule is missing (DOMAIN.md §1)."""

    template_name = "core/missing_schedule_banner.html"
    order = 10

    def __init__(self, years: list[int], can_edit: bool):
        self.years = years
        self.can_edit = can_edit

    def get_context_data(self, parent_context=None):
        return {"years": self.years, "can_edit": self.can_edit}


@hooks.register("construct_homepage_panels")
def add_missing_schedule_banner(request, panels):
    years = missing_years()
    if years:
        can_edit = request.user.has_perm("core.change_calendaryear") or request.user.has_perm("core.add_calendaryear")
        panels.insert(0, MissingScheduleBanner(years, can_edit))
