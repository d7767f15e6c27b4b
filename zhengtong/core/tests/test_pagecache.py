"""The full-page cache: hits, invalidation on every kind of change, variants, and what is never cached.

A hit is recognised by running no database query at all (the view would need several), and by serving the
stored bytes after a change that no signal reports (``QuerySet.update``).
"""

import os
import uuid

import pytest
from django.db import connection, transaction
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from zhengtong.core import pagecache
from zhengtong.core.pagecache import cache_key, page_cache, storable
from zhengtong.portal.context_processors import ELDER_COOKIE
from zhengtong.portal.models import ArticlePage, FooterSettings
from zhengtong.portal.testing import department_editor, publish_article

pytestmark = pytest.mark.django_db
HOST = "portal.test"
# Not the queue tests' database: they flush theirs, which would wipe these keys in the middle of a test.
REDIS_URL = os.environ.get("ZT_TEST_PAGECACHE_REDIS_URL", "redis://127.0.0.1:6379/14")


def redis_available() -> bool:
    try:
        import redis

        redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except Exception:
        return False
    return True


@pytest.fixture(params=["locmem", "file", "redis"])
def cache_backend(request, settings, tmp_path, portal):
    """Run each test against the embedded file cache and Redis as well as the tests' private memory cache."""
    if request.param == "file":
        pages = {"BACKEND": "django.core.cache.backends.filebased.FileBasedCache", "LOCATION": tmp_path / "pages"}
        settings.CACHES = {**settings.CACHES, "pages": pages}
    elif request.param == "redis":
        if not redis_available():
            pytest.skip(f"no Redis at {REDIS_URL}")
        pages = {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"zt-test-{uuid.uuid4().hex}",  # parallel test workers share the server
            "OPTIONS": {"CLIENT_CLASS": "django_redis.client.DefaultClient"},
        }
        settings.CACHES = {**settings.CACHES, "pages": pages}
    # The first render creates the site's footer settings row, a change that makes its own entry stale (a
    # running site converges after one request); create it here so each test starts from a settled site.
    FooterSettings.for_site(portal.site)
    pagecache.bump()  # entries left by other tests in the shared memory cache are stale from here on
    yield request.param
    if request.param == "redis":
        page_cache().delete_pattern("*")  # this test's prefix only; clear() would flush the whole database


def get(client, url, **extra):
    return client.get(url, HTTP_HOST=HOST, **extra)


def queries_of(client, url, **extra) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = get(client, url, **extra)
    return len(captured), response


def test_second_anonymous_request_is_served_from_cache(client, portal, cache_backend):
    article = publish_article(portal.news, "县政府召开常务会议")
    first_queries, first = queries_of(client, portal.news.url)
    assert first.status_code == 200 and "县政府召开常务会议" in first.text
    assert first_queries > 0
    hit_queries, hit = queries_of(client, portal.news.url)
    assert hit_queries == 0
    assert hit.content == first.content
    assert dict(hit.items()) == dict(first.items())
    # A change no signal reports is not seen until the cache is renewed: the bytes come from the cache.
    ArticlePage.objects.filter(pk=article.pk).update(title="改过的标题")
    assert "县政府召开常务会议" in get(client, portal.news.url).text
    pagecache.bump()
    assert "改过的标题" in get(client, portal.news.url).text


def test_security_headers_of_a_hit_equal_those_of_a_miss(client, portal, settings, cache_backend):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_SSL_REDIRECT = True
    miss = get(client, "/", HTTP_X_FORWARDED_PROTO="https")
    hit_queries, hit = queries_of(client, "/", HTTP_X_FORWARDED_PROTO="https")
    assert hit_queries == 0
    assert dict(hit.items()) == dict(miss.items())
    for header in ("Strict-Transport-Security", "X-Frame-Options", "X-Content-Type-Options", "Referrer-Policy"):
        assert hit.has_header(header), header
    # Plain HTTP is still redirected: the cache never answers before the HTTPS redirect.
    assert get(client, "/").status_code == 301


def test_publishing_shows_at_once_and_unpublishing_removes(client, portal, cache_backend):
    get(client, portal.news.url)
    get(client, "/")
    article = publish_article(portal.news, "新发布的通知")
    assert "新发布的通知" in get(client, portal.news.url).text
    assert "新发布的通知" in get(client, "/").text
    assert get(client, article.url).status_code == 200

    article.unpublish()
    assert "新发布的通知" not in get(client, portal.news.url).text
    assert "新发布的通知" not in get(client, "/").text
    assert get(client, article.url).status_code == 404


def test_moving_and_deleting_show_at_once(client, portal, cache_backend):
    article = publish_article(portal.news, "将要移动的信息")
    assert "将要移动的信息" in get(client, portal.news.url).text
    get(client, portal.policies.url)
    article.move(portal.policies, pos="last-child")
    assert "将要移动的信息" not in get(client, portal.news.url).text
    assert "将要移动的信息" in get(client, portal.policies.url).text
    ArticlePage.objects.get(pk=article.pk).delete()
    assert "将要移动的信息" not in get(client, portal.policies.url).text


def test_footer_settings_show_at_once(client, portal, cache_backend):
    footer = FooterSettings.for_site(portal.site)
    footer.sponsor = "木垒县人民政府办公室"
    footer.save()
    assert "木垒县人民政府办公室" in get(client, "/").text
    footer.sponsor = "木垒县政务服务中心"
    footer.save()
    assert "木垒县政务服务中心" in get(client, "/").text


def test_elder_display_variants_are_not_mixed(client, portal, cache_backend):
    plain = get(client, "/")
    assert 'class="elder"' not in plain.text
    client.cookies[ELDER_COOKIE] = "1"
    elder = get(client, "/")
    assert 'class="elder"' in elder.text
    hit_queries, elder_hit = queries_of(client, "/")
    assert hit_queries == 0 and 'class="elder"' in elder_hit.text
    del client.cookies[ELDER_COOKIE]
    hit_queries, plain_hit = queries_of(client, "/")
    assert hit_queries == 0 and 'class="elder"' not in plain_hit.text


def test_logged_in_staff_neither_read_nor_fill_the_cache(client, portal, cache_backend):
    article = publish_article(portal.news, "原来的标题")
    get(client, portal.news.url)  # anonymous: cached
    ArticlePage.objects.filter(pk=article.pk).update(title="编辑看到的标题")
    client.force_login(department_editor(portal))
    assert "编辑看到的标题" in get(client, portal.news.url).text  # not the cached page

    pagecache.bump()
    get(client, portal.news.url)  # staff render: must not be stored
    client.logout()
    anonymous_queries, _response = queries_of(client, portal.news.url)
    assert anonymous_queries > 0


def test_responses_setting_cookies_are_not_cached(client, portal, cache_backend):
    # A password-protected item shows a form with a CSRF token: the response sets the CSRF cookie.
    article = publish_article(portal.news, "受密码保护的信息")
    PageViewRestriction.objects.create(page=article, restriction_type=PageViewRestriction.PASSWORD, password="x1")
    first = get(client, article.url)
    assert first.status_code == 200 and first.cookies, "the password form should set the CSRF cookie"
    other_visitor = client.__class__()
    queries, second = queries_of(other_visitor, article.url)
    assert queries > 0
    assert second.cookies


def test_storable_refuses_cookies_and_personal_responses(rf):
    from django.contrib.auth.models import AnonymousUser
    from django.http import HttpResponse

    request = rf.get("/")
    request.user = AnonymousUser()
    assert storable(request, HttpResponse("ok"))
    with_cookie = HttpResponse("ok")
    with_cookie.set_cookie("anything", "1")
    assert not storable(request, with_cookie)
    varying = HttpResponse("ok", headers={"Vary": "Cookie"})
    assert not storable(request, varying)
    private = HttpResponse("ok", headers={"Cache-Control": "private"})
    assert not storable(request, private)
    assert not storable(request, HttpResponse("missing", status=404))


def test_post_is_never_cached(client, portal, cache_backend):
    article = publish_article(portal.news, "原始标题")
    assert cache_key(RequestFactory().post("/", HTTP_HOST=HOST)) is None
    get(client, portal.news.url)  # cached for GET
    ArticlePage.objects.filter(pk=article.pk).update(title="POST 看到的标题")
    assert "POST 看到的标题" in client.post(portal.news.url, HTTP_HOST=HOST).text  # not answered from the cache
    pagecache.bump()
    client.post(portal.news.url, HTTP_HOST=HOST)  # nor stored
    get_queries, _response = queries_of(client, portal.news.url)
    assert get_queries > 0


def test_which_requests_may_use_the_cache(rf):
    assert cache_key(rf.get("/", HTTP_HOST=HOST)) is not None
    assert cache_key(rf.get("/news/?page=2", HTTP_HOST=HOST)) is not None
    assert cache_key(rf.get("/news/?page=2", HTTP_HOST=HOST)) != cache_key(rf.get("/news/", HTTP_HOST=HOST))
    assert cache_key(rf.get("/", HTTP_HOST=HOST)) != cache_key(rf.get("/", HTTP_HOST="qitai.test"))
    assert cache_key(rf.head("/", HTTP_HOST=HOST)) == cache_key(rf.get("/", HTTP_HOST=HOST))
    excluded = ("/admin/", "/api/v1/search?q=a", "/search/?q=县", "/documents/1/a.pdf", "/static/x.css", "/?utm=1")
    for url in (*excluded, "/news/?page=100", "/news/?page=0", "/news/?page=2&x=1"):
        assert cache_key(rf.get(url, HTTP_HOST=HOST)) is None, url
    session = rf.get("/", HTTP_HOST=HOST, HTTP_COOKIE="sessionid=abc")
    csrf = rf.get("/", HTTP_HOST=HOST, HTTP_COOKIE="csrftoken=abc")
    assert cache_key(session) is None and cache_key(csrf) is None
    assert cache_key(rf.get("/", HTTP_HOST=HOST, HTTP_AUTHORIZATION="Basic eDp5")) is None
    elder = rf.get("/", HTTP_HOST=HOST, HTTP_COOKIE=f"{ELDER_COOKIE}=1")
    assert cache_key(elder) not in (None, cache_key(rf.get("/", HTTP_HOST=HOST)))


def test_elder_cookie_is_a_cache_variant(settings):
    assert ELDER_COOKIE in settings.ZT_PAGE_CACHE_VARY_COOKIES


def test_change_bumps_at_once_and_once_more_after_commit(portal):
    connection = transaction.get_connection()
    before = pagecache.current_generation()
    with transaction.atomic():
        publish_article(portal.news, "事务中的信息")  # many saves and signals
        during = pagecache.current_generation()
        pending = [func for _sids, func, _robust in connection.run_on_commit if func is pagecache.bump_safely]
    assert during != before  # bumped at once, for readers in this process and tests
    assert len(pending) == 1  # and one more bump when the transaction commits
    pending[0]()
    assert pagecache.current_generation() != during


def test_quiet_models_do_not_empty_the_cache(portal):
    from zhengtong.core.models import WorkerHeartbeat

    before = pagecache.current_generation()
    WorkerHeartbeat.objects.create(worker="web-1")
    assert pagecache.current_generation() == before
    FooterSettings.objects.create(site=portal.site, sponsor="主办")  # a watched model, for contrast
    assert pagecache.current_generation() != before


def test_own_and_wagtail_content_models_are_watched():
    from django.apps import apps
    from wagtail.models import Page

    labels = {m._meta.label_lower for m in pagecache.watched_models(apps.get_models(), Page)}
    assert {"portal.articlepage", "portal.footersettings", "core.organisation", "wagtailcore.site"} <= labels
    assert {"core.workerheartbeat", "core.user", "zt_search.searchposting", "wagtailcore.revision"}.isdisjoint(labels)


def test_disabled_with_zero_seconds(client, portal, settings, cache_backend):
    settings.ZT_PAGE_CACHE_SECONDS = 0
    get(client, "/")
    queries, _response = queries_of(client, "/")
    assert queries > 0


def test_wsgi_wrapper_answers_hits_before_django_with_the_same_response(client, portal, rf, cache_backend):
    django_calls = []

    def django_app(environ, start_response):
        django_calls.append(environ["PATH_INFO"])
        start_response("200 OK", [("Content-Type", "text/plain")])
        return [b"rendered by Django"]

    application = pagecache.PageCacheApplication(django_app)
    miss = get(client, "/", HTTP_X_FORWARDED_PROTO="https")

    def call(request):
        started = {}
        body = b"".join(application(request.environ, lambda status, headers: started.update(s=status, h=headers)))
        return started["s"], dict(started["h"]), body

    status, headers, body = call(rf.get("/", HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https"))
    assert django_calls == []
    assert (status, headers, body) == ("200 OK", dict(miss.items()), miss.content)
    # Anything the cache must not answer goes to Django: other host, a session, POST, another variant.
    for request in (
        rf.get("/", HTTP_HOST="qitai.test", HTTP_X_FORWARDED_PROTO="https"),
        rf.get("/", HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https", HTTP_COOKIE="sessionid=x"),
        rf.post("/", HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https"),
        rf.get("/", HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https", HTTP_COOKIE=f"{ELDER_COOKIE}=1"),
    ):
        assert call(request)[2] == b"rendered by Django"
    assert len(django_calls) == 4
    # Stale after a change: Django answers.
    publish_article(portal.news, "新信息")
    assert call(rf.get("/", HTTP_HOST=HOST, HTTP_X_FORWARDED_PROTO="https"))[2] == b"rendered by Django"


@pytest.mark.parametrize(
    ("forwarded", "secure"), [(None, False), (None, True), ("https", False), ("http", True), ("https, http", False)]
)
def test_key_scheme_is_the_scheme_django_sees(rf, settings, forwarded, secure):
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    extra = {"HTTP_X_FORWARDED_PROTO": forwarded} if forwarded else {}
    request = rf.get("/", HTTP_HOST=HOST, secure=secure, **extra)
    assert pagecache.scheme_of(request.META, pagecache.config()) == request.scheme


def test_a_broken_cache_never_breaks_a_page(client, portal, monkeypatch, cache_backend):
    class Broken:
        def __getattr__(self, name):
            def fail(*args, **kwargs):
                raise ConnectionError("cache down")

            return fail

    monkeypatch.setattr(pagecache, "page_cache", lambda: Broken())
    response = get(client, "/")
    assert response.status_code == 200 and "木垒县人民政府网" in response.text


def test_a_change_is_saved_even_when_the_cache_cannot_be_written(client, portal, monkeypatch, cache_backend):
    stored = page_cache()
    get(client, portal.news.url)  # cached

    def full_disk(*args, **kwargs):
        raise OSError("No space left on device")

    monkeypatch.setattr(stored, "set", full_disk)
    monkeypatch.setattr(stored, "add", full_disk)
    publish_article(portal.news, "磁盘满时发布的信息")  # no error for the editor
    # The old generation is gone, so the old entry is not served; pages are rendered (and not stored).
    assert "磁盘满时发布的信息" in get(client, portal.news.url).text
