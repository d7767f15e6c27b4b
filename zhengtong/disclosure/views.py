"""Public catalog of an organisation's disclosure section, and the office's 主动公开时限 list in the admin."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.db.models.functions import ExtractYear
from django.http import HttpRequest
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.auth import require_admin_access

from zhengtong.casework import deadlines
from zhengtong.core.models import Organisation
from zhengtong.disclosure import clock
from zhengtong.disclosure.catalog import catalog_for
from zhengtong.disclosure.forms import CatalogFilterForm
from zhengtong.disclosure.guide import application_url
from zhengtong.portal.queries import paginate, public_filter


def public_items(section):
    """Live public disclosure items of a section, newest first."""
    from zhengtong.disclosure.models import DisclosureItemPage

    return (
        DisclosureItemPage.objects.live()
        .filter(public_filter())
        .child_of(section)
        .select_related("category")
        .order_by("-published_date", "-pk")
    )


def catalog_context(section, params) -> dict:
    """Categories with counts, years, and the filtered items of a section's catalog (page and kiosk alike)."""
    items = public_items(section)
    counts = dict(items.order_by().values_list("category_id").annotate(n=Count("pk")))
    categories = [(category, counts.get(category.pk, 0)) for category in catalog_for(section.organisation)]
    # A deactivated category is shown only while it still holds items.
    categories = [(c, n) for c, n in categories if c.is_active or n]
    years = sorted(
        {y for y in items.order_by().annotate(y=ExtractYear("published_date")).values_list("y", flat=True) if y},
        reverse=True,
    )
    form = CatalogFilterForm(params)
    chosen, year = None, None
    if form.is_valid():
        code = form.cleaned_data["category"]
        chosen = next((c for c, _n in categories if c.code == code), None) if code else None
        year = form.cleaned_data["year"]
    if chosen is not None:
        items = items.filter(category=chosen)
    if year:
        items = items.filter(published_date__year=year)
    query = params.copy()
    query.pop("page", None)
    return {
        "categories": categories,
        "total": sum(n for _c, n in categories),
        "years": years,
        "chosen_category": chosen,
        "chosen_year": year,
        "items_query": items,
        "filter_query": query.urlencode(),
    }


def section_context(section, request: HttpRequest) -> dict:
    from zhengtong.disclosure.models import DisclosureItemPage, DisclosureOffice

    context = catalog_context(section, request.GET)
    context["items"] = paginate(request, context.pop("items_query"))
    context["office"] = DisclosureOffice.objects.filter(organisation=section.organisation).first()
    # The annual reports (年度报告) and any other page the office puts under its section besides the items.
    item_type = DisclosureItemPage._meta
    context["other_pages"] = (
        section.get_children()
        .live()
        .filter(public_filter())
        .exclude(content_type__app_label=item_type.app_label, content_type__model=item_type.model_name)
        .specific()
    )
    context["application_url"] = application_url()
    context["annual_reports"] = annual_reports(section.organisation)
    return context


def annual_reports(organisation) -> list[tuple[str, str]]:
    """(title, url) of the organisation's published annual reports, newest first (zhengtong.disclosure_report)."""
    from django.apps import apps

    if not apps.is_installed("zhengtong.disclosure_report"):
        return []
    from zhengtong.disclosure_report.services import published_reports

    return [
        (
            _("%(year)s年政府信息公开工作年度报告") % {"year": report.year},
            reverse("disclosure_report_page", args=[organisation.code, report.year]),
        )
        for report in published_reports(organisation)
    ]


# --- Admin: 信息公开 → 主动公开时限 ----------------------------------------------------------


def visible_organisations(user) -> list[Organisation]:
    """The organisations whose clock a staff member may see: all for a superuser, else their own and below."""
    from zhengtong.portal.sections import organisations_below

    if user.is_superuser:
        return list(Organisation.objects.all())
    if user.organisation is None:
        return []
    return organisations_below(user.organisation)


STATUS_CHOICES = [
    ("attention", _("需要处理（即将到期和已超期）")),
    (deadlines.SOON, deadlines.LABELS[deadlines.SOON]),
    (deadlines.OVERDUE, deadlines.LABELS[deadlines.OVERDUE]),
    (deadlines.LATE, _("超期公开")),
    ("pending", _("全部未公开")),
    ("all", _("全部")),
]


@require_admin_access
def proactive_deadlines(request):
    """The 主动公开时限 list (政府信息公开条例 第26条): due soon, overdue, published late."""
    organisations = visible_organisations(request.user)
    if not organisations:
        raise PermissionDenied
    today = timezone.localdate()
    by_pk = {str(org.pk): org for org in organisations}
    chosen = by_pk.get(request.GET.get("org", ""))
    status = request.GET.get("status", "attention")
    if status not in dict(STATUS_CHOICES):
        status = "attention"
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        year = today.year
    rows = clock.clock_rows([chosen] if chosen else organisations, today, status, year)
    page = Paginator(rows, 50).get_page(request.GET.get("p"))
    query = request.GET.copy()
    query.pop("p", None)
    return TemplateResponse(
        request,
        "disclosure/admin/deadlines.html",
        {
            "page": page,
            "organisations": organisations,
            "chosen": chosen,
            "status": status,
            "status_choices": STATUS_CHOICES,
            "year": year,
            "years": range(today.year, today.year - 6, -1),
            "query": query.urlencode(),
            "limit": clock.PROACTIVE_DAYS,
        },
    )
