"""Full-page cache of public pages for anonymous visitors.

Why: citizens all see the same bytes of a page, yet rendering one costs tens of queries (the home page of
the demo county ~45, ~100 ms). The cache keeps the rendered response (status, headers, body) of anonymous
GET requests and sends it again without running the view or most middleware.

Which requests (``cache_key`` returns ``None`` for all others, which pass through untouched):

- GET or HEAD (only GET fills the cache); no ``Authorization`` header;
- not under ``/admin/``, ``/api/``, ``/documents/`` (permission-checked downloads), ``/search/``,
  ``/display-mode/``, ``/healthz``, the static or media URL;
- no query string, or only ``page=N`` (column paging): other queries could mint unbounded keys;
- none of the cookies that make a response personal: session (staff are logged in), CSRF, messages, language.

Which responses are kept (``storable``): status 200, not streaming, no cookie set, no ``Cache-Control`` of
private/no-cache/no-store, ``Vary`` only on ``Accept-Language`` while a single language is configured (so the
header never selects a different body), and the user on the request is not authenticated.

The key is the scheme, host, path, query and the display variant cookies (``ZT_PAGE_CACHE_VARY_COOKIES``: the
elderly-friendly display ``zt_elder``), so variants are never mixed.

Invalidation (same-day publishing: a change shows to citizens at once): every entry records the site-wide
*generation* it was rendered under, read *before* rendering; a hit must match the current generation. Any
change that can alter a public page replaces the generation with a new random token: Wagtail's
``page_published``, ``page_unpublished``, ``post_page_move`` and snippet ``published``/``unpublished``
signals, and ``post_save``/``post_delete`` of every page type, Wagtail's ``Site``, ``PageViewRestriction``,
images and documents, and every model of the project's own apps except those in ``QUIET_MODELS``. The
token is replaced at once and again after the transaction commits, so a page rendered from the old rows
while the change was uncommitted is not kept. A lost generation (evicted) just means a new one: everything
misses, nothing stale is served. ``ZT_PAGE_CACHE_SECONDS`` bounds every entry's life as a safety net for
changes no signal reports (``QuerySet.update()``); ``./zt upgrade`` (``migrate``) also starts a new
generation so new templates show at once.

The middleware sits right after ``SecurityMiddleware``: the HTTPS redirect and the security headers it adds
are computed for hits exactly as for misses, and everything inside (X-Frame-Options, Content-Language …)
is stored with the response, so hits carry the same headers as misses.

Store: cache alias ``pages`` when configured (its own directory or key prefix, so pages cannot crowd out
other entries), else ``default``. Works with the file cache and Redis alike.
"""

import hashlib
import re
import secrets

from django.apps import AppConfig
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import MiddlewareNotUsed
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.utils.cache import cc_delim_re

GENERATION_KEY = "zt:pagecache:generation"
KEY_PREFIX = "zt:page:"
SKIPPED_PREFIXES = ("/admin/", "/api/", "/documents/", "/search/", "/display-mode/", "/healthz")
PAGE_QUERY = re.compile(r"page=\d{1,6}")
# Models of the watched apps whose rows never show on a public page and change often (a heartbeat a minute,
# last login, the search index, review bookkeeping): changes to them must not empty the cache.
QUIET_MODELS = {
    "core.user",
    "core.workerheartbeat",
    "portal.importrecord",
    "portal.wordingrule",
    "portal.wordingacknowledgement",
    "portal.reviewtask",
    "portal.columnsubmission",
}
QUIET_APPS = {"zt_search", "zt_pagecache"}
WAGTAIL_MODELS = {
    "wagtailcore.site",
    "wagtailcore.pageviewrestriction",
    "wagtailcore.locale",
    "wagtailimages.image",
    "wagtaildocs.document",
}


def page_cache():
    """The cache holding pages and the generation."""
    return caches["pages" if "pages" in settings.CACHES else "default"]


def bump() -> str:
    """Start a new generation: every cached page becomes stale. Returns the new token."""
    token = secrets.token_hex(8)
    page_cache().set(GENERATION_KEY, token, timeout=None)
    return token


def current_generation() -> str:
    """The current generation token, creating one when none is stored (first use, or evicted)."""
    cache = page_cache()
    token = secrets.token_hex(8)
    if cache.add(GENERATION_KEY, token, timeout=None):
        return token
    return cache.get(GENERATION_KEY) or bump()


def _bump_after_commit() -> None:
    bump()


def content_changed(**kwargs) -> None:
    """Signal receiver: a public page may have changed. Bump now, and once more when the transaction commits."""
    bump()
    connection = transaction.get_connection()
    pending = any(func is _bump_after_commit for _sids, func, _robust in connection.run_on_commit)
    if connection.in_atomic_block and not pending:
        # Readers rendering before the commit still see the old rows and could store them under the new token.
        transaction.on_commit(_bump_after_commit)


def vary_cookies() -> tuple[str, ...]:
    return tuple(getattr(settings, "ZT_PAGE_CACHE_VARY_COOKIES", ("zt_elder",)))


def personal_cookies() -> tuple[str, ...]:
    return (settings.SESSION_COOKIE_NAME, settings.CSRF_COOKIE_NAME, settings.LANGUAGE_COOKIE_NAME, "messages")


def cache_key(request: HttpRequest) -> str | None:
    """The cache key of ``request``, or ``None`` when its response must not come from or go to the cache."""
    if request.method not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in request.META:
        return None
    path = request.path_info
    if path.startswith(SKIPPED_PREFIXES) or path.startswith((settings.STATIC_URL, settings.MEDIA_URL)):
        return None
    query = request.META.get("QUERY_STRING", "")
    if query and not PAGE_QUERY.fullmatch(query):
        return None
    cookies = request.COOKIES
    if any(name in cookies for name in personal_cookies()):
        return None
    variant = "|".join(cookies.get(name, "") for name in vary_cookies())
    # get_host() validates the Host header against ALLOWED_HOSTS, as the view would (400 otherwise).
    raw = f"{request.scheme}://{request.get_host()}{request.path}?{query}#{variant}"
    return KEY_PREFIX + hashlib.sha256(raw.encode()).hexdigest()


def storable(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether ``response`` is the same for every anonymous visitor and may be kept."""
    if response.status_code != 200 or response.streaming or response.cookies or "Set-Cookie" in response:
        return False
    cache_control = response.get("Cache-Control", "").lower()
    if any(word in cache_control for word in ("private", "no-cache", "no-store")):
        return False
    allowed_vary = {"accept-language"} if len(settings.LANGUAGES) == 1 else set()
    if response.has_header("Vary"):
        varies = {v.strip().lower() for v in cc_delim_re.split(response["Vary"]) if v.strip()}
        if not varies <= allowed_vary:
            return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


class PageCacheMiddleware:
    """Serves and fills the page cache; place it right after ``SecurityMiddleware``."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.seconds = getattr(settings, "ZT_PAGE_CACHE_SECONDS", 300)
        if self.seconds <= 0:
            raise MiddlewareNotUsed

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = cache_key(request)
        if key is None:
            return self.get_response(request)
        cache = page_cache()
        found = cache.get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY) or current_generation()
        entry = found.get(key)
        if entry is not None and entry[0] == generation:
            _generation, status, headers, body = entry
            return HttpResponse(body, status=status, headers=headers)
        response = self.get_response(request)
        if request.method == "GET" and storable(request, response):
            entry = (generation, response.status_code, dict(response.items()), response.content)
            cache.set(key, entry, self.seconds)
        return response


class PageCacheConfig(AppConfig):
    """Connects the invalidation signals in every process (web, worker, management commands)."""

    name = "zhengtong.core.pagecache"
    label = "zt_pagecache"
    verbose_name = "page cache"

    def ready(self) -> None:
        from django.apps import apps
        from django.db.models.signals import post_delete, post_migrate, post_save
        from wagtail import signals as wagtail_signals
        from wagtail.models import Page

        for signal in (
            wagtail_signals.page_published,
            wagtail_signals.page_unpublished,
            wagtail_signals.post_page_move,
            wagtail_signals.published,
            wagtail_signals.unpublished,
        ):
            signal.connect(content_changed, dispatch_uid=f"zt_pagecache_{id(signal)}")
        post_migrate.connect(content_changed, dispatch_uid="zt_pagecache_migrate")
        for model in watched_models(apps.get_models(), Page):
            # One connection per model, not a global receiver: a global post_delete listener would stop
            # Django's fast deletes everywhere (e.g. of search postings).
            post_save.connect(content_changed, sender=model, dispatch_uid=f"zt_pagecache_save_{model._meta.label}")
            post_delete.connect(content_changed, sender=model, dispatch_uid=f"zt_pagecache_del_{model._meta.label}")


def watched_models(models, page_model) -> list:
    """Models whose changes can alter a public page (see the module docstring)."""
    watched = []
    for model in models:
        label = model._meta.label_lower
        own = model.__module__.startswith("zhengtong.") and model._meta.app_label not in QUIET_APPS
        if (issubclass(model, page_model) or label in WAGTAIL_MODELS or own) and label not in QUIET_MODELS:
            watched.append(model)
    return watched
