"""The staff workspace for cases: lists with deadline marks, a case with its timeline and actions, 督办."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.auth import require_admin_access

from zhengtong.casework import access, deadlines, services
from zhengtong.casework.codes import normalise_code
from zhengtong.casework.forms import CaseEventForm, available_events
from zhengtong.casework.kinds import all_kinds, get_kind
from zhengtong.casework.models import Case
from zhengtong.casework.workflow import Event, Status, TransitionError

PAGE_SIZE = 50


def _mark(case: Case, today) -> str:
    """The deadline mark of a list row, from the fields kept on the case (no timeline read)."""
    answered = case.replied_on or case.closed_on
    return deadlines.mark(case.due_on, answered, case.paused, today, get_kind(case.kind).warn_days)


def _rows(cases, today):
    return [(case, _mark(case, today)) for case in cases]


@require_admin_access
def case_index(request):
    if not request.user.has_perm("zt_casework.view_case"):
        raise PermissionDenied
    today = timezone.localdate()
    cases = access.visible_cases(request.user).select_related("organisation", "handler")
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "open")
    query = request.GET.get("q", "").strip()
    if kind:
        cases = cases.filter(kind=kind)
    if status == "open":
        cases = cases.filter(status__in=Status.OPEN)
    elif status in Status.LABELS:
        cases = cases.filter(status=status)
    if query:
        cases = cases.filter(Q(code=normalise_code(query)) | Q(subject__contains=query))
    cases = cases.order_by("due_on", "received_at") if status == "open" else cases.order_by("-received_at")
    page = Paginator(cases, PAGE_SIZE).get_page(request.GET.get("p"))
    return TemplateResponse(
        request,
        "casework/index.html",
        {
            "page": page,
            "rows": _rows(page.object_list, today),
            "kinds": all_kinds(),
            "statuses": Status.LABELS,
            "kind": kind,
            "status": status,
            "q": query,
            "mark_labels": deadlines.LABELS,
        },
    )


@require_admin_access
def case_detail(request, pk: int):
    case = get_object_or_404(access.visible_cases(request.user).select_related("organisation", "handler"), pk=pk)
    state = services.state_of(case)
    today = timezone.localdate()
    events = case.events.select_related("actor", "organisation", "handler")
    forms = [CaseEventForm(case=case, event=event, user=request.user) for event in available_events(case, request.user)]
    return TemplateResponse(
        request,
        "casework/detail.html",
        {
            "case": case,
            "kind": get_kind(case.kind),
            "events": events,
            "forms": forms,
            "mark": deadlines.urgency(state, today, get_kind(case.kind).warn_days),
            "mark_labels": deadlines.LABELS,
            "veto": deadlines.unanswered_too_long(state, today),
            "event_labels": Event.LABELS,
            "links": case_links(request, case),
        },
    )


def case_links(request, case: Case) -> list[tuple[str, str]]:
    """(url, label) of other apps' pages for this case (hook ``register_case_link``: a function of request
    and case returning a pair, or None when the link does not apply to this user or case)."""
    return [link for fn in hooks.get_hooks("register_case_link") if (link := fn(request, case))]


@require_admin_access
@require_POST
def case_act(request, pk: int, event: str):
    case = get_object_or_404(access.visible_cases(request.user), pk=pk)
    if event not in available_events(case, request.user):
        raise PermissionDenied
    form = CaseEventForm(request.POST, case=case, event=event, user=request.user)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))
        return redirect("casework_detail", pk=case.pk)
    values = form.event_values()
    comment = ""
    if event == Event.REPLIED and get_kind(case.kind).review_reply:
        # The reviewer approves the latest draft: that text is the reply; their comment stays internal.
        draft = case.events.filter(kind=Event.REPLY_DRAFTED).order_by("-at", "-id").first()
        comment, values["note"] = values["note"], draft.note if draft else ""
    try:
        services.record_event(case, event, actor=request.user, **values)
        if comment:
            services.record_event(case, Event.NOTE, actor=request.user, note=comment)
    except TransitionError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("已记录：%(event)s。") % {"event": Event.LABELS[event]})
    return redirect("casework_detail", pk=case.pk)


@require_admin_access
def supervision(request):
    """督办: open cases of every office that are near or past their deadline, and the inspection veto list."""
    if not request.user.has_perm("zt_casework.supervise_case"):
        raise PermissionDenied
    today = timezone.localdate()
    open_cases = Case.objects.filter(status__in=Status.OPEN).select_related("organisation", "handler")
    rows = [(case, mark) for case, mark in _rows(open_cases.order_by("due_on"), today) if mark != deadlines.NORMAL]
    veto = open_cases.filter(received_on__lt=deadlines.veto_cutoff(today)).order_by("received_on")
    return TemplateResponse(
        request,
        "casework/supervision.html",
        {"rows": rows, "veto": veto, "mark_labels": deadlines.LABELS},
    )
