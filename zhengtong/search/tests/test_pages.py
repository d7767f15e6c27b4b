"""Pages enter and leave search through the worker as they are published, changed, moved, hidden and deleted."""

import io

import pytest
from django.core.management import call_command
from wagtail.models import PageViewRestriction

from zhengtong.portal.models import ArticlePage
from zhengtong.portal.testing import publish_article
from zhengtong.search.models import SearchDocument
from zhengtong.search.query import Filters, search

pytestmark = pytest.mark.django_db


def found(query, **filters):
    return [d.title for d in search(query, Filters(**filters)).documents]


def test_published_item_becomes_searchable_through_the_worker(portal, run_worker):
    article = publish_article(portal.news, "协同办公平台运行良好", body="<p>现共有105个部门在平台上运行。</p>")
    assert found("协同办公") == []  # queued, not yet indexed
    run_worker()
    assert found("协同办公") == ["协同办公平台运行良好"]
    document = SearchDocument.objects.get(title="协同办公平台运行良好")
    assert document.url == article.url and document.kind == "信息"
    assert document.published_at == article.published_date


def test_changes_unpublishing_and_deletion_follow(portal, run_worker):
    article = publish_article(portal.news, "县长信箱开通", body="<p>受理群众来信。</p>")
    run_worker()
    article.body = "<p>受理群众来信和建议。</p>"
    article.save_revision().publish()
    run_worker()
    assert found("来信和建议") == ["县长信箱开通"]
    article.unpublish()
    run_worker()
    assert found("县长信箱") == []
    article.save_revision().publish()
    run_worker()
    assert found("县长信箱") == ["县长信箱开通"]
    ArticlePage.objects.get(pk=article.pk).delete()
    assert found("县长信箱") == []


def test_private_pages_are_not_searchable(portal, run_worker):
    publish_article(portal.section_news, "内部通知")
    run_worker()
    PageViewRestriction.objects.create(page=portal.section, restriction_type=PageViewRestriction.LOGIN)
    run_worker()
    assert found("内部通知") == []


def test_section_and_site_filters(second_portal, portal, run_worker):
    publish_article(portal.section_news, "教育信息化推进")
    publish_article(portal.news, "县政府推进信息化")
    publish_article(second_portal.news, "奇台推进信息化")
    run_worker()
    assert set(found("信息化", site_id=portal.site.pk)) == {"教育信息化推进", "县政府推进信息化"}
    assert found("信息化", path=portal.section.path) == ["教育信息化推进"]


def test_reindex_rebuilds_everything(portal, run_worker):
    publish_article(portal.news, "网站群升级改版")
    run_worker()
    SearchDocument.objects.all().delete()
    out = io.StringIO()
    call_command("reindex", "--no-progress", stdout=out, stderr=io.StringIO())
    assert found("升级改版") == ["网站群升级改版"]
    assert "检索索引已重建" in out.getvalue()
    assert SearchDocument.objects.filter(title="信息公开").exists()  # sections are searchable too


def test_reindex_if_empty_rebuilds_only_an_emptied_index(portal, run_worker):
    publish_article(portal.news, "网站群升级改版")
    publish_article(portal.news, "县长信箱开通")
    run_worker()
    SearchDocument.objects.filter(title="网站群升级改版").delete()
    call_command("reindex", "--if-empty", "--no-progress", stdout=io.StringIO(), stderr=io.StringIO())
    assert found("升级改版") == []  # not empty: an upgrade leaves a working index alone
    SearchDocument.objects.all().delete()  # what a migration that changes the index does
    call_command("reindex", "--if-empty", "--no-progress", stdout=io.StringIO(), stderr=io.StringIO())
    assert found("升级改版") == ["网站群升级改版"]
    assert found("县长信箱") == ["县长信箱开通"]


def test_bulk_update_agrees_with_one_by_one(portal, run_worker):
    from wagtail.models import Page

    from zhengtong.search.pages import update_page, update_pages

    publish_article(portal.news, "公开信息一")
    private = publish_article(portal.section_news, "内部信息二")
    PageViewRestriction.objects.create(page=portal.section, restriction_type=PageViewRestriction.LOGIN)
    pages = list(Page.objects.filter(depth__gt=1).specific())

    def snapshot():
        return sorted(SearchDocument.objects.values_list("object_id", "url", "title", "kind", "path", "text"))

    SearchDocument.objects.all().delete()
    for page in pages:
        update_page(page)
    one_by_one = snapshot()
    SearchDocument.objects.all().delete()
    assert update_pages(pages) == len(one_by_one)
    assert snapshot() == one_by_one
    assert str(private.pk) not in {row[0] for row in one_by_one}
    assert found("公开信息") == ["公开信息一"]


def test_bulk_values_agree_with_wagtail_on_two_sites(second_portal, portal):
    """The batch path reads the sites once; each page's site and URL must still be Wagtail's own."""
    from wagtail.models import Page, Site

    from zhengtong.search.pages import SiteRoots, page_values, site_and_url

    publish_article(portal.news, "木垒信息")
    publish_article(second_portal.news, "奇台信息")
    site = Site.objects.get(pk=second_portal.site.pk)
    site.hostname, site.port = "www.qitai.test", 8080
    site.save()  # clears Wagtail's cached root paths, as an edit in the admin does
    pages = list(Page.objects.filter(depth__gt=1).specific())
    roots = SiteRoots()
    assert roots.several_sites
    for page in pages:
        fresh = Page.objects.get(pk=page.pk).specific  # no root paths cached on it by the batch
        assert site_and_url(page, roots) == (fresh.get_site(), fresh.get_url())
        assert page_values(page, [], roots) == page_values(fresh, [])
    urls = {site_and_url(page, roots)[1] or "" for page in pages}
    assert any(url.startswith("http://www.qitai.test:8080/") for url in urls)  # absolute: several sites

    site.delete()  # one site left: its URLs are local
    roots = SiteRoots()
    assert not roots.several_sites
    for page in Page.objects.filter(depth__gt=1).specific():
        assert site_and_url(page, roots) == (page.get_site(), page.get_url())
        assert not (site_and_url(page, roots)[1] or "/").startswith("http")


def test_text_of_equals_strip_tags():
    """The fast path for ordinary markup gives exactly what Django's strip_tags gives, on any input."""
    import random

    from django.utils.html import strip_tags

    from zhengtong.search.pages import text_of

    fragments = [
        "<p>", "</p>", "<br>", "<BR />", '<a href="/x">', "<a href='y>z'>", "</a>", "<script>", "</script>",
        "<style>", "<title>", "<!--", "-->", "<?x?>", "<!DOCTYPE html>", "&amp;", "&nbsp;", "&", "&#12;",
        "&#x1F;", "&abc", "<", ">", "<p class=a>", '<td colspan="2">', "<b", "</ p>", "<p\n>",
        '<img src="a.png" alt=""/>', " ", "\n", "x", "协同办公", "。",
    ]  # fmt: skip
    rng = random.Random(2015)
    for _ in range(20_000):
        html = "".join(rng.choice(fragments) for _ in range(rng.randint(0, 12)))
        assert text_of(html) == strip_tags(html), html
    assert text_of("<p>协同&amp;办公</p><p>平台</p>") == "协同&amp;办公平台"


def test_moving_a_page_and_renaming_a_column_update_addresses(portal, run_worker):
    article = publish_article(portal.news, "移动后的信息")
    run_worker()
    article.move(portal.policies, pos="last-child")
    run_worker()
    moved = ArticlePage.objects.get(pk=article.pk)
    assert SearchDocument.objects.get(title="移动后的信息").url == moved.url

    column = portal.policies.specific
    column.slug = "zhengce"
    column.save_revision().publish()
    run_worker()  # the column's own job finds its address changed and queues the pages below it
    run_worker()
    assert SearchDocument.objects.get(title="移动后的信息").url == ArticlePage.objects.get(pk=article.pk).url
    assert "/zhengce/" in SearchDocument.objects.get(title="移动后的信息").url


def test_rich_text_intros_are_indexed_without_tags(portal, run_worker):
    from zhengtong.portal.models import TopicPage

    topic = portal.home.add_child(instance=TopicPage(title="专题", slug="zt1", intro="<p>电子政务建设成果</p>"))
    topic.save_revision().publish()
    run_worker()
    document = SearchDocument.objects.get(title="专题")
    assert document.text == "电子政务建设成果"
