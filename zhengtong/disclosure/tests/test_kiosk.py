"""Kiosk mode (政府信息公开查阅点): large targets, no way out of the site, back to the start when idle."""

import re
from pathlib import Path

import pytest
from django.test import override_settings

from zhengtong.disclosure.kiosk import allowed_in_kiosk, kiosk_html
from zhengtong.disclosure.testing import publish_item

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "portal.test"}
HREF = re.compile(r"""href="([^"]*)\"""")


def links(html: str) -> list[str]:
    return HREF.findall(html)


def assert_stays_in_kiosk(html: str) -> None:
    for href in links(html):
        assert href.startswith(("/kiosk/", "/static/", "/documents/", "?")), href


@pytest.fixture
def item(disclosure):
    return publish_item(
        disclosure.county,
        "关于城乡居民医保缴费的通知",
        "11",
        body='<p>详见<a href="https://www.example.com/x">国家医保局网站</a>和<a href="/xxgk/">本站栏目</a>。</p>',
    )


def test_start_page_lists_organisations_without_refresh(disclosure, item, client):
    html = client.get("/kiosk/", **HOST).content.decode()
    assert "木垒县人民政府" in html and "木垒县教育局" in html
    assert 'http-equiv="refresh"' not in html
    assert_stays_in_kiosk(html)


def test_section_has_category_browser_and_refresh(disclosure, item, client):
    html = client.get(f"/kiosk/org/{disclosure.county.pk}/", **HOST).content.decode()
    assert "民生政策" in html and "关于城乡居民医保缴费的通知" in html
    assert '<meta http-equiv="refresh" content="120;url=/kiosk/">' in html
    assert_stays_in_kiosk(html)
    filtered = client.get(f"/kiosk/org/{disclosure.county.pk}/", {"category": "11"}, **HOST).content.decode()
    assert "aria-current" in filtered


def test_item_page_unlinks_everything_leading_out(item, client):
    with override_settings(ZT_KIOSK_IDLE_SECONDS=90):
        html = client.get(f"/kiosk/item/{item.pk}/", **HOST).content.decode()
    assert "国家医保局网站" in html and "example.com" not in html
    assert "本站栏目" in html and 'href="/xxgk/"' not in html
    assert 'content="90;url=/kiosk/"' in html
    assert item.index_number in html
    assert_stays_in_kiosk(html)


def test_search_finds_items_and_links_into_the_kiosk(item, client, run_worker):
    run_worker()
    html = client.get("/kiosk/search/", {"q": "医保缴费"}, **HOST).content.decode()
    assert f"/kiosk/item/{item.pk}/" in html
    assert_stays_in_kiosk(html)
    nothing = client.get("/kiosk/search/", {"q": "没有这样的词语"}, **HOST).content.decode()
    assert "没有找到相关信息" in nothing


def test_unknown_or_unpublished_pages_are_404(disclosure, item, client):
    item.unpublish()
    assert client.get(f"/kiosk/item/{item.pk}/", **HOST).status_code == 404
    assert client.get("/kiosk/org/999999/", **HOST).status_code == 404


def test_link_rules():
    assert allowed_in_kiosk("/kiosk/item/3/")
    assert allowed_in_kiosk("/documents/5/a.pdf")
    assert not allowed_in_kiosk("https://evil.example/")
    assert not allowed_in_kiosk("//evil.example/kiosk/")
    assert not allowed_in_kiosk("javascript:alert(1)")
    assert not allowed_in_kiosk("/admin/")
    assert kiosk_html('<a href="mailto:x@y.z">写信</a>') == '<span class="kiosk-unlinked">写信</span>'


def test_large_touch_targets_in_css():
    css = (Path(__file__).parents[1] / "static" / "disclosure" / "kiosk.css").read_text()
    sizes = [int(n) for n in re.findall(r"min-height:\s*(\d+)px", css)]
    assert sizes and min(sizes) >= 48
    assert re.search(r"a, button, input, select \{[^}]*min-height: 48px", css)


def test_kiosk_pages_are_kept_by_the_page_cache(disclosure, item, client, settings):
    from zhengtong.core.pagecache import cache_key

    settings.ZT_PAGE_CACHE_SECONDS = 300
    first = client.get(f"/kiosk/org/{disclosure.county.pk}/", **HOST)
    assert first.status_code == 200 and not first.cookies
    assert cache_key(first.wsgi_request) is not None
    # A search is never cached (its query string), like the site's search.
    search = client.get("/kiosk/search/", {"q": "医保"}, **HOST)
    assert cache_key(search.wsgi_request) is None
