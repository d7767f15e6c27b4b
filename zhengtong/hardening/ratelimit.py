"""Rate limits per client address, with an accessible self-hosted challenge before a hard block.

Every public endpoint that accepts a submission applies one of these (later modules too):

- ``@rate_limit("submission")`` on a function view;
- ``RateLimitMixin`` (``rate_limit_scope = "submission"``) on a class-based view;
- ``guard(request, scope)`` anywhere else (a Wagtail page's ``serve``): ``None`` means go on, otherwise
  send the response it returns.

The admin login (POST to ``wagtailadmin_login``), the admin's password reset and the password forms of
protected pages and documents are guarded by ``LoginRateLimitMiddleware`` (scope ``login``). Scopes and their
limits are ``settings.ZT_RATE_LIMITS`` (requests per window of seconds).

Within the limit nothing happens. Past it, each request must carry the answer to a short arithmetic
question in Chinese words (``zhengtong.hardening.challenge``): the page repeats the person's form (passwords
and files are asked for again, never echoed back) so answering sends it on. Past
``ZT_RATE_LIMIT_BLOCK_FACTOR`` times the limit the address gets a plain 429 page until the window ends.
Counting is by the address from ``zhengtong.audit.services.client_address`` (``ZT_TRUST_PROXY``), in the
default cache, in fixed windows. Entering the challenge and the block are each recorded once per window in
the audit trail (GB/T 22239-2019 8.1.4.3 安全审计).

Limits (documented in the operator's guide 5.10): the question stops scripts that do not read it, not a
determined attacker who writes a solver; the block does. Addresses behind one NAT share a counter, which is
why the first step is a question anyone can answer rather than a refusal.
"""

import math
import time
from functools import wraps

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _

from zhengtong.audit.services import client_address
from zhengtong.hardening import challenge

KEY_PREFIX = "zt:ratelimit:"
# Form fields never written back into the challenge page: the person types them again.
SECRET_FIELD_WORDS = ("password", "passwd", "otp", "secret", "recovery")
SECRET_FIELD_NAMES = {"code", "token", "pin"}


def _window(scope: str) -> tuple[int, int, int]:
    """(limit, seconds, index of the current window) of ``scope``."""
    limit, seconds = settings.ZT_RATE_LIMITS[scope]
    return limit, seconds, int(time.time() // seconds)


def hit(request: HttpRequest, scope: str) -> int:
    """Count one request of the client in ``scope``; return how many it made in the current window."""
    _limit, seconds, window = _window(scope)
    key = f"{KEY_PREFIX}{scope}:{client_address(request) or 'unknown'}:{window}"
    # Atomic on Redis; on the file cache two requests at the same instant may count once (good enough here).
    cache.add(key, 0, timeout=seconds + 5)
    try:
        return cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=seconds + 5)
        return 1


def _record_once(request: HttpRequest, scope: str, stage: str, count: int) -> None:
    _limit, seconds, window = _window(scope)
    flag = f"{KEY_PREFIX}recorded:{stage}:{scope}:{client_address(request) or 'unknown'}:{window}"
    if cache.add(flag, 1, timeout=seconds + 5):
        from zhengtong.audit.services import record

        record(
            "security.ratelimit",
            request=request,
            result="denied",
            detail={"scope": scope, "stage": stage, "requests": count, "path": request.path[:200]},
        )


def _seconds_left(scope: str) -> int:
    _limit, seconds, window = _window(scope)
    return max(1, math.ceil((window + 1) * seconds - time.time()))


def blocked_response(request: HttpRequest, scope: str) -> HttpResponse:
    retry = _seconds_left(scope)
    response = render(request, "hardening/blocked.html", {"minutes": max(1, math.ceil(retry / 60))}, status=429)
    response["Retry-After"] = str(retry)
    response["Cache-Control"] = "no-store"
    return response


def challenge_response(request: HttpRequest, scope: str, error: str = "") -> HttpResponse:
    question = challenge.new_question(scope, client_address(request) or "")
    fields, secrets = [], []
    for name, values in request.POST.lists():
        if name in challenge.FIELD_NAMES:
            continue
        if name.lower() in SECRET_FIELD_NAMES or any(word in name.lower() for word in SECRET_FIELD_WORDS):
            secrets.append(name)
        else:
            fields.extend((name, value) for value in values)
    # Rendered here, not as a TemplateResponse: the login middleware returns it without a view.
    response = render(
        request,
        "hardening/challenge.html",
        {
            "question": question,
            "action": request.get_full_path(),
            "fields": fields,
            "secret_fields": secrets,
            "file_fields": list(request.FILES),
            "error": error,
            "answer_field": challenge.ANSWER_FIELD,
            "token_field": challenge.TOKEN_FIELD,
        },
        status=429,
    )
    response["Cache-Control"] = "no-store"
    return response


def guard(request: HttpRequest, scope: str) -> HttpResponse | None:
    """Count the request; ``None`` lets it through, otherwise the challenge or block page to send instead."""
    count = hit(request, scope)
    limit, _seconds, _index = _window(scope)
    if count <= limit:
        return None
    if count > limit * settings.ZT_RATE_LIMIT_BLOCK_FACTOR:
        _record_once(request, scope, "block", count)
        return blocked_response(request, scope)
    if challenge.ANSWER_FIELD in request.POST:
        if challenge.check_answer(
            request.POST.get(challenge.TOKEN_FIELD, ""),
            request.POST.get(challenge.ANSWER_FIELD, ""),
            scope,
            client_address(request) or "",
        ):
            return None
        return challenge_response(request, scope, error=_("答案不对，请再算一下。这是一道新题目。"))
    _record_once(request, scope, "challenge", count)
    return challenge_response(request, scope)


def over_limit(request: HttpRequest, scope: str) -> bool:
    """For APIs, which cannot show the challenge: count the request and say whether it is past the limit."""
    count = hit(request, scope)
    limit, _seconds, _index = _window(scope)
    if count <= limit:
        return False
    _record_once(request, scope, "block", count)
    return True


def rate_limit(scope: str, methods: tuple[str, ...] = ("POST",)):
    """Decorator for a view: requests with one of ``methods`` are counted in ``scope`` (see ``guard``)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if request.method in methods:
                refused = guard(request, scope)
                if refused is not None:
                    return refused
            return view(request, *args, **kwargs)

        return wrapped

    return decorator


class RateLimitMixin:
    """For class-based views: ``rate_limit_scope`` and ``rate_limit_methods`` as for ``rate_limit``."""

    rate_limit_scope = "submission"
    rate_limit_methods: tuple[str, ...] = ("POST",)

    def dispatch(self, request, *args, **kwargs):
        if request.method in self.rate_limit_methods:
            refused = guard(request, self.rate_limit_scope)
            if refused is not None:
                return refused
        return super().dispatch(request, *args, **kwargs)


# Forms outside our own views that guess or send something secret: the login, the admin's password reset (sends
# mail), and the passwords of password-protected pages and documents (Wagtail's view restrictions).
GUARDED_URL_NAMES = {
    "wagtailadmin_password_reset": "login",
    "wagtailadmin_password_reset_confirm": "login",
    "wagtailcore_authenticate_with_password": "login",
    "wagtaildocs_authenticate_with_password": "login",
}


class LoginRateLimitMiddleware:
    """Guards POSTs to the admin login (scope ``login``) and to the forms in ``GUARDED_URL_NAMES``.

    The login is recognised by its path, whichever view answers it (two-factor login may replace Wagtail's).
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path_info == reverse("wagtailadmin_login"):
            request._zt_rate_limited = True
            refused = guard(request, "login")
            if refused is not None:
                return refused
        return self.get_response(request)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs) -> HttpResponse | None:
        match = request.resolver_match
        scope = GUARDED_URL_NAMES.get(match.url_name) if match else None
        if request.method != "POST" or scope is None or getattr(request, "_zt_rate_limited", False):
            return None
        return guard(request, scope)
