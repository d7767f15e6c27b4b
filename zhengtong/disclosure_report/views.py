"""Admin screens (信息公开 → 年度报告) and the public pages of published reports (/xxgk/ndbg/…)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin.auth import require_admin_access

from zhengtong.audit.services import record as audit
from zhengtong.core.models import Organisation
from zhengtong.disclosure_report import output, services, tables
from zhengtong.disclosure_report.forms import AnnualReportForm, PickForm, UnpublishForm
from zhengtong.disclosure_report.models import AnnualReport

PUBLISH_PERMISSION = "zt_disclosure_report.publish_annualreport"


def _organisation_for(request, org_pk: int) -> Organisation:
    organisations = services.editable_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied
    return get_object_or_404(organisations, pk=org_pk)


def _report_for(organisation: Organisation, year: int) -> AnnualReport:
    report = AnnualReport.objects.filter(organisation=organisation, year=year).first()
    return report or AnnualReport(organisation=organisation, year=year)


@require_admin_access
def report_index(request):
    organisations = services.editable_organisations(request.user)
    if not organisations.exists():
        raise PermissionDenied
    form = PickForm(request.GET or None, organisations=organisations)
    if request.GET and form.is_valid():
        return redirect(
            "disclosure_report_edit", org_pk=form.cleaned_data["organisation"].pk, year=form.cleaned_data["year"]
        )
    reports = AnnualReport.objects.filter(organisation__in=organisations).select_related("organisation")
    return TemplateResponse(
        request,
        "disclosure_report/admin/index.html",
        {
            "form": form,
            "reports": reports,
            "reminders": services.reminders(timezone.localdate(), organisations),
        },
    )


def _editor(request, report: AnnualReport, form: AnnualReportForm, status: int = 200):
    three = tables.table_three(report.organisation, report.year)
    broken = three.broken_columns()
    layout = output.table_three_layout(three.cells, broken)
    columns = [
        {
            "label": output.COLUMN_LABELS[c],
            "ok": c not in broken,
            "left": three.cells[tables.RECEIVED][c] + three.cells[tables.CARRIED_IN][c],
            "right": three.cells[tables.CONCLUDED][c] + three.cells[tables.CARRIED_OUT][c],
        }
        for c in tables.COLUMNS
    ]
    return TemplateResponse(
        request,
        "disclosure_report/admin/edit.html",
        {
            "report": report,
            "form": form,
            "table_three": layout,
            "columns": columns,
            "broken": broken,
            "unclassified": three.unclassified,
            "can_publish": request.user.has_perm(PUBLISH_PERMISSION),
            "unpublish_form": UnpublishForm(),
            "deadline": services.deadline(report.organisation, report.year),
            "title": services.title(report.organisation.name, report.year),
        },
        status=status,
    )


@require_admin_access
def report_edit(request, org_pk: int, year: int):
    organisation = _organisation_for(request, org_pk)
    if year > timezone.localdate().year or year < 2008:
        raise Http404
    report = _report_for(organisation, year)
    if request.method != "POST":
        return _editor(request, report, AnnualReportForm(instance=report))
    if report.is_published:
        messages.error(request, _("已发布的年度报告不能修改；如需更正，请先撤回发布。"))
        return redirect("disclosure_report_edit", org_pk=organisation.pk, year=year)
    form = AnnualReportForm(request.POST, instance=report)
    if not form.is_valid():
        messages.error(request, _("有填写错误，请按提示修改后再保存。"))
        return _editor(request, report, form, status=400)
    created = report.pk is None
    form.save()
    audit(
        "disclosure_report.create" if created else "disclosure_report.edit",
        actor=request.user,
        obj=report,
        detail={"organisation": organisation.code, "year": year, "fields": sorted(form.changed_data)},
    )
    messages.success(request, _("年度报告已保存。"))
    return redirect("disclosure_report_edit", org_pk=organisation.pk, year=year)


@require_admin_access
@require_POST
def report_publish(request, org_pk: int, year: int):
    organisation = _organisation_for(request, org_pk)
    if not request.user.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied
    report = get_object_or_404(AnnualReport, organisation=organisation, year=year)
    try:
        services.publish(report, request.user)
    except services.PublishRefused as refused:
        audit(
            "disclosure_report.publish",
            actor=request.user,
            obj=report,
            result="failure",
            detail={"organisation": organisation.code, "year": year, "reason": str(refused)},
        )
        messages.error(request, str(refused))
    else:
        messages.success(request, _("年度报告已发布，公众可以在网站上查看和下载。"))
    return redirect("disclosure_report_edit", org_pk=organisation.pk, year=year)


@require_admin_access
@require_POST
def report_unpublish(request, org_pk: int, year: int):
    organisation = _organisation_for(request, org_pk)
    if not request.user.has_perm(PUBLISH_PERMISSION):
        raise PermissionDenied
    report = get_object_or_404(AnnualReport, organisation=organisation, year=year)
    form = UnpublishForm(request.POST)
    try:
        if not form.is_valid():
            raise services.PublishRefused(_("撤回发布要写明原因。"))
        services.unpublish(report, request.user, form.cleaned_data["reason"])
    except services.PublishRefused as refused:
        messages.error(request, str(refused))
    else:
        messages.success(request, _("已撤回发布，报告回到草稿状态。"))
    return redirect("disclosure_report_edit", org_pk=organisation.pk, year=year)


@require_admin_access
def report_preview(request, org_pk: int, year: int, fmt: str = "html"):
    """The report as it would be published (or as it was), for checking before publication."""
    organisation = _organisation_for(request, org_pk)
    data = services.report_data(_report_for(organisation, year))
    return _document(request, data, fmt, template="disclosure_report/admin/preview.html")


# --- Public pages ----------------------------------------------------------------------------------------


def _document(request, data: dict, fmt: str, template: str):
    if fmt == "pdf":
        response = HttpResponse(output.render_pdf(data), content_type="application/pdf")
        filename = f"{data['organisation']['code']}-{data['year']}-annual-report.pdf"
        response["Content-Disposition"] = f"inline; filename*=UTF-8''{_quote(filename)}"
        return response
    if fmt == "json":
        return HttpResponse(output.render_json(data), content_type="application/json; charset=utf-8")
    return render(request, template, output.context(data))


def _quote(text: str) -> str:
    from urllib.parse import quote

    return quote(text)


def _published(code: str, year: int) -> AnnualReport:
    return get_object_or_404(
        AnnualReport.objects.select_related("organisation"),
        organisation__code=code,
        year=year,
        status=AnnualReport.Status.PUBLISHED,
    )


def public_report(request, code: str, year: int, fmt: str = "html"):
    report = _published(code, year)
    return _document(request, services.report_data(report), fmt, template="disclosure_report/public_report.html")


def public_list(request, code: str):
    organisation = get_object_or_404(Organisation, code=code)
    return render(
        request,
        "disclosure_report/public_list.html",
        {"organisation": organisation, "reports": services.published_reports(organisation)},
    )
