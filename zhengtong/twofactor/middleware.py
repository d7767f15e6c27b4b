"""Keeps a logged-in user out of the admin until the second factor is passed.

Wagtail's own login view checks the password (and django-axes its lockout) unchanged; this middleware then
sends the user to the code page, or to enrolment when the rules require a device the user does not have yet.
It runs after django-otp's OTPMiddleware (which sets ``request.user.is_verified()``) and before the forced
password change (zhengtong.accounts), so a stolen password alone reaches neither.
"""

from collections.abc import Callable
from functools import cached_property

from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from zhengtong.twofactor.policy import enrolment_required, has_device


class TwoFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    @cached_property
    def admin_prefix(self) -> str:
        return reverse("wagtailadmin_home")

    @cached_property
    def exempt_prefixes(self) -> tuple[str, ...]:
        # Pages a half-logged-in user needs: the code and enrolment pages, logging in and out, password reset
        # (anonymous anyway), and what the login-style pages load: the admin's translation catalogue and its
        # icon sprite (its script pastes the response into the page, so a redirect there would paste a second
        # code form into the code page). None of these show data.
        return (
            reverse("twofactor_verify"),
            reverse("twofactor_enrol"),
            reverse("wagtailadmin_login"),
            reverse("wagtailadmin_logout"),
            reverse("wagtailadmin_password_reset"),
            reverse("wagtailadmin_javascript_catalog"),
            reverse("wagtailadmin_sprite"),
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.second_factor_redirect(request) or self.get_response(request)

    def second_factor_redirect(self, request: HttpRequest) -> HttpResponse | None:
        path = request.path_info
        if not path.startswith(self.admin_prefix) or path.startswith(self.exempt_prefixes):
            return None
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return None  # Wagtail sends the anonymous to its login page
        is_verified = getattr(user, "is_verified", None)
        if is_verified is not None and is_verified():
            return None
        query = urlencode({"next": request.get_full_path()})
        if has_device(user):
            return redirect(f"{reverse('twofactor_verify')}?{query}")
        if enrolment_required(user):
            return redirect(f"{reverse('twofactor_enrol')}?{query}")
        return None
