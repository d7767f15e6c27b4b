from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from wagtail.admin.auth import require_admin_access

from zhengtong.hardening.ratelimit import rate_limit
from zhengtong.portal import submissions
from zhengtong.portal.context_processors import ELDER_COOKIE
from zhengtong.portal.forms import RejectSubmissionForm, SubmissionForm
from zhengtong.portal.models import ArticlePage, ColumnSubmission

ONE_YEAR = 365 * 24 * 3600


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says; send them to the static icon."""
    return HttpResponsePermanentRedirect(static("portal/img/favicon.svg"))


@csrf_exempt  # a display preference only; keeping tokens out of public pages lets them be cached
@require_POST
@rate_limit("public")
def display_mode(request):
    """Switch the elderly-friendly display on or off; a plain form post, so it works without JavaScript."""
    target = request.POST.get("next") or "/"
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if request.POST.get("elder") == "1":
        response.set_cookie(ELDER_COOKIE, "1", max_age=ONE_YEAR, samesite="Lax", secure=request.is_secure())
    else:
        response.delete_cookie(ELDER_COOKIE, samesite="Lax")
    return response


# --- Staff workspace: submissions (报送) ------------------------------------


@require_admin_access
def submission_index(request):
    mine = ColumnSubmission.objects.filter(submitted_by=request.user).select_related("page", "column", "alias")
    pending = submissions.pending_for(request.user).select_related("page", "column", "submitted_by__organisation")
    return TemplateResponse(
        request,
        "portal/admin/submission_index.html",
        {"mine": mine[:100], "pending": pending, "reject_form": RejectSubmissionForm()},
    )


@require_admin_access
def submission_create(request, page_id):
    page = get_object_or_404(ArticlePage, pk=page_id)
    if not page.permissions_for_user(request.user).can_edit():
        raise PermissionDenied
    form = SubmissionForm(request.POST or None, columns=submissions.portal_columns_for(page))
    if request.method == "POST" and form.is_valid():
        try:
            submissions.submit(page, form.cleaned_data["column"], request.user, form.cleaned_data["note"])
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(
                request, _("已报送到“%(column)s”，等待门户审核。") % {"column": form.cleaned_data["column"].title}
            )
            return redirect("portal_submissions")
    return TemplateResponse(request, "portal/admin/submission_create.html", {"page": page, "form": form})


@require_admin_access
@require_POST
def submission_decide(request, submission_id, decision):
    submission = get_object_or_404(ColumnSubmission, pk=submission_id)
    try:
        if decision == "accept":
            submissions.accept(submission, request.user)
            messages.success(request, _("已采用“%(title)s”。") % {"title": submission.page.title})
        elif decision == "reject":
            form = RejectSubmissionForm(request.POST)
            if not form.is_valid():
                raise ValidationError(form.errors["reason"])
            submissions.reject(submission, request.user, form.cleaned_data["reason"])
            messages.success(request, _("已退回“%(title)s”。") % {"title": submission.page.title})
        elif decision == "withdraw":
            submissions.withdraw(submission, request.user)
            messages.success(request, _("已撤回报送。"))
        else:
            raise PermissionDenied
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("portal_submissions")
