"""The one HTML sanitiser: imports and editor rich text, and templates that never trust raw HTML."""

import re
from pathlib import Path

import pytest
from wagtail.rich_text import expand_db_html

from zhengtong.hardening.sanitise import sanitise_html, sanitise_rich_text
from zhengtong.portal.models import ArticlePage
from zhengtong.portal.testing import publish_article

ATTACKS = [
    "<p>a<script>alert(1)</script></p>",
    '<p onclick="alert(1)">a</p>',
    '<a href="javascript:alert(1)">a</a>',
    '<img src="x" onerror="alert(1)">',
    '<iframe src="https://evil.example"></iframe>',
    '<p style="background:url(javascript:alert(1))">a</p>',
    "<svg><script>alert(1)</script></svg>",
    '<a href="data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==">a</a>',
    '<embed embedtype="image" id="1" onload="alert(1)"/>',
    '<object data="x.swf"></object><!-- <script>x</script> -->',
]


@pytest.mark.parametrize("html", ATTACKS)
def test_nothing_executable_survives(html):
    for clean in (sanitise_html(html), sanitise_rich_text(html)):
        assert not re.search(r"<script|\son\w+=|javascript:|<iframe|<object|style=|data:text|<!--", clean), clean


def test_rich_text_keeps_wagtail_format():
    html = (
        '<h2 data-block-key="a1">标题</h2><p data-block-key="b2">见<a linktype="page" id="3">通知</a>和'
        '<a href="https://www.gov.cn/">中国政府网</a>，附件<a linktype="document" id="4">表</a>。</p>'
        '<embed alt="合影" embedtype="image" format="fullwidth" id="5"/><ul><li data-block-key="c3">一</li></ul><hr/>'
    )
    clean = sanitise_rich_text(html)
    assert '<a linktype="page" id="3"' in clean and '<a linktype="document" id="4"' in clean
    assert '<embed alt="合影" embedtype="image" format="fullwidth" id="5"/>' in clean
    assert 'data-block-key="b2"' in clean and '<a href="https://www.gov.cn/"' in clean
    assert sanitise_rich_text(clean) == clean  # stable: saving twice changes nothing


@pytest.mark.django_db
def test_rich_text_is_sanitised_when_saved(portal):
    article = publish_article(portal.news, "通知")
    article.body = '<p>正文<script>alert(1)</script><a href="javascript:x" onmouseover="y">链接</a></p>'
    article.save()
    article.refresh_from_db()
    assert article.body == '<p>正文<a rel="noopener noreferrer">链接</a></p>'
    assert "<script" not in expand_db_html(ArticlePage.objects.get(pk=article.pk).body)


def test_import_uses_the_same_sanitiser():
    from zhengtong.portal import importer

    assert importer.sanitise_html is sanitise_html


TEMPLATE_ROOT = Path(__file__).resolve().parents[2]
# Filters and tags that bypass escaping; each allowed use is named with the reason it is safe.
TRUSTED = {
    # zhengtong.search.query.snippet escapes the text and adds only <mark>.
    ("search/templates/search/search.html", "snippet|safe"),
    ("disclosure/templates/disclosure/kiosk/search.html", "snippet|safe"),  # the same search snippet
    # The report's own stylesheet file, read from the app's static directory, inlined into the standalone file.
    ("disclosure_report/templates/disclosure_report/standalone.html", "inline_css|safe"),
}


def test_public_templates_never_mark_raw_html_safe():
    found = set()
    for path in TEMPLATE_ROOT.glob("*/templates/**/*.html"):
        relative = path.relative_to(TEMPLATE_ROOT).as_posix()
        if "/admin/" in relative or "/wagtail" in relative:
            continue
        text = path.read_text()
        for match in re.finditer(r"\{\{\s*([\w.]+)\s*\|\s*safe\b|\{%\s*autoescape\s+off", text):
            found.add((relative, f"{match.group(1)}|safe" if match.group(1) else "autoescape off"))
    assert found <= TRUSTED, found - TRUSTED


@pytest.mark.django_db
def test_command_cleans_rich_text_stored_before(portal):
    from io import StringIO

    from django.core.management import call_command

    article = publish_article(portal.news, "旧信息")
    ArticlePage.objects.filter(pk=article.pk).update(body='<p onclick="x()">旧<script>y()</script></p>')
    out = StringIO()
    call_command("sanitise_rich_text", "--no-progress", stdout=out)
    assert ArticlePage.objects.get(pk=article.pk).body == "<p>旧</p>"
    assert "已清洗 1 条" in out.getvalue()
