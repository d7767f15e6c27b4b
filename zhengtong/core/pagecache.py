"""Full-page cache of public pages for anonymous visitors.

Why: citizens all see the same bytes of a page, yet rendering one costs tens of queries (the home page of
the demo county ~45, ~100 ms). The cache keeps the final response (status, headers, body) of anonymous GET
requests and sends it again without running Django's request handling at all.

Two pieces share one key function (``request_key``, on the WSGI environ) and one store:

- ``PageCacheMiddleware``, the first middleware: fills the cache with the response as every other middleware
  left it (security headers, X-Frame-Options …), and answers hits inside Django (the test client, runserver);
- ``PageCacheApplication``, wrapped around the WSGI application in ``zhengtong/wsgi.py``: answers hits before
  Django builds a request, which is what makes cached pages cheap under granian.

Which requests (``request_key`` returns ``None`` for all others, which pass through untouched):

- GET or HEAD (only GET fills the cache); no ``Authorization`` header;
- not under ``/admin/``, ``/api/``, ``/documents/`` (permission-checked downloads), ``/search/``,
  ``/display-mode/``, ``/healthz``, the static or media URL;
- no query string, or only ``page=N`` (column paging): other queries could mint unbounded keys;
- none of the cookies that make a response personal: session (staff are logged in), CSRF, messages, language.

Which responses are kept (``storable``): status 200, not streaming, no cookie set, no ``Cache-Control`` of
private/no-cache/no-store, ``Vary`` only on ``Accept-Language`` while a single language is configured (so the
header never selects a different body), and the user on the request is not authenticated.

The key is the scheme (as ``SECURE_PROXY_SSL_HEADER`` makes Django see it), the raw Host header, path, query
and the display variant cookies (``ZT_PAGE_CACHE_VARY_COOKIES``: the elderly-friendly display ``zt_elder``),
so variants are never mixed. Only responses Django produced are stored, so an entry exists only for a Host
header Django accepted (``ALLOWED_HOSTS``) and, with ``SECURE_SSL_REDIRECT``, only under the https scheme:
plain HTTP is redirected before anything is stored. Security headers (HSTS depends on the scheme) are stored
with the response and so are identical on hits.

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

Store: cache alias ``pages`` when configured (its own directory or key prefix, so pages cannot crowd out
other entries), else ``default``. Works with the file cache and Redis alike.

A failing cache never fails a request or an editor's change: a read that fails is a miss (rendered, not
stored), a store that fails is skipped, and a generation that cannot be written is deleted instead
(``bump_safely``); each is logged.
"""

import functools
import hashlib
import logging
import re
import secrets
from dataclasses import dataclass

from django.apps import AppConfig
from django.conf import settings
from django.core.cache import caches
from django.core.exceptions import MiddlewareNotUsed
from django.core.signals import setting_changed
from django.db import transaction
from django.http import HttpRequest, HttpResponse, parse_cookie
from django.utils.cache import cc_delim_re

logger = logging.getLogger(__name__)
GENERATION_KEY = "zt:pagecache:generation"
KEY_PREFIX = "zt:page:"
SKIPPED_PREFIXES = ("/admin/", "/api/", "/documents/", "/search/", "/display-mode/", "/healthz")
# Paging of columns, pages 1–99: every other page of any URL answers 200 for any number, so allowing all
# numbers would let a crawler fill the cache; deeper pages are rendered each time.
PAGE_QUERY = re.compile(r"page=[1-9]\d?")
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


@dataclass(frozen=True)
class Config:
    seconds: int
    skipped_prefixes: tuple[str, ...]
    personal_cookies: tuple[str, ...]
    vary_cookies: tuple[str, ...]
    proxy_ssl_header: tuple[str, str] | None
    alias: str


@functools.cache
def config() -> Config:
    """Settings read once per process (hits must be cheap); reset when a test changes settings."""
    return Config(
        seconds=getattr(settings, "ZT_PAGE_CACHE_SECONDS", 300),
        skipped_prefixes=(*SKIPPED_PREFIXES, settings.STATIC_URL, settings.MEDIA_URL),
        personal_cookies=(
            settings.SESSION_COOKIE_NAME,
            settings.CSRF_COOKIE_NAME,
            settings.LANGUAGE_COOKIE_NAME,
            "messages",
        ),
        vary_cookies=tuple(getattr(settings, "ZT_PAGE_CACHE_VARY_COOKIES", ("zt_elder",))),
        proxy_ssl_header=settings.SECURE_PROXY_SSL_HEADER,
        alias="pages" if "pages" in settings.CACHES else "default",
    )


def _settings_changed(**kwargs) -> None:
    config.cache_clear()


setting_changed.connect(_settings_changed, dispatch_uid="zt_pagecache_settings")


def page_cache():
    """The cache holding pages and the generation."""
    return caches[config().alias]


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


def bump_safely() -> None:
    """``bump()`` for signal receivers: a failing cache must not fail the editor's change.

    When the token cannot be written, deleting it still makes every entry stale (a file cache on a full disk
    can delete); when neither works (Redis unreachable, so nothing is served from it either), entries from
    before may come back with the server for at most ``ZT_PAGE_CACHE_SECONDS``.
    """
    try:
        bump()
    except Exception:
        logger.error("page cache: cannot start a new generation; pages may be stale", exc_info=True)
        try:
            page_cache().delete(GENERATION_KEY)
        except Exception:
            logger.error("page cache: cannot delete the generation either", exc_info=True)


def content_changed(**kwargs) -> None:
    """Signal receiver: a public page may have changed. Bump now, and once more when the transaction commits."""
    bump_safely()
    connection = transaction.get_connection()
    pending = any(func is bump_safely for _sids, func, _robust in connection.run_on_commit)
    if connection.in_atomic_block and not pending:
        # Readers rendering before the commit still see the old rows and could store them under the new token.
        transaction.on_commit(bump_safely)


def scheme_of(environ: dict, conf: Config) -> str:
    """The scheme Django's ``request.scheme`` gives for ``environ``."""
    if conf.proxy_ssl_header:
        header, secure_value = conf.proxy_ssl_header
        value = environ.get(header)
        if value is not None:
            return "https" if value.split(",", 1)[0].strip() == secure_value else "http"
    return environ.get("wsgi.url_scheme", "http")


def request_key(environ: dict) -> str | None:
    """The cache key of a request (its WSGI environ), or ``None`` when it must not use the cache."""
    conf = config()
    if environ.get("REQUEST_METHOD") not in ("GET", "HEAD") or "HTTP_AUTHORIZATION" in environ:
        return None
    path = environ.get("PATH_INFO", "")
    if path.startswith(conf.skipped_prefixes):
        return None
    query = environ.get("QUERY_STRING", "")
    if query and not PAGE_QUERY.fullmatch(query):
        return None
    variant = ""
    if raw_cookies := environ.get("HTTP_COOKIE"):
        cookies = parse_cookie(raw_cookies)
        if any(name in cookies for name in conf.personal_cookies):
            return None
        variant = "|".join(cookies.get(name, "") for name in conf.vary_cookies)
    host = environ.get("HTTP_HOST") or f"{environ.get('SERVER_NAME')}:{environ.get('SERVER_PORT')}"
    raw = f"{scheme_of(environ, conf)}://{host}{environ.get('SCRIPT_NAME', '')}{path}?{query}#{variant}"
    return KEY_PREFIX + hashlib.sha256(raw.encode("utf-8", "surrogateescape")).hexdigest()


def cache_key(request: HttpRequest) -> str | None:
    """``request_key`` of a Django request."""
    return request_key(request.META)


def fresh_entry(key: str) -> tuple[str | None, tuple | None]:
    """(current generation, the entry under ``key`` if it was stored under that generation).

    A cache that cannot be read gives (None, None): the page is rendered and not stored.
    """
    try:
        found = page_cache().get_many([GENERATION_KEY, key])
        generation = found.get(GENERATION_KEY) or current_generation()
    except Exception:
        logger.warning("page cache: cannot read the cache, rendering", exc_info=True)
        return None, None
    entry = found.get(key)
    return generation, (entry if entry is not None and entry[0] == generation else None)


def store(key: str, entry: tuple, seconds: int) -> None:
    try:
        page_cache().set(key, entry, seconds)
    except Exception:  # the visitor still gets the rendered page
        logger.warning("page cache: cannot store a page", exc_info=True)


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
    """Fills the page cache and answers hits inside Django; must be the first middleware."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        if config().seconds <= 0:
            raise MiddlewareNotUsed

    def __call__(self, request: HttpRequest) -> HttpResponse:
        key = cache_key(request)
        if key is None:
            return self.get_response(request)
        generation, entry = fresh_entry(key)
        if entry is not None:
            _generation, status, reason, headers, body = entry
            return HttpResponse(body, status=status, reason=reason, headers=headers)
        response = self.get_response(request)
        if generation is not None and request.method == "GET" and storable(request, response):
            request.get_host()  # raises for a Host header outside ALLOWED_HOSTS, so none is ever stored
            headers = dict(response.items())
            entry = (generation, response.status_code, response.reason_phrase, headers, response.content)
            store(key, entry, config().seconds)
        return response


class PageCacheApplication:
    """WSGI wrapper answering page cache hits before Django builds a request (see the module docstring)."""

    def __init__(self, application) -> None:
        self.application = application

    def __call__(self, environ, start_response):
        key = request_key(environ) if config().seconds > 0 else None
        if key is not None:
            _generation, entry = fresh_entry(key)
            if entry is not None:
                _generation, status, reason, headers, body = entry
                start_response(f"{status} {reason}", list(headers.items()))
                return [body]
        return self.application(environ, start_response)


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
        # ./zt upgrade migrates: new code may render pages differently.
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
