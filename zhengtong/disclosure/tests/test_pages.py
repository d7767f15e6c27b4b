"""Public pages: the item with its metadata table, the section's catalog, the guide, and search."""

from datetime import date, datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import checks

from zhengtong.disclosure.catalog import subject_topics
from zhengtong.disclosure.models import DisclosureItemPage
from zhengtong.disclosure.testing import draft_item, publish_item
from zhengtong.search.query import Filters, search

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "portal.test"}
SHANGHAI = ZoneInfo("Asia/Shanghai")


def test_item_page_shows_the_metadata_table(disclosure, client):
    item = publish_item(
        disclosure.county,
        "木垒县人民政府关于印发农村人居环境整治方案的通知",
        "03",
        document_number="木政发〔2026〕12号",
        written_date=date(2026, 3, 2),
        published_date=datetime(2026, 3, 6, 10, tzinfo=SHANGHAI),
        topic=subject_topics().get(name="城乡建设、环境保护"),
    )
    html = client.get(item.url, **HOST).content.decode()
    table = html[html.index('class="disclosure-meta"') :]
    for label, value in [
        ("索引号", item.index_number),
        ("发布机构", "木垒县人民政府"),
        ("成文日期", "2026-03-02"),
        ("发布日期", "2026-03-06"),
        ("文号", "木政发〔2026〕12号"),
        ("主题分类", "城乡建设、环境保护"),
        ("有效性", "有效"),
    ]:
        assert label in table and value in table
    assert table.index("索引号") < table.index("正文") if "正文" in table else True


def test_repealed_item_shows_it(disclosure, client):
    item = publish_item(
        disclosure.county, "旧办法", validity=DisclosureItemPage.Validity.REPEALED, validity_changed_on=date(2026, 5, 1)
    )
    html = client.get(item.url, **HOST).content.decode()
    assert "废止" in html and "2026-05-01" in html


def test_validity_change_needs_a_date(disclosure):
    from django.core.exceptions import ValidationError

    item = draft_item(disclosure.county, "缺日期", validity=DisclosureItemPage.Validity.EXPIRED)
    with pytest.raises(ValidationError, match="废止或失效日期"):
        item.full_clean()


def test_section_catalog_counts_filters_and_pages(disclosure, client):
    for i in range(23):
        publish_item(
            disclosure.county, f"财政信息{i:02d}", "07", published_date=datetime(2026, 1, 1 + i, tzinfo=SHANGHAI)
        )
    publish_item(disclosure.county, "去年的统计公报", "04", published_date=datetime(2025, 4, 1, tzinfo=SHANGHAI))
    draft_item(disclosure.county, "草稿不应出现", "04")
    url = disclosure.county.url
    html = client.get(url, **HOST).content.decode()
    assert "财政预决算" in html and "24" in html  # the total
    assert "草稿不应出现" not in html
    assert "第 1 页，共 2 页" in html
    only_stats = client.get(url, {"category": "04"}, **HOST).content.decode()
    assert "去年的统计公报" in only_stats and "财政信息00" not in only_stats
    year_2026 = client.get(url, {"year": "2026"}, **HOST).content.decode()
    assert "去年的统计公报" not in year_2026
    page_two = client.get(url, {"category": "07", "page": "2"}, **HOST).content.decode()
    assert "财政信息00" in page_two and "category=07&amp;page=1" in page_two
    junk = client.get(url, {"year": "abc", "category": "<x>"}, **HOST)
    assert junk.status_code == 200
    # The slots for the annual reports and the application entry are there.
    assert "政府信息公开年度报告" in html and "依申请公开" in html


def test_guide_has_the_article_12_contents(disclosure, client):
    publish_item(disclosure.county, "一条信息", "01")
    html = client.get(disclosure.county.url + "zhinan/", **HOST).content.decode()
    # 第12条: categories and arrangement, how to obtain, office name, address, hours, phone, fax, online contact.
    for text in [
        "政府信息的分类和编排体系",
        "法规文件",
        "11652328010000000X-01-2026-00001",
        "主动公开",
        "依申请公开",
        "县人民政府办公室",
        "人民路1号",
        "831900",
        "工作日 10:00—14:00",
        "0994-4821234",
        "0994-4821235",
        "xxgk@example.gov.cn",
        "互联网联系方式",
        "昌吉回族自治州人民政府",
    ]:
        assert text in html, text


def test_guide_without_office_says_so_and_check_warns(disclosure, client):
    html = client.get(disclosure.department.url + "zhinan/", **HOST).content.decode()
    assert "正在完善" in html
    found = [
        m for m in checks.run_checks(tags=["zhengtong"], include_deployment_checks=True) if m.id == "zhengtong.W962"
    ]
    assert found and "木垒县教育局" in found[0].msg


def test_bad_index_format_is_an_error(settings):
    settings.ZT_DISCLOSURE_INDEX_FORMAT = "{prefix}-{category}"
    found = [m.id for m in checks.run_checks(tags=["zhengtong"])]
    assert "zhengtong.E961" in found
    settings.ZT_DISCLOSURE_INDEX_FORMAT = "{prefix}-{nope}"
    assert "zhengtong.E961" in [m.id for m in checks.run_checks(tags=["zhengtong"])]


def test_items_are_found_by_search(disclosure, run_worker):
    item = publish_item(
        disclosure.county, "关于公布行政事业性收费目录清单的通知", "08", document_number="木政办发〔2026〕3号"
    )
    run_worker()
    documents = search("收费目录清单", Filters()).documents
    assert [d.title for d in documents] == [item.title]
    assert documents[0].kind == "主动公开信息" and documents[0].url == item.url
    assert [d.title for d in search(item.index_number, Filters()).documents] == [item.title]


def test_items_go_through_the_review_workflow(disclosure, portal):
    from wagtail.models import Page

    # The portal's workflow (初审 → 终审) applies to every page below the portal home, items included.
    item = draft_item(disclosure.county, "待审核的信息")
    workflow = Page.objects.get(pk=item.pk).get_workflow()
    assert workflow is not None and workflow == portal.home.get_workflow()


def test_admin_can_create_an_item_in_the_editor(disclosure, admin_client, portal):
    from zhengtong.disclosure.testing import category

    url = f"/admin/pages/add/zt_disclosure/disclosureitempage/{disclosure.county.pk}/"
    data = {
        "title": "编辑器创建的信息",
        "slug": "editor-item",
        "category": category(portal.government, "05").pk,
        "written_date": "2026-04-01",
        "validity": "valid",
        "body": '{"blocks": [{"key": "a", "type": "unstyled", "text": "正文", "depth": 0, "inlineStyleRanges": [], '
        '"entityRanges": []}], "entityMap": {}}',
        "attachments-TOTAL_FORMS": "0",
        "attachments-INITIAL_FORMS": "0",
        "attachments-MIN_NUM_FORMS": "0",
        "attachments-MAX_NUM_FORMS": "1000",
        "images-TOTAL_FORMS": "0",
        "images-INITIAL_FORMS": "0",
        "images-MIN_NUM_FORMS": "0",
        "images-MAX_NUM_FORMS": "1000",
        "action-publish": "publish",
    }
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:3000]
    item = DisclosureItemPage.objects.get(slug="editor-item")
    assert item.organisation == portal.government
    assert item.live and item.index_number.startswith("11652328010000000X-05-")


def test_section_lists_the_published_annual_reports(disclosure, client):
    from zhengtong.disclosure_report.models import AnnualReport

    organisation = disclosure.county.organisation
    AnnualReport.objects.create(organisation=organisation, year=2025, status=AnnualReport.Status.PUBLISHED)
    AnnualReport.objects.create(organisation=organisation, year=2026)  # a draft: not listed
    html = client.get(disclosure.county.url, **HOST).content.decode()
    from django.urls import reverse

    assert "2025年政府信息公开工作年度报告" in html
    assert reverse("disclosure_report_page", args=[organisation.code, 2025]) in html
    assert "2026年政府信息公开工作年度报告" not in html
