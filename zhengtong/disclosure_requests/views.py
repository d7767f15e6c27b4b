"""The public pages of 依申请公开 (routes of ``DisclosureApplicationPage``): apply, receipt, look up, withdraw.

They work without JavaScript, are rate-limited with the self-hosted challenge (``guard``) and never cached.
The lookup reuses the kernel's code + check (``casework.services.lookup``) and the session grant of the
interaction pages; the reply letter and disclosed files download through the kernel's signed links.
"""

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.utils.translation import gettext as _

from zhengtong.audit.services import client_address
from zhengtong.casework import services as casework
from zhengtong.casework.attachments import public_download_url
from zhengtong.casework.models import Case, Channel
from zhengtong.casework.workflow import Event, Status, TransitionError
from zhengtong.disclosure_requests import services
from zhengtong.disclosure_requests.forms import ApplicationForm, WithdrawForm
from zhengtong.disclosure_requests.kinds import DISCLOSURE
from zhengtong.disclosure_requests.lists import outcome_text
from zhengtong.hardening.ratelimit import guard
from zhengtong.interaction.forms import LookupForm
from zhengtong.interaction.views import _add_errors, _private, grant_access, has_access

RECEIPT_KEY = "zt_disclosure_receipt"


def _subpage(page, request, name: str, *args) -> str:
    return page.get_url(request) + page.reverse_subpage(name, args=args or None)


def index(page, request):
    return page.render(request, context_overrides={"kind": DISCLOSURE, "office": _office(page)})


def _office(page):
    from zhengtong.disclosure.models import DisclosureOffice

    return DisclosureOffice.objects.filter(organisation_id=page.organisation_id).first()


def apply(page, request):
    form = ApplicationForm(request.POST or None, address=client_address(request) or "")
    if request.method == "POST":
        refused = guard(request, "submission")
        if refused is not None:
            return refused
        if form.is_valid():
            try:
                # 政府信息公开条例 第31条: an online application is received the day the system confirms it.
                case = services.apply(organisation=page.organisation, channel=Channel.WEB, **form.application())
            except ValidationError as error:
                _add_errors(form, error)
            else:
                request.session[RECEIPT_KEY] = case.pk
                grant_access(request, case)
                return HttpResponseRedirect(_subpage(page, request, "receipt"))
    response = page.render(
        request, template="disclosure_requests/apply.html", context_overrides={"form": form, "office": _office(page)}
    )
    if request.method == "POST":
        response.status_code = 400
    return _private(response)


def receipt(page, request):
    pk = request.session.get(RECEIPT_KEY)
    case = Case.objects.filter(pk=pk, kind=DISCLOSURE.code).first() if pk else None
    if case is None or not has_access(request, case.pk):
        return HttpResponseRedirect(_subpage(page, request, "lookup"))
    return _private(
        page.render(
            request,
            template="disclosure_requests/receipt.html",
            context_overrides={"case": case, "has_phone": bool(case.applicant.phone)},
        )
    )


def lookup(page, request):
    error = ""
    if request.method == "POST":
        refused = guard(request, "lookup")
        if refused is not None:
            return refused
        form = LookupForm(request.POST)
        if form.is_valid():
            case = casework.lookup(form.cleaned_data["tracking_code"], form.cleaned_data["check_secret"])
            if case is not None and case.kind == DISCLOSURE.code:
                grant_access(request, case)
                return HttpResponseRedirect(_subpage(page, request, "track", case.pk))
            # One message whether the code is unknown or the check wrong: codes must not be probed.
            error = _("查询码或校验信息不对，请核对后再试。")
        else:
            error = _("请填写查询码，以及电话号码后 4 位或查询密码。")
        form = LookupForm(initial={"tracking_code": request.POST.get("tracking_code", "")[:30]})
    else:
        form = LookupForm()
    response = page.render(
        request, template="disclosure_requests/lookup.html", context_overrides={"form": form, "error": error}
    )
    if error:
        response.status_code = 400
    return _private(response)


def reply_files(case: Case) -> list[tuple[str, str, int]]:
    """(name, signed url, size) of the last reply's files: the letter first, then the disclosed files."""
    event = case.events.filter(kind=Event.REPLIED).order_by("-at", "-id").prefetch_related("attachments").first()
    if event is None:
        return []
    files = sorted(event.attachments.all(), key=lambda a: (a.content_type != "application/pdf", a.id))
    return [(a.original_name, public_download_url(a), a.size) for a in files]


def track(page, request, pk: int):
    if not has_access(request, pk):
        return HttpResponseRedirect(_subpage(page, request, "lookup"))
    case = Case.objects.select_related("organisation").filter(pk=pk, kind=DISCLOSURE.code).first()
    if case is None:
        raise Http404
    form, error, status = WithdrawForm(), "", 200
    if request.method == "POST" and request.POST.get("action") == "withdraw":
        form = WithdrawForm(request.POST)
        if form.is_valid():
            try:
                services.withdraw(case, reason=form.cleaned_data["reason"])
            except TransitionError as refusal:
                error = str(refusal)
            else:
                return HttpResponseRedirect(_subpage(page, request, "track", case.pk) + "?done=withdrawn")
        status = 400
    reply = case.events.filter(kind=Event.REPLIED).order_by("-at", "-id").first()
    response = page.render(
        request,
        template="disclosure_requests/track.html",
        context_overrides={
            "case": case,
            "request_details": services.details(case),
            "status_label": DISCLOSURE.status_label(case.status),
            "timeline": case.events.filter(public=True).order_by("at", "id"),
            "reply": reply,
            "outcome_text": outcome_text(case.outcome),
            "files": reply_files(case),
            "can_withdraw": case.status in Status.OPEN,
            "form": form,
            "error": error,
            "done": request.GET.get("done", ""),
        },
    )
    response.status_code = status
    return _private(response)


def choose(request):
    """Which organisation to apply to: straight to its page with ``?org=CODE`` or when there is only one."""
    from wagtail.models import Site

    from zhengtong.disclosure_requests.models import DisclosureApplicationPage

    site = Site.find_for_request(request)
    pages = DisclosureApplicationPage.objects.live().public().select_related("organisation")
    if site is not None:
        pages = pages.descendant_of(site.root_page, inclusive=True)
    pages = list(pages.order_by("organisation__sort_order", "path"))
    wanted = [p for p in pages if p.organisation.code == request.GET.get("org")]
    if len(wanted) == 1 or len(pages) == 1:
        return HttpResponseRedirect((wanted or pages)[0].get_url(request))
    return render(request, "disclosure_requests/choose.html", {"pages": pages})
