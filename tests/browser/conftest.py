"""Browser tests: Debian's chromium, driven by Playwright, against a live server with the demo county.

The demo (``manage.py load_demo``) takes many seconds to load, so this module
loads it once and the tests only read pages. pytest-django's ``live_server``
fixture would make every test transactional, flushing the database after
each test; instead the module starts the same server object
(``pytest_django.live_server_helper.LiveServer``) itself, the tests use
ordinary ``django_db`` access, and afterwards the database is put back as it
was before the demo (flush, then the saved contents restored).

The server listens on localhost only; chromium runs with its calling-home
features switched off, and the tests check pages request nothing off-site.
"""

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from zhengtong.portal.context_processors import ELDER_COOKIE

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORTS = {
    "phone": {
        "viewport": {"width": 360, "height": 740},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
    "desktop": {"viewport": {"width": 1366, "height": 768}},
}


@dataclass
class DemoSite:
    """The live demo portal and the paths of a few representative pages."""

    url: str
    home: str
    column: str
    article: str
    policy: str
    screenshots: Path


@pytest.fixture(scope="module")
def browser() -> Iterator:
    """One chromium for the module.

    Playwright's sync API keeps an event loop running in this thread. Django then
    refuses ORM calls here (SynchronousOnlyOperation) unless DJANGO_ALLOW_ASYNC_UNSAFE
    is set, which is done only while the browser runs; and Django keeps a separate set
    of connections for that time, closed here before the loop stops.
    """
    if not CHROMIUM.exists():
        pytest.fail(
            f"浏览器测试需要 Debian 的 chromium，但 {CHROMIUM} 不存在。"
            "请用 ./zt test 运行测试（会自动安装），或以 root 执行：apt-get install chromium fonts-noto-cjk",
            pytrace=False,
        )
    from django.db import connections
    from playwright.sync_api import sync_playwright

    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                yield chromium
            finally:
                connections.close_all()
                chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture(scope="module")
def demo_site(django_db_setup, django_db_blocker, tmp_path_factory, browser):
    """The demo county loaded once, served on localhost; the database is restored afterwards.

    Set up after the browser (and torn down before it), so all its database work uses
    the connections the browser fixture closes."""
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import override_settings
    from pytest_django.live_server_helper import LiveServer
    from wagtail.models import Site

    from zhengtong.portal.models import ArticlePage, ColumnPage, PolicyPage

    media = tmp_path_factory.mktemp("media")
    screenshots = Path(os.environ.get("ZT_SCREENSHOT_DIR") or tmp_path_factory.mktemp("screenshots"))
    with override_settings(MEDIA_ROOT=str(media)), django_db_blocker.unblock():
        saved = connection.creation.serialize_db_to_string()
        Site.clear_site_root_paths_cache()
        server = LiveServer("localhost")
        try:
            call_command("load_demo", "--base-url", server.url, "--quiet")
            home = Site.objects.get(is_default_site=True).root_page.specific
            columns = ColumnPage.objects.live().descendant_of(home).filter(show_images=False)
            column = max(columns.order_by("path"), key=lambda c: c.items().count())  # the busiest news column
            plain = (
                ArticlePage.objects.live()
                .descendant_of(home)
                .filter(policypage__isnull=True, interpretationpage__isnull=True)
                .order_by("path")
            )
            # An item with a picture gallery exercises figures and captions as well as text.
            article = plain.filter(images__isnull=False).first() or plain.first()
            policy = PolicyPage.objects.live().descendant_of(home).order_by("-published_date").first()
            assert article is not None and policy is not None, "演示数据缺少普通信息或政策文件"
            site = DemoSite(server.url, home.url, column.url, article.url, policy.url, screenshots)
            with django_db_blocker.block():  # the tests get database access through ``db``
                yield site
        finally:
            server.stop()
            call_command("flush", "--no-input", verbosity=0, inhibit_post_migrate=True, reset_sequences=False)
            connection.creation.deserialize_db_from_string(saved)
            Site.clear_site_root_paths_cache()


class Visitor:
    """Opens browser contexts (one per viewport or setting) and records requests that leave the site."""

    def __init__(self, browser, site: DemoSite):
        self.browser = browser
        self.site = site
        self.contexts = []
        self.foreign_requests: list[str] = []

    def page(self, viewport: str = "desktop", *, javascript: bool = True, elder: bool = False):
        context = self.browser.new_context(
            **VIEWPORTS[viewport], java_script_enabled=javascript, locale="zh-CN", base_url=self.site.url
        )
        context.set_default_timeout(20_000)
        context.on("request", self._record)
        if elder:
            context.add_cookies([{"name": ELDER_COOKIE, "value": "1", "url": self.site.url}])
        self.contexts.append(context)
        return context.new_page()

    def _record(self, request) -> None:
        if not request.url.startswith((self.site.url + "/", "data:", "about:")):
            self.foreign_requests.append(request.url)

    def close(self) -> None:
        for context in self.contexts:
            context.close()


@pytest.fixture
def visitor(browser, demo_site, db) -> Iterator[Visitor]:
    """A visitor of the demo site; ``db`` lets the live server read the database during the test."""
    visitor = Visitor(browser, demo_site)
    yield visitor
    visitor.close()
