import datetime as dt
import xml.etree.ElementTree as ET

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from wagtail.documents.models import Document

from zhengtong.portal.context_processors import ELDER_COOKIE
from zhengtong.portal.models import (
    ArticleAttachment,
    ColumnPage,
    FooterSettings,
    InterpretationPage,
    PolicyPage,
    TopicItem,
    TopicPage,
)
from zhengtong.portal.testing import publish_article

pytestmark = pytest.mark.django_db


def get(client, url, host="portal.test", **kwargs):
    return client.get(url, HTTP_HOST=host, **kwargs)


def at(year, month, day):
    return timezone.make_aware(dt.datetime(year, month, day, 10, 0))


def test_each_portal_serves_its_own_home_page(client, second_portal, portal):
    home_a = get(client, "/", "portal.test")
    home_b = get(client, "/", "qitai.test")
    assert home_a.status_code == home_b.status_code == 200
    assert "木垒县人民政府网" in home_a.text and "奇台县人民政府网" not in home_a.text
    assert "奇台县人民政府网" in home_b.text


def test_home_lists_latest_items_with_dates_and_sections(client, portal):
    publish_article(portal.news, "县政府网站群升级改版", published_date=at(2014, 6, 3))
    html = get(client, "/").text
    assert "县政府网站群升级改版" in html
    assert "2014-06-03" in html
    assert "信息公开" in html and "政民互动" in html
    # Department columns stay on their own sub-section.
    publish_article(portal.section_news, "教育局召开会议", published_date=at(2014, 6, 4))
    assert "教育局召开会议" not in get(client, "/").text


def test_article_shows_date_source_author_editor_and_attachments(client, portal):
    article = publish_article(
        portal.news,
        "政务微博运行情况",
        body="<p>全年发布政务微博1890条。</p>",
        published_date=at(2014, 12, 30),
        author="张三",
        editor="李四",
    )
    document = Document.objects.create(title="统计表", file=ContentFile(b"data", name="stats.txt"))
    ArticleAttachment.objects.create(page=article, document=document, title="2014年统计表")
    html = get(client, article.url).text
    assert "2014-12-30" in html
    assert "木垒县人民政府" in html  # source defaults to the owning organisation
    assert "张三" in html and "李四" in html
    assert "2014年统计表" in html and document.url in html
    assert "全年发布政务微博1890条" in html


def test_department_item_source_is_the_department(client, portal):
    article = publish_article(portal.section_news, "教育局开展培训")
    assert "木垒县教育局" in get(client, article.url).text


def test_publication_date_defaults_to_first_publication(portal):
    article = publish_article(portal.news, "无日期信息")
    assert article.published_date is not None
    assert abs(article.published_date - article.first_published_at) < dt.timedelta(seconds=1)


def test_policy_page_shows_document_facts_and_its_interpretations(client, portal):
    policy = portal.policies.add_child(
        instance=PolicyPage(
            title="关于推进电子政务建设的意见",
            body="<p>正文</p>",
            document_number="木政发〔2015〕12号",
            written_date=dt.date(2015, 3, 5),
            validity=PolicyPage.Validity.VALID,
            published_date=at(2015, 3, 6),
        )
    )
    policy.save_revision().publish()
    interpretation = portal.policies.add_child(
        instance=InterpretationPage(title="《意见》解读", body="<p>解读正文</p>", policy=policy)
    )
    interpretation.save_revision().publish()
    html = get(client, policy.url).text
    assert "木政发〔2015〕12号" in html
    assert "2015-03-05" in html and "2015-03-06" in html
    assert "有效" in html
    assert "《意见》解读" in html and interpretation.url in html
    assert policy.url in get(client, interpretation.url).text


def test_topic_collects_items_from_several_columns(client, portal):
    a = publish_article(portal.news, "网站群改版")
    b = publish_article(portal.section_news, "教育信息化")
    topic = portal.home.add_child(instance=TopicPage(title="电子政务专题", slug="dzzw"))
    TopicItem.objects.create(topic=topic, page=a, sort_order=0)
    TopicItem.objects.create(topic=topic, page=b, sort_order=1)
    topic.save_revision().publish()
    html = get(client, topic.url).text
    assert "网站群改版" in html and "教育信息化" in html


def test_column_pages_and_tolerates_bad_page_numbers(client, portal):
    for i in range(25):
        publish_article(portal.news, f"动态{i:02d}", published_date=at(2014, 1, 1) + dt.timedelta(days=i))
    first = get(client, portal.news.url).text
    assert "动态24" in first and "动态04" not in first
    assert "第 1 页，共 2 页" in first
    second = get(client, portal.news.url + "?page=2").text
    assert "动态04" in second
    assert get(client, portal.news.url + "?page=abc").status_code == 200
    assert get(client, portal.news.url + "?page=999").status_code == 200


def test_column_and_site_rss(client, second_portal, portal):
    publish_article(portal.news, "木垒新闻", published_date=at(2015, 1, 2))
    publish_article(second_portal.news, "奇台新闻")
    column_feed = get(client, portal.news.url + "rss/")
    assert column_feed.status_code == 200
    assert column_feed["Content-Type"].startswith("application/rss+xml")
    titles = [t.text for t in ET.fromstring(column_feed.content).iter("title")]  # noqa: S314
    assert "木垒新闻" in titles
    site_feed = ET.fromstring(get(client, "/rss.xml").content)  # noqa: S314
    site_titles = [t.text for t in site_feed.iter("title")]
    assert "木垒新闻" in site_titles and "奇台新闻" not in site_titles


def test_sitemap_is_per_site(client, second_portal, portal):
    article = publish_article(portal.news, "木垒新闻")
    other = publish_article(second_portal.news, "奇台新闻")
    xml = get(client, "/sitemap.xml").text
    assert article.full_url in xml
    assert other.full_url not in xml


def test_footer_settings_are_per_site(client, second_portal, portal):
    FooterSettings.objects.create(
        site=portal.site,
        sponsor="木垒县人民政府办公室",
        site_code="6523280001",
        icp_number="新ICP备1号",
        is_example=True,
    )
    FooterSettings.objects.create(site=second_portal.site, sponsor="奇台县人民政府办公室")
    html = get(client, "/").text
    assert "木垒县人民政府办公室" in html and "6523280001" in html
    assert 'href="https://beian.miit.gov.cn/"' in html
    assert "示例" in html
    other = get(client, "/", "qitai.test").text
    assert "奇台县人民政府办公室" in other and "6523280001" not in other


def test_page_structure_is_accessible_without_javascript(client, portal):
    html = get(client, "/").text
    assert '<html lang="zh-CN"' in html
    assert 'class="skip-link" href="#main"' in html
    assert '<main id="main"' in html and "<header" in html and "<footer" in html and "<nav" in html
    assert 'name="viewport"' in html
    assert "<script" not in html  # every public page works without JavaScript


def test_elder_mode_switch_persists_in_a_cookie(client, portal):
    response = client.post("/display-mode/", {"elder": "1", "next": "/xxgk/"}, HTTP_HOST="portal.test")
    assert response.status_code == 302 and response["Location"] == "/xxgk/"
    assert response.cookies[ELDER_COOKIE].value == "1"
    assert '<html lang="zh-CN" class="elder">' in get(client, "/").text
    assert "退出长者模式" in get(client, portal.news.url).text
    client.post("/display-mode/", {"elder": "0"}, HTTP_HOST="portal.test")
    assert 'class="elder"' not in get(client, "/").text


def test_elder_mode_switch_never_redirects_off_site(client, portal):
    response = client.post("/display-mode/", {"elder": "1", "next": "https://evil.example/"}, HTTP_HOST="portal.test")
    assert response["Location"] == "/"


def test_unknown_page_gets_a_chinese_404(client, portal):
    response = get(client, "/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.text


def test_a_column_of_topics_lists_its_topics_on_the_home_page(client, portal):
    column = portal.home.add_child(instance=ColumnPage(title="专题", slug="zt"))
    topic = column.add_child(instance=TopicPage(title="电子政务建设专题", slug="dzzw"))
    topic.save_revision().publish()
    html = get(client, "/").text
    assert "电子政务建设专题" in html and topic.url in html
    assert html.count(f'href="{topic.url}"') == 1  # not repeated in a separate topics block


def test_favicon_is_served(client, portal):
    response = get(client, "/favicon.ico")
    assert response.status_code == 301 and response["Location"].endswith("favicon.svg")
    assert "favicon.svg" in get(client, "/").text


def test_department_section_shows_its_columns_duties_and_contact(client, portal):
    section = portal.section.specific
    section.duties = "<p>负责全县教育工作。</p>"
    section.phone = "0994-0000000"
    section.save_revision().publish()
    publish_article(portal.section_news, "教育局动态一则", published_date=at(2015, 2, 2))
    html = get(client, section.url).text
    assert "工作动态" in html and "教育局动态一则" in html
    assert "主要职责" in html and "负责全县教育工作" in html
    assert "联系方式" in html and "0994-0000000" in html
