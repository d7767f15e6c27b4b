"""The public search page and GET /api/v1/search."""

import datetime as dt

import pytest
from django.utils import timezone

from zhengtong.portal.testing import publish_article

pytestmark = pytest.mark.django_db
HOST = {"HTTP_HOST": "portal.test"}


@pytest.fixture
def items(portal, run_worker):
    at = timezone.make_aware(dt.datetime(2014, 6, 3, 10, 0))
    publish_article(
        portal.news, "协同办公平台运行良好", body="<p>现共有105个部门在协同办公平台上运行。</p>", published_date=at
    )
    publish_article(portal.section_news, "教育局推进协同办公", published_date=at + dt.timedelta(days=30))
    publish_article(portal.news, "县长信箱受理来信", body="<p>全年完成县长信件92件。</p>")
    run_worker()
    return portal


def test_search_page_lists_highlighted_results_with_the_count(client, items):
    response = client.get("/search/", {"q": "协同办公"}, **HOST)
    html = response.text
    assert response.status_code == 200
    assert "“协同办公”共找到 2 条结果" in html
    assert "<mark>协同办公</mark>" in html
    titles = [document.title for document, _snippet in response.context["hits"]]
    assert titles == ["协同办公平台运行良好", "教育局推进协同办公"]  # both title hits; more mentions first
    assert "2014-06-03" in html


def test_search_page_filters_by_section_and_date(client, items):
    section_choices = client.get("/search/", **HOST).context["form"].fields["section"].choices
    assert ("", "全部栏目") in section_choices
    html = client.get("/search/", {"q": "协同办公", "date_from": "2014-07-01"}, **HOST).text
    assert "共找到 1 条结果" in html and "教育局推进协同办公" in html


def test_search_page_explains_bad_input_in_chinese(client, items):
    response = client.get("/search/", {"q": "协同", "date_from": "2014-13-01"}, **HOST)
    assert response.status_code == 200
    assert "日期格式应为 2015-03-05 这样的年-月-日" in response.text
    response = client.get("/search/", {"q": "协同", "date_from": "2015-01-01", "date_to": "2014-01-01"}, **HOST)
    assert "截止日期不能早于起始日期" in response.text
    assert client.get("/search/", {"q": "x" * 101}, **HOST).status_code == 200
    assert client.get("/search/", {"q": "协同", "page": "abc"}, **HOST).status_code == 200


def test_search_page_without_a_query_shows_the_form(client, items):
    html = client.get("/search/", **HOST).text
    assert 'role="search"' in html and "共找到" not in html


def test_every_page_has_a_search_box(client, items):
    html = client.get("/", **HOST).text
    assert 'action="/search/"' in html and 'for="site-search-q"' in html


def test_api_returns_total_and_results(client, items):
    response = client.get("/api/v1/search", {"q": "协同办公", "limit": 1}, **HOST)
    assert response.status_code == 200
    data = response.json()
    assert data["total"] == 2 and data["total_exact"] is True and len(data["results"]) == 1
    hit = data["results"][0]
    assert set(hit) == {"title", "url", "type", "published_at", "source_id", "snippet"}
    assert hit["url"].startswith("http://portal.test/")
    assert hit["source_id"] is None and "<mark>" in hit["snippet"]


def test_api_site_section_type_and_dates(client, items, second_portal):
    assert client.get("/api/v1/search", {"q": "协同办公", "site": "qitai.test"}, **HOST).json()["total"] == 0
    section = items.info.pk
    assert client.get("/api/v1/search", {"q": "协同办公", "section": section}, **HOST).json()["total"] == 0
    data = client.get("/api/v1/search", {"q": "协同办公", "from": "2014-07-01", "to": "2014-12-31"}, **HOST).json()
    assert [r["title"] for r in data["results"]] == ["教育局推进协同办公"]
    assert client.get("/api/v1/search", {"q": "协同办公", "type": "政策文件"}, **HOST).json()["total"] == 0


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": ""},
        {"q": "协同", "limit": 0},
        {"q": "协同", "limit": "many"},
        {"q": "协同", "offset": -1},
        {"q": "协同", "from": "2014-02-30"},
        {"q": "协同", "site": "nowhere.test"},
        {"q": "协同", "section": 999999},
        {"q": "协同", "from": "2015-01-01", "to": "2014-01-01"},
    ],
)
def test_api_bad_parameters_get_422_json(client, items, params):
    response = client.get("/api/v1/search", params, **HOST)
    assert response.status_code == 422
    assert "detail" in response.json()


def test_openapi_document(client, items):
    response = client.get("/api/v1/openapi.json", **HOST)
    assert response.status_code == 200
    spec = response.json()
    assert "/api/v1/search" in spec["paths"]
    names = {p["name"] for p in spec["paths"]["/api/v1/search"]["get"]["parameters"]}
    assert {"q", "site", "section", "type", "from", "to", "limit", "offset"} <= names


def test_a_capped_count_is_stated_on_the_page_and_in_the_api(client, items, monkeypatch):
    from zhengtong.search.engines import engine

    monkeypatch.setattr(type(engine()), "COUNT_CAP", 1)
    data = client.get("/api/v1/search", {"q": "协同办公"}, **HOST).json()
    assert (data["total"], data["total_exact"], len(data["results"])) == (1, False, 1)
    html = client.get("/search/", {"q": "协同办公"}, **HOST).text
    assert "找到超过 1 条结果" in html and "共找到" not in html
