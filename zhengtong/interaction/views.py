"""The public pages of a mailbox or consultation page (routes of ``InteractionPage``)."""

import time

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponseRedirect
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _

from zhengtong.audit.services import client_address
from zhengtong.casework import services as casework
from zhengtong.casework.kinds import get_kind
from zhengtong.casework.models import Case, Channel
from zhengtong.casework.workflow import Rating
from zhengtong.hardening.ratelimit import guard
from zhengtong.interaction import figures as figures_module
from zhengtong.interaction import services
from zhengtong.interaction.forms import LetterForm, LookupForm, RatingForm, ReopenForm
from zhengtong.portal.queries import paginate

ACCESS_KEY = "zt_interaction_access"  # {case id: expiry (epoch seconds)} after a successful lookup
RECEIPT_KEY = "zt_interaction_receipt"  # the case just written, for the receipt page
ACCESS_SECONDS = 30 * 60
LETTERS_PAGE_SIZE = 20


def _private(response):
    """Forms, receipts and lookups are per person: never in the anonymous page cache, nor any other cache."""
    add_never_cache_headers(response)
    return response


def grant_access(request, case: Case) -> None:
    now = time.time()
    access = {k: v for k, v in request.session.get(ACCESS_KEY, {}).items() if v > now}
    access[str(case.pk)] = now + ACCESS_SECONDS
    request.session[ACCESS_KEY] = access


def has_access(request, pk: int) -> bool:
    expiry = request.session.get(ACCESS_KEY, {}).get(str(pk))
    return expiry is not None and expiry > time.time()


def _subpage(page, request, name: str, *args) -> str:
    return page.get_url(request) + page.reverse_subpage(name, args=args or None)


def index(page, request):
    kind = get_kind(page.channel)
    letters = services.published_letters(page.channel, page.organisation_id)[:10]
    limits = {
        "usual": kind.limit_for(kind.default_limit),
        "complex": kind.limit_for("complex") if "complex" in kind.limits else None,
    }
    return page.render(request, context_overrides={"letters": letters, "kind": kind, "limits": limits})


def write(page, request):
    kind = get_kind(page.channel)
    if request.method == "POST":
        refused = guard(request, "submission")
        if refused is not None:
            return refused
        form = LetterForm(request.POST, kind=kind, address=client_address(request) or "")
        if form.is_valid():
            data = form.cleaned_data
            try:
                case = casework.submit(
                    kind.code,
                    category=data["category"],
                    subject=data["subject"].strip(),
                    content=data["content"].strip(),
                    organisation=page.organisation,
                    channel=Channel.WEB,
                    actor_label=services.WRITER,
                    lookup_password=data["lookup_password"],
                    applicant=form.applicant(),
                    publish_consent=data["publish_consent"],
                )
            except ValidationError as error:
                _add_errors(form, error)
            else:
                request.session[RECEIPT_KEY] = case.pk
                grant_access(request, case)
                return HttpResponseRedirect(_subpage(page, request, "receipt"))
        response = page.render(
            request, template="interaction/write.html", context_overrides={"form": form, "kind": kind}
        )
        response.status_code = 200 if form.is_valid() else 400
        return _private(response)
    form = LetterForm(kind=kind, address=client_address(request) or "")
    return _private(
        page.render(request, template="interaction/write.html", context_overrides={"form": form, "kind": kind})
    )


def _add_errors(form, error: ValidationError) -> None:
    """Errors of the applicant's model validation (ID check digit …) onto the form's fields."""
    if hasattr(error, "error_dict"):
        for field, errors in error.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.messages)


def receipt(page, request):
    pk = request.session.get(RECEIPT_KEY)
    case = Case.objects.filter(pk=pk).first() if pk else None
    if case is None or not has_access(request, case.pk):
        return HttpResponseRedirect(_subpage(page, request, "lookup"))
    return _private(
        page.render(
            request,
            template="interaction/receipt.html",
            context_overrides={"case": case, "kind": get_kind(case.kind), "has_phone": _has_phone(case)},
        )
    )


def _has_phone(case: Case) -> bool:
    applicant = getattr(case, "applicant", None)
    return bool(applicant and applicant.phone)


def lookup(page, request):
    error = ""
    if request.method == "POST":
        refused = guard(request, "lookup")
        if refused is not None:
            return refused
        form = LookupForm(request.POST)
        if form.is_valid():
            case = casework.lookup(form.cleaned_data["tracking_code"], form.cleaned_data["check_secret"])
            if case is not None:
                grant_access(request, case)
                return HttpResponseRedirect(_subpage(page, request, "track", case.pk))
            # One message whether the code is unknown or the check wrong: codes must not be probed.
            error = _("查询码或校验信息不对，请核对后再试。")
        else:
            error = _("请填写查询码，以及电话号码后 4 位或查询密码。")
        # The check is never written back into the page.
        form = LookupForm(initial={"tracking_code": request.POST.get("tracking_code", "")[:30]})
    else:
        form = LookupForm()
    response = page.render(
        request, template="interaction/lookup.html", context_overrides={"form": form, "error": error}
    )
    if error:
        response.status_code = 400
    return _private(response)


def track(page, request, pk: int):
    if not has_access(request, pk):
        return HttpResponseRedirect(_subpage(page, request, "lookup"))
    case = Case.objects.select_related("organisation").filter(pk=pk).first()
    if case is None:
        raise Http404
    rating_form, reopen_form, error, status = RatingForm(), ReopenForm(), "", 200
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "rate":
                rating_form = RatingForm(request.POST)
                if rating_form.is_valid():
                    data = rating_form.cleaned_data
                    services.rate(
                        case, data["rating"], comment=data["comment"], reopen=data["reopen"], reason=data["reason"]
                    )
                    return HttpResponseRedirect(_subpage(page, request, "track", case.pk) + "?done=rated")
            elif action == "reopen":
                reopen_form = ReopenForm(request.POST)
                if reopen_form.is_valid():
                    services.reopen(case, reopen_form.cleaned_data["reason"])
                    return HttpResponseRedirect(_subpage(page, request, "track", case.pk) + "?done=reopened")
        except services.InteractionError as refusal:
            error = str(refusal)
        status = 400
    response = page.render(
        request,
        template="interaction/track.html",
        context_overrides={
            "case": case,
            "kind": get_kind(case.kind),
            "status_label": services.status_label(case),
            "timeline": services.public_timeline(case),
            "reply": services.latest_reply(case),
            "can_rate": services.can_rate(case),
            "can_reopen": services.can_reopen(case),
            "rating_label": Rating.LABELS.get(case.rating, ""),
            "rating_form": rating_form,
            "reopen_form": reopen_form,
            "error": error,
            "done": request.GET.get("done", ""),
        },
    )
    response.status_code = status
    return _private(response)


def letters(page, request):
    query = request.GET.get("q", "").strip()[:50]
    found = paginate(request, services.published_letters(page.channel, page.organisation_id, query), LETTERS_PAGE_SIZE)
    rows = [(letter, services.writer_label(letter.case)) for letter in found]
    return page.render(
        request,
        template="interaction/letters.html",
        context_overrides={"letters": found, "rows": rows, "q": query},
    )


def letter(page, request, pk: int):
    publication = services.published_letters(page.channel, page.organisation_id).filter(pk=pk).first()
    if publication is None:
        raise Http404
    return page.render(
        request,
        template="interaction/letter.html",
        context_overrides={
            "letter": publication,
            "writer": services.writer_label(publication.case),
            "office": publication.case.organisation.name,
        },
    )


def figures(page, request):
    today = timezone.localdate()
    years = figures_module.mailbox_years(page.channel, page.organisation_id, today)
    try:
        year = int(request.GET.get("year", today.year))
    except ValueError:
        year = today.year
    if year not in years:
        year = today.year
    result = figures_module.mailbox_figures(page.channel, page.organisation_id, year)
    return page.render(
        request,
        template="interaction/figures.html",
        context_overrides={"figures": result, "years": years, "year": year},
    )
