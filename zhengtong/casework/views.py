"""The staff workspace for cases: lists with deadline marks, a case with its timeline and actions, 督办."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from wagtail import hooks
from wagtail.admin.auth import require_admin_access

from zhengtong.audit.services import record as audit
from zhengtong.casework import access, attachments, deadlines, hotline, services
from zhengtong.casework.codes import normalise_code
from zhengtong.casework.forms import CaseEntryForm, CaseEventForm, available_events
from zhengtong.casework.kinds import all_kinds, get_kind
from zhengtong.casework.models import Case, CaseAttachment
from zhengtong.casework.workflow import Event, Status, TransitionError

PAGE_SIZE = 50


def _mark(case: Case, today) -> str:
    """The deadline mark of a list row, from the fields kept on the case (no timeline read)."""
    answered = case.replied_on or case.closed_on
    return deadlines.mark(case.due_on, answered, case.paused, today, get_kind(case.kind).warn_days)


def _rows(cases, today):
    rows = []
    for case in cases:
        case.status_text = hotline.status_label(case)
        rows.append((case, _mark(case, today)))
    return rows


@require_admin_access
def case_index(request):
    if not request.user.has_perm("zt_casework.view_case"):
        raise PermissionDenied
    today = timezone.localdate()
    cases = hotline.with_registering_office(access.visible_cases(request.user)).select_related(
        "organisation", "handler"
    )
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
            "can_add": request.user.has_perm("zt_casework.add_case"),
        },
    )


@require_admin_access
def case_detail(request, pk: int):
    case = get_object_or_404(access.visible_cases(request.user).select_related("organisation", "handler"), pk=pk)
    state = services.state_of(case)
    today = timezone.localdate()
    kind = get_kind(case.kind)
    events = list(case.events.select_related("actor", "organisation", "handler").prefetch_related("attachments"))
    for event in events:
        event.case = case  # already loaded
        event.label = hotline.event_label(event)
    forms = [CaseEventForm(case=case, event=event, user=request.user) for event in available_events(case, request.user)]
    return TemplateResponse(
        request,
        "casework/detail.html",
        {
            "case": case,
            "kind": kind,
            "status_label": hotline.status_label(case),
            "events": events,
            "forms": forms,
            "mark": deadlines.urgency(state, today, get_kind(case.kind).warn_days),
            "mark_labels": deadlines.LABELS,
            "veto": deadlines.unanswered_too_long(state, today),
            "sent_messages": _sent_messages(case),
            "links": case_links(request, case),
        },
    )


def _sent_messages(case: Case) -> list:
    """SMS and email about this case (recipients masked), so staff can tell whether the applicant was told."""
    from zhengtong.notifications.models import Message

    return list(case.messages.exclude(channel=Message.Channel.INBOX).filter(user__isnull=True)[:50])


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
    form = CaseEventForm(request.POST, request.FILES, case=case, event=event, user=request.user)
    if not form.is_valid():
        for field, errors in form.errors.items():
            label = form.fields[field].label if field in form.fields else ""
            messages.error(request, f"{label}：{'；'.join(errors)}" if label else "；".join(errors))
        return redirect("casework_detail", pk=case.pk)
    values = form.event_values()
    if event in (hotline.DISPATCH, hotline.RETURN, hotline.ANSWER, Event.CALLED_BACK):
        try:
            if event == hotline.DISPATCH:
                hotline.dispatch(
                    case, values["organisation"], actor=request.user, category=values["category"], note=values["note"]
                )
            elif event == hotline.RETURN:
                hotline.return_order(case, actor=request.user, reason=values["note"])
            elif event == hotline.ANSWER:
                hotline.answer(case, actor=request.user, reply=values["note"])
            else:
                hotline.call_back(
                    case, actor=request.user, reached=values["reached"], note=values["note"], rating=values["rating"]
                )
        except TransitionError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("已记录：%(event)s。") % {"event": form.title})
        return redirect("casework_detail", pk=case.pk)
    comment, draft = "", None
    if event == Event.REPLIED and get_kind(case.kind).review_reply:
        # The reviewer approves the latest draft: that text is the reply; their comment stays internal.
        draft = case.events.filter(kind=Event.REPLY_DRAFTED).order_by("-at", "-id").first()
        comment, values["note"] = values["note"], draft.note if draft else ""
    try:
        with transaction.atomic():
            recorded = services.record_event(case, event, actor=request.user, **values)
            attachments.attach(recorded, form.cleaned_data["attachments"], actor=request.user)
            if draft is not None:
                # The draft's files go out with the reply, where the applicant can download them.
                attachments.share(draft.attachments.all(), recorded)
            if comment:
                services.record_event(case, Event.NOTE, actor=request.user, note=comment)
    except TransitionError as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, "；".join(error.messages))
    else:
        messages.success(request, _("已记录：%(event)s。") % {"event": form.title})
    return redirect("casework_detail", pk=case.pk)


@require_admin_access
def supervision(request):
    """督办: open cases of every office that are near or past their deadline, and the inspection veto list."""
    if not request.user.has_perm("zt_casework.supervise_case"):
        raise PermissionDenied
    today = timezone.localdate()
    open_cases = hotline.with_registering_office(Case.objects.filter(status__in=Status.OPEN)).select_related(
        "organisation", "handler"
    )
    rows = [(case, mark) for case, mark in _rows(open_cases.order_by("due_on"), today) if mark != deadlines.NORMAL]
    veto = open_cases.filter(received_on__lt=deadlines.veto_cutoff(today)).order_by("received_on")
    return TemplateResponse(
        request,
        "casework/supervision.html",
        {"rows": rows, "veto": veto, "mark_labels": deadlines.LABELS},
    )


@require_admin_access
def case_new(request):
    """Staff register a case received by phone, in person, by post, fax or email."""
    if not request.user.has_perm("zt_casework.add_case"):
        raise PermissionDenied
    initial = {"kind": request.GET["kind"]} if request.GET.get("kind") else {}
    form = CaseEntryForm(request.POST or None, user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = form.submit_values()
        try:
            case = services.submit(values.pop("kind"), actor=request.user, **values)
        except ValidationError as error:
            # The applicant's fields are checked again by the model (encrypted fields): show it on the form.
            pairs = error.message_dict.items() if hasattr(error, "error_dict") else [(None, error.messages)]
            for field, errors in pairs:
                field = "applicant_kind" if field == "kind" else field  # the model's kind is the applicant's
                form.add_error(field if field in form.fields else None, errors)
        else:
            check = _("联系电话后 4 位") if case.applicant.phone else _("查询密码")
            messages.success(
                request,
                _("已登记。请告知来信人/来电人查询码 %(code)s，查询时还要提供%(check)s。")
                % {"code": case.display_code, "check": check},
            )
            return redirect("casework_detail", pk=case.pk)
    return TemplateResponse(request, "casework/new.html", {"form": form})


@require_admin_access
def hotline_desk(request):
    """县长专线工单台: the operators' orders to dispatch, returned orders, and orders waiting for a call-back."""
    if not request.user.has_perm("zt_casework.add_case"):
        raise PermissionDenied
    today = timezone.localdate()
    queues = hotline.operator_queues(request.user)
    sections = [
        ("dispatch", _("待派单"), _("没有待派单的工单。")),
        ("returned", _("被退回的工单（请重新派单）"), _("没有被退回的工单。")),
        ("call_back", _("待回访"), _("没有待回访的工单。")),
    ]
    return TemplateResponse(
        request,
        "casework/hotline.html",
        {
            "sections": [(key, title, empty, _rows(queues[key], today)) for key, title, empty in sections],
            "mark_labels": deadlines.LABELS,
        },
    )


def _file_response(attachment: CaseAttachment) -> FileResponse:
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_admin_access
def attachment_download(request: HttpRequest, pk: int):
    """A staff download; 404 for a case the user cannot see, the same as for one that does not exist."""
    attachment = get_object_or_404(CaseAttachment.objects.select_related("event__case"), pk=pk)
    case = attachment.event.case
    if not access.can_see(request.user, case):
        raise Http404
    if not attachment.event.public:
        # Internal files (ID copies, evidence) are personal data: who read them is on record.
        audit("case.attachment_download", actor=request.user, obj=case, detail={"attachment": attachment.pk})
    return _file_response(attachment)


def public_attachment(request: HttpRequest, token: str):
    """The applicant's download through a signed link from the lookup page (``attachments.public_download_url``)."""
    try:
        attachment = attachments.attachment_for_token(token)
    except attachments.LinkExpired:
        return render(request, "casework/public_link_expired.html", status=410)
    if attachment is None:
        raise Http404
    return _file_response(attachment)
