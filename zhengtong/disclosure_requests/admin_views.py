"""The disclosure office's pages in the admin: entry of applications, the office lists, the 补正 and
consultation steps. The rest of the lifecycle (审核, 拟写答复, 答复 with the outcome, 延期, 归档) happens in the
kernel's case workspace, which links here (hook ``register_case_link``)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail.admin.auth import require_admin_access

from zhengtong.casework import access, deadlines
from zhengtong.casework.workflow import Status, TransitionError
from zhengtong.disclosure_requests import lists, services
from zhengtong.disclosure_requests.forms import (
    ConsultationEndForm,
    ConsultationForm,
    CorrectedForm,
    CorrectionForm,
    StaffApplicationForm,
    WrittenWithdrawalForm,
)
from zhengtong.disclosure_requests.kinds import DISCLOSURE
from zhengtong.disclosure_requests.outcomes import choices as outcome_choices


@require_admin_access
def office_lists(request):
    if not request.user.has_perm("zt_casework.view_case"):
        raise PermissionDenied
    today = timezone.localdate()
    which = request.GET.get("list", lists.DUE_SOON)
    outcome = request.GET.get("outcome", "")
    rows = lists.rows(request.user, which, today, outcome=outcome)
    return TemplateResponse(
        request,
        "disclosure_requests/admin/lists.html",
        {
            "rows": rows,
            "list": which,
            "lists": lists.LABELS,
            "counts": lists.counts(request.user, today),
            "outcome": outcome,
            "outcomes": outcome_choices(),
            "mark_labels": deadlines.LABELS,
            "can_add": request.user.has_perm("zt_casework.add_case"),
        },
    )


@require_admin_access
def application_new(request):
    """Staff enter an application handed in, posted (signed-for day = day 0) or faxed (条例 第31条)."""
    if not request.user.has_perm("zt_casework.add_case"):
        raise PermissionDenied
    form = StaffApplicationForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            case = services.apply(actor=request.user, **form.apply_values())
        except ValidationError as error:
            pairs = error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
            for field, errors in pairs:
                field = "applicant_kind" if field == "kind" else field
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(
                request,
                _("已登记。请告知申请人查询码 %(code)s，答复期限 %(due)s。")
                % {"code": case.display_code, "due": f"{case.due_on:%Y-%m-%d}" if case.due_on else "—"},
            )
            return redirect("disclosure_requests_case", pk=case.pk)
    return TemplateResponse(request, "disclosure_requests/admin/new.html", {"form": form})


def _case(request, pk: int):
    case = get_object_or_404(access.visible_cases(request.user).filter(kind=DISCLOSURE.code), pk=pk)
    return case


FORMS = {
    "correction": CorrectionForm,
    "corrected": CorrectedForm,
    "consult": ConsultationForm,
    "consulted": ConsultationEndForm,
    "withdrawn": WrittenWithdrawalForm,
}
TITLES = {
    "correction": _("发出补正通知（条例第三十条）"),
    "corrected": _("收到补正（重新计算答复期限）"),
    "consult": _("征求第三方或其他机关意见（条例第三十二、三十四条）"),
    "consulted": _("收到意见（恢复计时）"),
    "withdrawn": _("申请人书面撤回"),
}


def available_steps(case, user) -> list[str]:
    if case.status not in Status.OPEN or not (access.can_handle(user, case) and access.handles_in_office(user, case)):
        return []
    request = services.details(case)
    steps = []
    if request.correction_pending:
        steps.append("corrected")
    elif request.consultation_pending:
        steps.append("consulted")
    elif not case.paused and case.status != Status.REVIEWING:
        if request.correction_requested_on is None:
            steps.append("correction")
        steps.append("consult")
    steps.append("withdrawn")
    return steps


@require_admin_access
def case_panel(request, pk: int):
    case = _case(request, pk)
    details = services.details(case)
    forms = [(step, TITLES[step], FORMS[step](prefix=step)) for step in available_steps(case, request.user)]
    from zhengtong.disclosure_requests.letters import letter_of

    return TemplateResponse(
        request,
        "disclosure_requests/admin/case.html",
        {
            "case": case,
            "details": details,
            "forms": forms,
            "notice_due": services.correction_notice_due(case),
            "letter": letter_of(case),
            "outcome_text": lists.outcome_text(case.outcome),
            "can_extend": request.user.has_perm(DISCLOSURE.extension_permission),
        },
    )


@require_admin_access
@require_POST
def case_step(request, pk: int, step: str):
    case = _case(request, pk)
    if step not in available_steps(case, request.user):
        raise PermissionDenied
    form = FORMS[step](request.POST, prefix=step)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))
        return redirect("disclosure_requests_case", pk=case.pk)
    data = form.cleaned_data
    today = timezone.localdate()
    if data.get("day") and (data["day"] > today or (case.received_on and data["day"] < case.received_on)):
        messages.error(request, _("日期要在收到申请之日和今天之间。"))
        return redirect("disclosure_requests_case", pk=case.pk)
    try:
        if step == "correction":
            services.request_correction(
                case, actor=request.user, text=data["text"], due_on=data["due_on"], day=data["day"]
            )
        elif step == "corrected":
            services.receive_correction(case, actor=request.user, day=data["day"], note=data["note"])
        elif step == "consult":
            services.start_consultation(
                case, actor=request.user, consulted=data["consulted"], day=data["day"], note=data["note"]
            )
        elif step == "consulted":
            services.end_consultation(case, actor=request.user, day=data["day"], note=data["note"])
        elif step == "withdrawn":
            services.withdraw(case, actor=request.user, reason=data["reason"])
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已记录：%(step)s。") % {"step": TITLES[step]})
    return redirect("disclosure_requests_case", pk=case.pk)
