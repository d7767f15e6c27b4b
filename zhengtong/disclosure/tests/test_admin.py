"""The 信息公开 admin menu: offices, catalog, topics and the clock list are reachable and editable."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from zhengtong.disclosure.models import DisclosureOffice
from zhengtong.disclosure.testing import publish_item

pytestmark = pytest.mark.django_db
EMPTY_RICH_TEXT = json.dumps(
    {
        "blocks": [
            {"key": "a", "type": "unstyled", "text": "", "depth": 0, "inlineStyleRanges": [], "entityRanges": []}
        ],
        "entityMap": {},
    }
)


def test_menu_and_screens(disclosure, admin_client):
    home = admin_client.get("/admin/").content.decode()
    for label in ("信息公开", "公开工作机构", "公开目录", "主题分类", "主动公开时限"):
        # The sidebar is rendered from JSON, where Chinese text is \u-escaped.
        assert json.dumps(label)[1:-1] in home or label in home, label
    for url in (
        "/admin/snippets/zt_disclosure/disclosureoffice/",
        "/admin/snippets/zt_disclosure/disclosurecategory/",
        "/admin/snippets/zt_disclosure/subjecttopic/",
        "/admin/disclosure_deadlines/",
    ):
        assert admin_client.get(url).status_code == 200, url


def test_office_entered_in_the_admin(disclosure, portal, admin_client):
    response = admin_client.post(
        "/admin/snippets/zt_disclosure/disclosureoffice/add/",
        {
            "organisation": portal.department.pk,
            "name": "县教育局办公室",
            "address": "文化路2号",
            "postcode": "831900",
            "office_hours": "工作日 10:00—19:30",
            "phone": "0994-4822222",
            "fax": "",
            "email": "",
            "index_prefix": "11652328MB0000001X",
            "review_authority": "木垒哈萨克自治县人民政府",
            "court": "木垒哈萨克自治县人民法院",
            "access_text": EMPTY_RICH_TEXT,
            "application_text": EMPTY_RICH_TEXT,
        },
    )
    assert response.status_code == 302
    assert DisclosureOffice.objects.get(organisation=portal.department).index_prefix == "11652328MB0000001X"
    # A missing required fact is refused with the form shown again; nothing stored.
    again = admin_client.post(
        "/admin/snippets/zt_disclosure/disclosureoffice/add/",
        {
            "organisation": portal.government.pk,
            "name": "",
            "access_text": EMPTY_RICH_TEXT,
            "application_text": EMPTY_RICH_TEXT,
        },
    )
    assert again.status_code == 200
    assert DisclosureOffice.objects.count() == 2


def test_section_page_queries_do_not_grow_with_items(disclosure, client):
    for i in range(3):
        publish_item(disclosure.county, f"信息{i}", f"{i + 1:02d}")
    client.get(disclosure.county.url, HTTP_HOST="portal.test")  # first use copies nothing more; warm caches
    with CaptureQueriesContext(connection) as few:
        client.get(disclosure.county.url, HTTP_HOST="portal.test")
    for i in range(3, 15):
        publish_item(disclosure.county, f"信息{i}", f"{i % 15 + 1:02d}")
    with CaptureQueriesContext(connection) as many:
        client.get(disclosure.county.url, HTTP_HOST="portal.test")
    assert len(many) == len(few)
