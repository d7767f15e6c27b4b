"""Staff search in the Wagtail admin goes through zhengtong.search.backend and finds Chinese sub-words (both lanes)."""

import hashlib
import inspect
import io
import random

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from wagtail.models import Page
from wagtail.search.backends import get_search_backend

from zhengtong.core import roles
from zhengtong.portal.models import ArticlePage, PolicyPage
from zhengtong.portal.testing import make_staff, role
from zhengtong.search.analyzer import is_han, normalise, phrase_tokens, stream_tokens
from zhengtong.search.backend import analysed_text
from zhengtong.twofactor.testing import login_verified

STOCK = {"default": {"BACKEND": "wagtail.search.backends.database"}}
OURS = {"default": {"BACKEND": "zhengtong.search.backend"}}


def draft(column, title, page_class=ArticlePage, **fields):
    """A page saved as a draft only: staff search must find what the public cannot see yet."""
    page = column.add_child(instance=page_class(title=title, live=False, **{"body": "<p>正文</p>", **fields}))
    page.save_revision()
    return page


@pytest.fixture
def staff_client(client, portal):
    login_verified(client, make_staff("site_admin", portal.government, role(portal, roles.SITE_ADMIN)))
    return client


def admin_search(client, query):
    """Titles the admin's page search lists for ``query``."""
    response = client.get(reverse("wagtailadmin_pages:search"), {"q": query})
    assert response.status_code == 200
    return {page.title for page in response.context["object_list"]}


def chooser_search(client, query):
    """Titles the page chooser (used when linking to a page) offers for ``query``."""
    response = client.get(reverse("wagtailadmin_choose_page_search"), {"q": query})
    assert response.status_code == 200
    return {page.title for page in response.context["pages"]}


# --- The admin, end to end ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_admin_page_search_finds_a_draft_by_a_sub_word_and_not_its_characters_apart(portal, staff_client, run_worker):
    draft(portal.news, "协同办公平台运行良好")
    draft(portal.news, "协同工作与办公条件改善")  # 协同 and 办公, but not 协同办公
    run_worker()
    assert admin_search(staff_client, "协同办公") == {"协同办公平台运行良好"}
    assert admin_search(staff_client, "办公平台") == {"协同办公平台运行良好"}
    assert admin_search(staff_client, "办公") == {"协同办公平台运行良好", "协同工作与办公条件改善"}
    assert admin_search(staff_client, "良好") == {"协同办公平台运行良好"}  # a run's last two characters
    assert admin_search(staff_client, "协同工作与办公条件改善") == {"协同工作与办公条件改善"}


@pytest.mark.django_db
def test_admin_search_requires_every_word(portal, staff_client, run_worker):
    draft(portal.news, "县长信箱开通")
    draft(portal.news, "县长专线开通")
    draft(portal.news, "政务信箱开通")
    run_worker()
    assert admin_search(staff_client, "县长 信箱") == {"县长信箱开通"}
    assert admin_search(staff_client, "开通 县长") == {"县长信箱开通", "县长专线开通"}


@pytest.mark.django_db
def test_admin_search_finds_a_document_number_by_its_year_and_its_prefix(portal, staff_client, run_worker):
    draft(portal.policies, "关于印发政务公开工作要点的通知（木政发〔2015〕12号）", PolicyPage)
    draft(portal.policies, "关于做好防汛工作的通知（木政办发〔2016〕3号）", PolicyPage)
    run_worker()
    wanted = {"关于印发政务公开工作要点的通知（木政发〔2015〕12号）"}
    assert admin_search(staff_client, "2015") == wanted
    assert admin_search(staff_client, "木政发") == wanted
    assert admin_search(staff_client, "木政发〔2015〕12号") == wanted
    assert admin_search(staff_client, "政发〔2015") == wanted  # starts and ends inside the text's runs
    assert admin_search(staff_client, "政发〔201") == wanted
    assert admin_search(staff_client, "〔2016〕") == {"关于做好防汛工作的通知（木政办发〔2016〕3号）"}


@pytest.mark.django_db
def test_page_chooser_completes_chinese_prefixes(portal, staff_client, run_worker):
    draft(portal.news, "协同办公平台运行良好")
    draft(portal.news, "县长信箱开通")
    run_worker()
    assert chooser_search(staff_client, "协同办") == {"协同办公平台运行良好"}
    assert chooser_search(staff_client, "协") == {"协同办公平台运行良好"}  # one character: any position
    assert chooser_search(staff_client, "长") == {"县长信箱开通"}
    assert chooser_search(staff_client, "箱开") == {"县长信箱开通"}


@pytest.mark.django_db
@pytest.mark.parametrize(("backends", "finds_sub_word"), [(STOCK, False), (OURS, True)], ids=["stock", "analysed"])
def test_stock_backend_misses_sub_words_and_ours_does_not(portal, staff_client, run_worker, backends, finds_sub_word):
    """The regression this backend fixes: stock Wagtail indexes 协同办公平台运行良好 as one token."""
    with override_settings(WAGTAILSEARCH_BACKENDS=backends):
        draft(portal.news, "协同办公平台运行良好")
        run_worker()
        assert admin_search(staff_client, "协同办公平台") == {"协同办公平台运行良好"}  # the title's prefix: both
        assert (admin_search(staff_client, "办公平台") == {"协同办公平台运行良好"}) is finds_sub_word
        assert bool(Page.objects.search("办公平台")) is finds_sub_word


@pytest.mark.django_db
def test_sqlite_scores_in_one_full_text_match_not_one_per_result(portal, staff_client, run_worker):
    """A term in every title (the county's name) cost the stock SQLite backend a MATCH per result: quadratic."""
    if connection.vendor != "sqlite":
        pytest.skip("the PostgreSQL backend scores in a join already")
    draft(portal.news, "木垒县政府关于做好防汛抗旱工作的紧急通知")
    for n in "一二三四五六七八九十":
        draft(portal.news, f"木垒县第{n}次常务会议召开")
    draft(portal.news, "木垒县政府")
    run_worker()
    with CaptureQueriesContext(connection) as queries:
        ranked = [page.title for page in Page.objects.autocomplete("木垒县政府")]
        assert admin_search(staff_client, "木垒县")  # the admin's listing, paginated and counted
        assert searched("常务会议") == {f"木垒县第{n}次常务会议召开" for n in "一二三四五六七八九十"}
    assert ranked == ["木垒县政府", "木垒县政府关于做好防汛抗旱工作的紧急通知"]  # the closer match first
    assert max(query["sql"].count(" MATCH ") for query in queries.captured_queries) == 1


# --- Page.objects.search and the backend API -------------------------------------------------------------


@pytest.fixture
def policy(portal, run_worker):
    page = draft(
        portal.policies,
        "关于印发政务公开工作要点的通知",
        PolicyPage,
        document_number="木政发〔2015〕12号",
        summary="全面推进政务公开，协同办公平台覆盖全县。",
        body="<p>各乡镇人民政府，县直各部门：现将《２０１５年政务公开工作要点》印发给你们。</p>",
    )
    draft(portal.news, "协同工作与办公条件改善", body="<p>县长主持召开会议。</p>")
    run_worker()
    return page


def searched(query, **kwargs):
    return {page.title for page in Page.objects.search(query, **kwargs)}


@pytest.mark.django_db
def test_page_search_api_finds_sub_words_in_every_indexed_field(policy):
    wanted = {"关于印发政务公开工作要点的通知"}
    assert searched("政务公开") == wanted  # title
    assert searched("2015") == wanted  # the document number, and the full-width year in the body
    assert searched("木政发") == wanted
    assert searched("协同办公") == wanted  # summary; the other page has 协同 and 办公 apart
    assert searched("县直 部门") == wanted  # body, every word required
    assert searched("县直 县长") == set()
    assert searched("县长") == {"协同工作与办公条件改善"}
    assert searched("县直 县长", operator="or") == {"关于印发政务公开工作要点的通知", "协同工作与办公条件改善"}
    assert searched('"工作要点"') == wanted
    assert searched("〔〕") == set()  # nothing searchable matches nothing


@pytest.mark.django_db
def test_other_admin_models_use_the_same_analyzer(portal, run_worker):
    from django.core.files.base import ContentFile
    from wagtail.documents import get_document_model

    document = get_document_model()(title="协同办公制度汇编")
    document.file.save("zhidu.txt", ContentFile(b"text"), save=True)
    run_worker()
    backend = get_search_backend()
    assert [d.title for d in backend.autocomplete("办公制度", get_document_model())] == ["协同办公制度汇编"]
    assert [d.title for d in backend.search("制度汇编", get_document_model())] == ["协同办公制度汇编"]


@pytest.mark.django_db
def test_update_index_rebuilds_the_admin_index(policy):
    from wagtail.search.models import IndexEntry

    IndexEntry.objects.all().delete()
    assert searched("政务公开") == set()
    call_command("update_index", stdout=io.StringIO(), stderr=io.StringIO())
    assert searched("政务公开") == {"关于印发政务公开工作要点的通知"}


@pytest.mark.django_db
def test_exact_substring_semantics_on_random_titles(portal, run_worker):
    """For Chinese queries of two or more characters, results are exactly the titles containing them."""
    rng = random.Random(3)
    han = "政府信息公开协同办公平台县长木垒"
    titles = {"".join(rng.choice(han + "，2a") for _ in range(rng.randint(4, 12))) for _ in range(25)}
    for title in titles:
        draft(portal.news, title)
    run_worker()
    for _ in range(40):
        source = rng.choice(sorted(titles))
        start = rng.randrange(len(source))
        query = source[start : start + rng.randint(2, 5)] if rng.random() < 0.7 else "".join(rng.sample(han, 2))
        if len(query) < 2 or not all(ch in han for ch in query):
            continue
        assert searched(query) == {t for t in titles if query in t}, query


# --- Index tokens and phrase tokens, without a database --------------------------------------------------


def test_the_index_stores_bigrams_then_the_last_character_and_whole_words():
    assert analysed_text("协同办公") == "协同 同办 办公 公"
    assert analysed_text("木政发〔2015〕12号 ＧＢ") == "木政 政发 发 2015 12 号 gb"


def test_phrase_tokens_at_the_edges_of_the_phrase():
    assert phrase_tokens("协同办公") == (["协同", "同办", "办公"], False)  # the text's run may go on
    assert phrase_tokens("协") == (["协"], True)  # any token starting with 协
    assert phrase_tokens("发〔2015") == (["发", "2015"], True)  # 发 ends its run in the text too
    assert phrase_tokens("务z") == (["务", "z"], True)  # inside 服务zone
    assert phrase_tokens("wagtail") == (["wagtail"], False)  # whole words without Chinese
    assert phrase_tokens("wag", prefix_word=True) == (["wag"], True)  # autocomplete


def in_word(char):
    return char.isalnum() and not is_han(char)


def follows(tokens, phrase, prefix):
    """Whether ``phrase`` occurs consecutively in ``tokens`` (the last one as a prefix if ``prefix``)."""
    n = len(phrase)
    for i in range(len(tokens) - n + 1):
        window = tokens[i : i + n]
        if window[:-1] == phrase[:-1] and (window[-1].startswith(phrase[-1]) if prefix else window[-1] == phrase[-1]):
            return True
    return False


@pytest.mark.parametrize("seed", range(5))
def test_phrase_tokens_follow_each_other_exactly_where_the_text_contains_the_phrase(seed):
    """No misses for any substring that does not start inside a word; no false hits for Chinese queries."""
    rng = random.Random(seed)
    han = "政府信息公开协同办公平台县长木垒"
    alphabet = han * 3 + "ab12 ，〔〕"
    texts = [normalise("".join(rng.choice(alphabet) for _ in range(rng.randint(5, 50)))) for _ in range(100)]
    tokens = [stream_tokens(text) for text in texts]
    for _ in range(300):
        source = rng.choice(texts)
        start = rng.randrange(len(source))
        raw = source[start : start + rng.randint(1, 8)]
        query, start = raw.strip(), start + len(raw) - len(raw.lstrip())
        end = start + len(query)
        if (
            not query
            or (start and in_word(source[start - 1]) and in_word(source[start]))  # a word's end: not in a token index
            or (not any(map(is_han, query)) and end < len(source) and in_word(source[end]) and in_word(query[-1]))
        ):
            continue  # (and without Chinese, words are whole words, as in the public search)
        phrase, prefix = phrase_tokens(query)
        if not phrase:
            continue
        assert follows(tokens[texts.index(source)], phrase, prefix), (query, phrase)
        if all(ch in han for ch in query):
            found = {i for i, t in enumerate(tokens) if follows(t, phrase, prefix)}
            assert found == {i for i, text in enumerate(texts) if query in text}, query


@pytest.mark.django_db
def test_the_indexer_reads_each_field_once_and_fills_the_columns_as_stock(policy, monkeypatch):
    """Each column is what the stock indexer gives, analysed; a rich-text body is read once, not per column."""
    from wagtail.fields import RichTextField

    if connection.vendor == "postgresql":
        from modelsearch.backends.database.postgres.postgres import ObjectIndexer as StockIndexer

        from zhengtong.search.backend import postgres_backend_class as backend_class
    else:
        from modelsearch.backends.database.sqlite.sqlite import ObjectIndexer as StockIndexer

        from zhengtong.search.backend import sqlite_backend_class as backend_class
    backend = get_search_backend()
    page = PolicyPage.objects.get(title="关于印发政务公开工作要点的通知")
    reads = []
    original = RichTextField.get_searchable_content
    monkeypatch.setattr(
        RichTextField, "get_searchable_content", lambda field, value: reads.append(field.name) or original(field, value)
    )
    stock = StockIndexer(page, backend)
    ours = backend_class().index_class.indexer_class(page, backend)
    columns = ["title", "autocomplete", "body"]
    if connection.vendor == "postgresql":
        columns += ["title_text", "body_text"]  # the tsvector columns are expressions, compared by searching
    values = {column: getattr(ours, column) for column in columns}
    assert reads == ["body"]
    if connection.vendor == "sqlite":
        for column in columns:
            assert values[column] == analysed_text(getattr(stock, column))
    else:
        assert (values["title_text"], values["body_text"]) == (stock.title_text, stock.body_text)
        assert "协同 同办 办公" in str(values["body"])  # the analysed text inside the tsvector expression


def index_writes(queries):
    """The statements that wrote index entries (an ``executemany`` is logged as ``N times: …``)."""
    statements = [q["sql"].split(" times: ")[-1].lstrip() for q in queries.captured_queries]
    return [sql for sql in statements if sql.startswith(("INSERT", "UPDATE")) and "wagtailsearch_indexentry" in sql]


@pytest.mark.django_db
def test_index_rows_go_in_once_with_the_title_norm_stock_would_give(portal, run_worker):
    """Rows are written with their title norm: no second write, which would tokenise them again (FTS5) or
    add their vectors to the GIN indexes again (PostgreSQL)."""
    from wagtail.search.models import IndexEntry

    pages = [draft(portal.news, title) for title in ("县长信箱", "协同办公平台运行良好", "政务公开工作要点的通知")]
    backend = get_search_backend()
    IndexEntry.objects.all().delete()
    with CaptureQueriesContext(connection) as queries:
        backend.add_bulk(ArticlePage, pages)
    writes = index_writes(queries)
    assert len(writes) == 1, writes  # one insert of all rows
    norms = dict(IndexEntry.objects.values_list("object_id", "title_norm"))
    backend.get_index_for_model(ArticlePage)._refresh_title_norms(full=True)  # the stock computation
    assert norms == pytest.approx(dict(IndexEntry.objects.values_list("object_id", "title_norm")))
    assert len(set(norms.values())) == 3
    assert searched("办公平台") == {"协同办公平台运行良好"}

    pages[0].title = "县长信箱开通"
    with CaptureQueriesContext(connection) as queries:
        backend.add_bulk(ArticlePage, pages)  # already indexed: replaced
    writes = index_writes(queries)
    assert len(writes) == 1, writes
    assert IndexEntry.objects.count() == 3
    assert [p.pk for p in backend.search("信箱开通", ArticlePage)] == [pages[0].pk]
    norm = IndexEntry.objects.get(object_id=str(pages[0].pk)).title_norm
    if connection.vendor == "sqlite":
        assert norm == norms[str(pages[0].pk)]  # the stock SQLite index keeps the norm of a replaced row
    else:
        assert norm != 1.0  # the stock PostgreSQL index gives a replaced row a new norm


def title_lengths():
    """Per index entry, the title length the stock norm divides by (characters; lexemes on PostgreSQL)."""
    from django.db.models.functions import Length
    from wagtail.search.models import IndexEntry

    return dict(IndexEntry.objects.annotate(n=Length("title")).values_list("object_id", "n"))


@pytest.mark.django_db
def test_title_totals_kept_between_batches_give_the_stock_norms(
    portal, run_worker, django_capture_on_commit_callbacks, monkeypatch
):
    """After a committed batch only rows added since are read; the norms still equal a full count's."""
    from wagtail.search.models import IndexEntry

    from zhengtong.search import backend as ours

    monkeypatch.setattr(ours, "_title_totals", {})
    titles = ["县长信箱", "协同办公平台运行良好", "政务公开工作要点的通知", "关于做好防汛工作的通知", "通知"]
    pages = [draft(portal.news, title) for title in [*titles, "其他"]]
    run_worker()  # nothing queued is left to index them meanwhile
    other = pages.pop()
    backend = get_search_backend()
    index = backend.get_index_for_model(ArticlePage)
    IndexEntry.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        index.add_items(ArticlePage, pages[:2])
    kept = ours._title_totals[connection.alias]
    assert (kept.total, kept.count) == (sum(title_lengths().values()), 2)
    index.add_items(ArticlePage, [other])  # as another process would, its totals not kept here
    with CaptureQueriesContext(connection) as queries:
        index.add_items(ArticlePage, pages[2:])
    assert any('"id" > ' in q["sql"] for q in queries.captured_queries)  # only the rows added since
    lengths = title_lengths()
    full = sum(lengths.values()) / len([n for n in lengths.values() if n])  # the stock average, over every row
    stored = dict(IndexEntry.objects.values_list("object_id", "title_norm"))
    for page in pages[2:]:
        assert stored[str(page.pk)] == pytest.approx(full / lengths[str(page.pk)])


# --- The copied stock code ---------------------------------------------------------------------------------

# backend.py repeats the stock add_items (which names its indexer class directly); when modelsearch changes
# them, compare the new versions with the copies in backend.py, update those, then these hashes.
STOCK_ADD_ITEMS = {
    "sqlite": "6e4d599997a4aa05027c06df1d5ebc812d47f3956cb85c3613788c7cde4510ea",
    "postgresql": "62bf7488351e386482f9e20db0670c3064185250ef816c71584afef14fcb079e",
}


def test_the_copied_stock_add_items_is_unchanged():
    if connection.vendor == "postgresql":
        from modelsearch.backends.database.postgres.postgres import PostgresIndex as StockIndex
    else:
        from modelsearch.backends.database.sqlite.sqlite import SQLiteIndex as StockIndex
    source = inspect.getsource(StockIndex.add_items)
    assert hashlib.sha256(source.encode()).hexdigest() == STOCK_ADD_ITEMS[connection.vendor]
