"""The index and the query on the real database (both lanes): exact Chinese substring semantics."""

import datetime as dt
import random

import pytest
from django.utils import timezone

from zhengtong.core.models import Organisation
from zhengtong.search.analyzer import normalise
from zhengtong.search.index import Indexable, index_document, remove_document
from zhengtong.search.models import SearchDocument
from zhengtong.search.query import Filters, search

pytestmark = pytest.mark.django_db

HAN = "政府信息公开协同办公平台县长木垒网站建设服务"


@pytest.fixture
def site(db):
    from wagtail.models import Site

    return Site.objects.get(is_default_site=True)


def add(site, n, title, text="", **values):
    """Index a stand-in object (an Organisation row) with the given texts."""
    obj = Organisation.objects.create(name=f"o{n}", short_name=f"o{n}", code=f"c{n}")
    defaults = {"url": f"/item/{n}/", "kind": "信息", "published_at": timezone.now()}
    index_document(obj, Indexable(site_id=site.pk, title=title, text=text, **{**defaults, **values}))
    return obj


def titles(results):
    return [d.title for d in results.documents]


def test_sub_word_queries_find_the_article(site):
    add(site, 1, "协同办公平台运行良好", "现共有105个部门在协同办公平台上运行。")
    for query in ("协同办公", "办公平台", "协同", "运行良好", "105"):
        assert titles(search(query)) == ["协同办公平台运行良好"], query


def test_bigrams_apart_do_not_match(site):
    add(site, 1, "协同工作与办公条件")
    add(site, 2, "协同办公")
    assert titles(search("协同办公")) == ["协同办公"]


def test_all_space_separated_words_must_occur_and_quotes_keep_phrases(site):
    add(site, 1, "县长信箱", "政务微博和政务微信")
    add(site, 2, "县长专线", "政务微博")
    assert titles(search("县长 政务微信")) == ["县长信箱"]
    add(site, 3, "英文", "open government data")
    add(site, 4, "英文二", "government open data")
    assert titles(search('"open government"')) == ["英文"]


def test_filter_tokens_never_match_a_query(site):
    """The index keeps the site, type and section as tokens of a third column; a query typed like one
    of them (s1, k…, p0001) finds only texts that contain it."""
    from zhengtong.search.engines import scope_tokens

    add(site, 1, "协同办公", "正文")
    add(site, 2, "另一条", f"编号 s{site.pk}")
    for token in scope_tokens(site.pk, "信息", "00010001"):
        expected = ["另一条"] if token == f"s{site.pk}" else []
        assert titles(search(token)) == expected, token
        assert titles(search(f"协同 {token}")) == [], token


def test_document_numbers_and_full_width_forms(site):
    add(site, 1, "关于印发工作要点的通知", "木政发〔2015〕12号")
    add(site, 2, "另一通知", "木政发〔2015〕13号")
    assert titles(search("木政发〔2015〕12号")) == ["关于印发工作要点的通知"]
    assert titles(search("木政发〔２０１５〕１２号")) == ["关于印发工作要点的通知"]


def test_title_hits_rank_first_then_relevance_then_newest(site):
    now = timezone.now()
    add(site, 1, "工作动态", "网站群 网站群 网站群", published_at=now - dt.timedelta(days=3))
    add(site, 2, "网站群升级", "正文", published_at=now - dt.timedelta(days=10))
    add(site, 3, "其他", "网站群", published_at=now - dt.timedelta(days=1))
    add(site, 4, "其他二", "网站群", published_at=now - dt.timedelta(days=2))
    assert titles(search("网站群")) == ["网站群升级", "工作动态", "其他", "其他二"]


def test_filters_and_paging(site):
    now = timezone.now()
    for n in range(5):
        add(site, n, f"通知{n}", "信息公开", kind="通知" if n % 2 else "信息", path=f"0001{n % 2}", published_at=now)
    add(site, 9, "旧信息", "信息公开", published_at=now - dt.timedelta(days=400))
    assert search("信息公开").total == 6
    assert search("信息公开", Filters(kind="通知")).total == 2
    assert search("信息公开", Filters(path="00011")).total == 2
    assert search("信息公开", Filters(date_from=now - dt.timedelta(days=30))).total == 5
    page = search("信息公开", limit=4, offset=4)
    assert page.total == 6 and len(page.documents) == 2


def test_snippet_highlights_and_escapes(site):
    add(site, 1, "标题", "前文<script>" + "甲" * 80 + "协同办公平台运行良好" + "乙" * 80)
    results = search("协同办公")
    snippet = results.snippet(results.documents[0])
    assert "<mark>协同办公</mark>" in snippet
    assert "<script>" not in snippet
    assert snippet.startswith("…") and snippet.endswith("…")


def test_reindex_replaces_and_remove_forgets(site):
    obj = add(site, 1, "旧标题", "旧正文")
    index_document(obj, Indexable(site_id=site.pk, url="/x/", title="新标题", text="新正文", kind="信息"))
    assert search("旧正文").total == 0 and search("新正文").total == 1
    assert SearchDocument.objects.count() == 1
    remove_document(obj)
    assert search("新正文").total == 0


def test_queries_with_nothing_searchable_return_nothing(site):
    add(site, 1, "标题", "正文")
    assert search("，。！").total == 0
    assert search("").total == 0


@pytest.mark.parametrize("seed", [1, 2])
def test_results_equal_the_texts_that_contain_the_query(site, seed):
    """Property: for generated documents and queries drawn from them, the result set is exactly the
    set of documents whose normalised title or text contains the query."""
    rng = random.Random(seed)
    texts = {}
    for n in range(60):
        title = "".join(rng.choice(HAN) for _ in range(rng.randint(2, 8)))
        text = "".join(rng.choice(HAN + "，。 ab12") for _ in range(rng.randint(5, 80)))
        add(site, n, title, text)
        texts[f"/item/{n}/"] = (normalise(title), normalise(text))
    for _ in range(60):
        title, text = texts[f"/item/{rng.randrange(60)}/"]
        source = rng.choice([title, text])
        start = rng.randrange(max(1, len(source) - 1))
        query = source[start : start + rng.randint(2, 6)].strip()
        if sum(ch in HAN for ch in query) < 2 or " " in query:
            continue
        expected = {url for url, (t, x) in texts.items() if query in t or query in x}
        found = {d.url for d in search(query, limit=1000).documents}
        assert found == expected, query
        assert search(query).total == len(expected)


def _random_query(rng, title, text):
    kind = rng.randrange(5)
    source = rng.choice([title, text])
    if kind == 0:  # one character
        return rng.choice(HAN)
    if kind == 1:  # two words that must both occur
        return f"{rng.choice(HAN)}{rng.choice(HAN)} {rng.choice(HAN)}{rng.choice(HAN)}"
    if kind == 2:  # a Latin word or number
        return rng.choice(["ab", "ab12", "12", "b1"])
    start = rng.randrange(max(1, len(source) - 1))
    return source[start : start + rng.randint(1, 9)]  # may hold punctuation, spaces and Latin


@pytest.mark.parametrize("seed,rank_limit,max_position", [(3, 500, 16383), (4, 3, 16383), (5, 500, 20), (6, 3, 20)])
def test_any_query_returns_exactly_what_the_ground_truth_says(site, seed, rank_limit, max_position, monkeypatch):
    """Property over every query shape (one character, several words, words, runs across punctuation),
    in both ranking modes and, on PostgreSQL, with long texts stored without positions: the result
    set is what ``analyzer.matches`` says, title hits come first, and beyond the rank limit the
    newest come first within each tier."""
    from zhengtong.search import engines
    from zhengtong.search import query as query_module
    from zhengtong.search.analyzer import matches, parse_query

    monkeypatch.setattr(query_module, "RANK_LIMIT", rank_limit)
    monkeypatch.setattr(engines, "PG_MAX_POSITION", max_position)
    rng = random.Random(seed)
    now = timezone.now()
    texts = {}
    for n in range(50):
        title = "".join(rng.choice(HAN + "，ab") for _ in range(rng.randint(2, 8)))
        text = "".join(rng.choice(HAN + "，。 ab12") for _ in range(rng.randint(5, 60)))
        add(site, n, title, text, published_at=now - dt.timedelta(hours=rng.randrange(1000)))
        texts[f"/item/{n}/"] = (normalise(title), normalise(text))
    for _ in range(80):
        title, text = texts[f"/item/{rng.randrange(50)}/"]
        query = _random_query(rng, title, text)
        parts = parse_query(query)
        expected = {
            url for url, (t, x) in texts.items() if parts and all(matches(p, t) or matches(p, x) for p in parts)
        }
        results = search(query, limit=1000)
        assert {d.url for d in results.documents} == expected, query
        assert results.total == len(expected), query
        title_hits = [all(matches(p, d.title_norm) for p in parts) for d in results.documents]
        assert title_hits == sorted(title_hits, reverse=True), query
        if results.total > rank_limit:
            for tier in (True, False):
                dates = [d.published_at for d, hit in zip(results.documents, title_hits, strict=True) if hit is tier]
                assert dates == sorted(dates, reverse=True), query
        pages = [d.url for offset in range(0, 60, 7) for d in search(query, limit=7, offset=offset).documents]
        assert pages == [d.url for d in results.documents], query


def test_deleting_a_documents_site_removes_its_full_text_rows(site):
    from wagtail.models import Page, Site

    from zhengtong.search.analyzer import parse_query
    from zhengtong.search.engines import engine, sweep_orphans
    from zhengtong.search.query import compile_query

    other = Site.objects.create(hostname="other.test", root_page=Page.objects.get(depth=1), site_name="other")
    add(site, 1, "协同办公", "")
    add(other, 2, "协同办公", "")
    assert search("协同办公").total == 2
    other.delete()  # cascades to its documents
    # The full-text index itself (not only the documents table) has forgotten the row.
    assert engine().count(compile_query(parse_query("协同办公"), Filters())) == 1
    assert sweep_orphans() == 0


def test_only_the_last_token_of_a_phrase_is_a_prefix(site):
    add(site, 1, "甲", "协，abx，cd")
    add(site, 2, "乙", "协，ab，cd")
    assert titles(search("协，ab，c")) == ["乙"]  # ab inside the phrase is a whole word; c may go on


@pytest.mark.parametrize("seed", [7, 8])
def test_a_capped_count_pages_through_the_same_order(site, seed, monkeypatch):
    """Past the count cap the total is the cap, flagged as a lower bound, and the pages up to it are
    exactly the first results of the uncapped order (title hits newest first, then the rest)."""
    from zhengtong.search import query as query_module
    from zhengtong.search.engines import engine

    rng = random.Random(seed)
    now = timezone.now()
    for n in range(40):
        title = "".join(rng.choice("协同办公政务") for _ in range(rng.randint(2, 6)))
        text = "".join(rng.choice("协同办公政务，。") for _ in range(rng.randint(10, 60)))
        add(site, n, title, text, published_at=now - dt.timedelta(hours=rng.randrange(1000)))
    monkeypatch.setattr(query_module, "RANK_LIMIT", 3)
    for query in ("协同", "协同办", "办公政务", "政务，协"):
        monkeypatch.setattr(type(engine()), "COUNT_CAP", None)
        full = search(query, limit=1000)
        assert not full.capped
        if full.total <= 6:
            continue
        monkeypatch.setattr(type(engine()), "COUNT_CAP", 6)
        capped = search(query, limit=1000)
        assert (capped.total, capped.capped) == (6, True), query
        assert [d.url for d in capped.documents] == [d.url for d in full.documents][:6], query
        pages = [d.url for offset in range(0, 12, 4) for d in search(query, limit=4, offset=offset).documents]
        assert pages == [d.url for d in full.documents][:6], query
