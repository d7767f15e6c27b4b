"""Second-factor pages in the Wagtail admin (/admin/security/2fa/…): the code asked after the password,
enrolment, the user's own status page, and the security administrator's reset."""

from base64 import b32encode

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Exists, OuterRef, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.safestring import mark_safe
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from zhengtong.audit.services import record
from zhengtong.core.roles import SECURITY_ADMIN
from zhengtong.twofactor import services
from zhengtong.twofactor.forms import CodeForm, ResetForm
from zhengtong.twofactor.models import AuthenticatorDevice, TwoFactorState
from zhengtong.twofactor.policy import enrolment_required, has_device, two_factor_required

# Set in the session when a verified user has confirmed a current code to replace their authenticator.
REENROL_SESSION_KEY = "zt_2fa_reenrol"


def _next_url(request: HttpRequest) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("wagtailadmin_home")


def _is_verified(request: HttpRequest) -> bool:
    return bool(getattr(request.user, "is_verified", lambda: False)())


def _refusal(form: CodeForm, outcome: services.Outcome) -> None:
    if outcome.wait_until is not None:
        when = date_format(localtime(outcome.wait_until), "H:i:s")
        form.add_error("code", _("尝试过于频繁，请在 %(time)s 之后再输入。") % {"time": when})
    else:
        form.add_error("code", _("验证码不正确或已使用过，请输入手机上当前显示的新验证码。"))


def _ended(request: HttpRequest) -> HttpResponse:
    messages.error(
        request,
        _("验证码连续错误 %(count)s 次，已退出登录。请重新登录；如手机丢失，请使用恢复码或联系安全管理员。")
        % {"count": settings.ZT_2FA_MAX_FAILURES},
    )
    return redirect("wagtailadmin_login")


# --- After the password ------------------------------------------------------------


@never_cache
def verify(request: HttpRequest) -> HttpResponse:
    """Ask the logged-in user for the code of their authenticator (or a recovery code)."""
    next_url = _next_url(request)
    if _is_verified(request):
        return redirect(next_url)
    if not has_device(request.user):
        if enrolment_required(request.user):
            return redirect(f"{reverse('twofactor_enrol')}?{urlencode({'next': next_url})}")
        return redirect(next_url)
    form = CodeForm(request.POST or None, recovery=True)
    if request.method == "POST" and form.is_valid():
        outcome = services.verify(request, form.cleaned_data["code"], purpose="login")
        if outcome.ok:
            services.login_with(request, outcome)
            if outcome.recovery:
                left = services.recovery_codes_left(request.user)
                messages.warning(
                    request,
                    _("已使用一个恢复码，还剩 %(left)s 个。手机丢失时请尽快在“双因素认证”页重新绑定。")
                    % {"left": left},
                )
            return redirect(next_url)
        if outcome.session_ended:
            return _ended(request)
        _refusal(form, outcome)
    return TemplateResponse(request, "twofactor/verify.html", {"form": form, "next": next_url})


@never_cache  # the page shows the new secret
def enrol(request: HttpRequest) -> HttpResponse:
    """Bind an authenticator app: QR code and secret, confirm with its first code, then recovery codes."""
    user = request.user
    next_url = _next_url(request)
    reenrolling = _is_verified(request) and request.session.get(REENROL_SESSION_KEY)
    if has_device(user) and not reenrolling:
        # Already bound: a new phone goes through the status page, which asks for a current code first.
        return redirect("twofactor_status" if _is_verified(request) else "twofactor_verify")
    device = services.pending_device(user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = services.confirm_enrolment(request, device, form.cleaned_data["code"])
        if codes is not None:
            request.session.pop(REENROL_SESSION_KEY, None)
            return _show_recovery_codes(request, codes, next_url, enrolled=True)
        form.add_error("code", _("验证码不正确。请确认手机时间准确，并输入应用中当前显示的6位数字。"))
    secret = b32encode(device.bin_key).decode()
    qr = segno.make(device.config_url, error="m")
    context = {
        "form": form,
        "next": next_url,
        "qr_svg": mark_safe(  # noqa: S308  # nosec B308 B703 - SVG generated by segno from our own URL, no user markup
            qr.svg_inline(scale=5, border=2, title=_("身份验证器绑定二维码"), svgclass="zt-2fa-qr")
        ),
        "secret_groups": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4)),
        "issuer": settings.OTP_TOTP_ISSUER,
        "account": user.get_username(),
        "reenrolling": reenrolling,
        "required": enrolment_required(user),
    }
    return TemplateResponse(request, "twofactor/enrol.html", context)


def _show_recovery_codes(request: HttpRequest, codes: list[str], next_url: str, *, enrolled: bool) -> HttpResponse:
    # Shown in this one response and never stored in readable form: the page asks the user to keep them now.
    text = "\n".join(
        [
            _("%(issuer)s 双因素认证恢复码（账号：%(user)s）")
            % {"issuer": settings.OTP_TOTP_ISSUER, "user": request.user.get_username()},
            "",
            *codes,
            "",
        ]
        + [_("每个恢复码只能使用一次。请妥善保管，不要与密码放在一起。")]
    )
    response = TemplateResponse(
        request,
        "twofactor/recovery_codes.html",
        {"codes": codes, "codes_text": text, "next": next_url, "enrolled": enrolled},
    )
    response["Cache-Control"] = "no-store"
    return response


# --- The user's own page -------------------------------------------------------------


def status(request: HttpRequest) -> HttpResponse:
    user = request.user
    device = services.totp_device(user)
    context = {
        "device": device,
        "codes_left": services.recovery_codes_left(user),
        "required": two_factor_required(user),
        "verified": _is_verified(request),
        "regenerate_form": CodeForm(),
        "reenrol_form": CodeForm(recovery=True),
    }
    return TemplateResponse(request, "twofactor/status.html", context)


@never_cache
@require_POST
def regenerate(request: HttpRequest) -> HttpResponse:
    """New recovery codes, the old ones void; needs a current authenticator code."""
    form = CodeForm(request.POST)
    if form.is_valid():
        outcome = services.verify(request, form.cleaned_data["code"], allow_recovery=False, purpose="regenerate")
        if outcome.ok:
            codes = services.issue_recovery_codes(request.user)
            record("auth.2fa.recovery.regenerate", request=request, obj=request.user, detail={"count": len(codes)})
            return _show_recovery_codes(request, codes, reverse("twofactor_status"), enrolled=False)
        if outcome.session_ended:
            return _ended(request)
        _refusal(form, outcome)
    messages.error(request, _("未生成新的恢复码：") + " ".join(form.errors.get("code", [])))
    return redirect("twofactor_status")


@require_POST
def reenrol(request: HttpRequest) -> HttpResponse:
    """Start binding a new phone; needs a current code (a recovery code will do when the old phone is lost)."""
    form = CodeForm(request.POST, recovery=True)
    if form.is_valid():
        outcome = services.verify(request, form.cleaned_data["code"], purpose="reenrol")
        if outcome.ok:
            services.discard_pending(request.user)
            request.session[REENROL_SESSION_KEY] = True
            return redirect(f"{reverse('twofactor_enrol')}?{urlencode({'next': reverse('twofactor_status')})}")
        if outcome.session_ended:
            return _ended(request)
        _refusal(form, outcome)
    messages.error(request, _("未能开始重新绑定：") + " ".join(form.errors.get("code", [])))
    return redirect("twofactor_status")


# --- The security administrator --------------------------------------------------------


def is_security_admin(user) -> bool:
    # 三员分立: resetting another person's authentication is a security-policy act (安全管理员).
    return user.is_superuser or user.groups.filter(name=SECURITY_ADMIN).exists()


def _require_security_admin(request: HttpRequest) -> None:
    if not is_security_admin(request.user):
        raise PermissionDenied


def users(request: HttpRequest) -> HttpResponse:
    """Every active account with its second-factor status, for the security administrator."""
    _require_security_admin(request)
    query = request.GET.get("q", "").strip()
    accounts = (
        get_user_model()
        .objects.filter(is_active=True)
        .annotate(
            enrolled=Exists(AuthenticatorDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            has_codes=Exists(StaticDevice.objects.filter(user=OuterRef("pk"), confirmed=True)),
            reset_pending=Exists(TwoFactorState.objects.filter(user=OuterRef("pk"), enrolment_required=True)),
        )
        .order_by("username")
    )
    if query:
        accounts = accounts.filter(
            Q(username__icontains=query) | Q(last_name__icontains=query) | Q(first_name__icontains=query)
        )
    page = Paginator(accounts, 50).get_page(request.GET.get("p"))
    rows = [(account, two_factor_required(account)) for account in page]
    return TemplateResponse(request, "twofactor/users.html", {"page": page, "rows": rows, "query": query})


def reset(request: HttpRequest, user_id: int) -> HttpResponse:
    """Remove another user's authenticator and recovery codes, with a reason; they enrol again at next login."""
    _require_security_admin(request)
    target = get_object_or_404(get_user_model(), pk=user_id)
    if target.pk == request.user.pk:
        messages.error(
            request, _("不能重置自己的双因素认证；请在“双因素认证”页用当前验证码重新绑定，或请另一位安全管理员处理。")
        )
        return redirect("twofactor_users")
    form = ResetForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        services.reset(request, target, form.cleaned_data["reason"])
        messages.success(request, _("已重置 %(user)s 的双因素认证，该用户下次登录时须重新绑定。") % {"user": target})
        return redirect("twofactor_users")
    return TemplateResponse(request, "twofactor/reset.html", {"form": form, "target": target})
