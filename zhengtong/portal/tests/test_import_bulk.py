"""The import's bulk writing: pages added and changed together are as Wagtail's own would be."""

import weakref

import pytest
from django.urls import reverse
from wagtail.models import Page, PageLogEntry
from wagtail.signals import page_published
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text

from zhengtong.core import roles
from zhengtong.portal.models import ArticlePage, ColumnPage
from zhengtong.portal.testing import make_staff, publish_article, role
from zhengtong.portal.tests.test_import import imported, item, run_import, write_jsonl
from zhengtong.twofactor.testing import login_verified


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def tree_snapshot():
    return list(Page.objects.order_by("pk").values_list("pk", "path", "depth", "numchild", "url_path"))


def test_tree_is_valid_after_a_bulk_import_into_columns_with_children(portal, tmp_path):
    publish_article(portal.news, "已有信息一")
    publish_article(portal.news, "已有信息二")
    publish_article(portal.policies, "已有政策")
    lines = [
        item(f"t{n}", column=column, **({"type": "policy"} if column == "信息公开/政策文件" else {}))
        for n, column in enumerate(["今日木垒", "信息公开/政策文件", "新版块/新栏目", "部门动态", "今日木垒"] * 5)
    ]
    run_import(write_jsonl(tmp_path / "items.jsonl", *lines), "--batch-size", "7")  # several batches
    run_import(write_jsonl(tmp_path / "more.jsonl", item("late", column="新版块/新栏目")))

    assert Page.find_problems() == ([], [], [], [], [])
    before = tree_snapshot()
    Page.fix_tree()
    assert tree_snapshot() == before
    for column in ColumnPage.objects.filter(pk__in=[portal.news.pk, portal.policies.pk]) | ColumnPage.objects.filter(
        title="新栏目"
    ):
        children = list(column.get_children())
        assert column.numchild == len(children)
        assert len({child.path for child in children}) == len(children)
        for child in children:
            assert child.url_path == f"{column.url_path}{child.slug}/"
            assert child.get_parent().pk == column.pk
    assert portal.news.get_children().count() == 2 + 10
    assert [p.title for p in portal.news.get_children()][:2] == ["已有信息一", "已有信息二"]  # appended after them
    page = imported("t0")
    assert page.url == "/news/t0/" and page.locale_id == portal.news.locale_id


def test_imported_page_is_edited_and_republished_in_the_admin(portal, tmp_path, client):
    run_import(write_jsonl(tmp_path / "items.jsonl", item("e1", title="旧站标题", source="县政府办公室")))
    page = imported("e1")
    admin = make_staff("site_admin", portal.government, role(portal, roles.SITE_ADMIN))
    login_verified(client, admin)

    url = reverse("wagtailadmin_pages:edit", args=(page.pk,))
    assert client.get(url).status_code == 200
    history = client.get(reverse("wagtailadmin_pages:history", args=(page.pk,)))
    assert history.status_code == 200
    assert {e.action for e in PageLogEntry.objects.filter(page=page)} == {"wagtail.create", "wagtail.publish"}

    data = nested_form_data(
        {
            "title": "编辑改过的标题",
            "slug": page.slug,
            "body": rich_text("<p>编辑改过的正文</p>"),
            "summary": "",
            "source": page.source,
            "author": "",
            "editor": "",
            "published_date": "2015-03-02 10:30",
            "images": inline_formset([]),
            "attachments": inline_formset([]),
            "comments": inline_formset([]),
        }
    )
    data["action-publish"] = "1"
    response = client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]

    page = imported("e1")
    assert page.title == "编辑改过的标题" and page.live and not page.has_unpublished_changes
    assert page.revisions.count() == 2 and page.live_revision_id == page.latest_revision_id
    assert page.source_id == "e1" and page.source == "县政府办公室"
    assert Page.find_problems() == ([], [], [], [], [])


def test_admin_search_finds_imported_pages_by_a_title_word(portal, tmp_path):
    run_import(write_jsonl(tmp_path / "items.jsonl", item("s1", title="Budget report 2015"), item("s2")))
    assert [p.specific.source_id for p in Page.objects.search("budget")] == ["s1"]
    changed = write_jsonl(tmp_path / "v2.jsonl", item("s1", title="Harvest report"), item("s2"))
    run_import(changed)
    assert [p.specific.source_id for p in Page.objects.search("harvest")] == ["s1"]
    assert not list(Page.objects.search("budget"))


def test_changed_items_get_a_revision_and_keep_their_place(portal, tmp_path):
    files = tmp_path / "files"
    files.mkdir()
    (files / "a.pdf").write_bytes(b"%PDF a")
    (files / "b.pdf").write_bytes(b"%PDF b")
    run_import(write_jsonl(tmp_path / "v1.jsonl", item("c1", attachments=["files/a.pdf"]), item("c2")))
    page = imported("c1")
    path, url = page.path, page.url

    run_import(write_jsonl(tmp_path / "v2.jsonl", item("c1", title="新标题", attachments=["files/b.pdf"]), item("c2")))

    page = imported("c1")
    assert (page.path, page.url, page.title, page.draft_title) == (path, url, "新标题", "新标题")
    assert [a.document.file.read() for a in page.attachments.all()] == [b"%PDF b"]
    latest = page.latest_revision
    assert latest.content["title"] == "新标题"
    assert [a["title"] for a in latest.content["attachments"]] == ["b"]
    actions = list(PageLogEntry.objects.filter(page=page).order_by("pk").values_list("action", flat=True))
    assert actions == ["wagtail.create", "wagtail.publish", "wagtail.edit", "wagtail.publish"]
    assert Page.find_problems() == ([], [], [], [], [])


def test_a_line_failing_mid_batch_keeps_the_batchs_good_lines(portal, tmp_path, monkeypatch):
    from zhengtong.portal.importer import SiteImporter

    files = tmp_path / "files"
    files.mkdir()
    (files / "ok.pdf").write_bytes(b"%PDF ok")
    (files / "gone.pdf").write_bytes(b"%PDF gone")
    original = SiteImporter._document

    def document(self, attachment):
        if attachment.path.name == "gone.pdf":  # removed between the check and the write
            raise FileNotFoundError(2, "No such file", str(attachment.path))
        return original(self, attachment)

    monkeypatch.setattr(SiteImporter, "_document", document)
    path = write_jsonl(
        tmp_path / "items.jsonl",
        item("g1"),
        item("g2", attachments=["files/ok.pdf"], column="新栏目"),
        item("bad", attachments=["files/gone.pdf"], column="只为坏行的栏目"),
        item("g3", column="新栏目"),
    )
    with pytest.raises(Exception, match="有 1 行未能导入"):
        run_import(path)

    assert set(ArticlePage.objects.values_list("source_id", flat=True)) == {"g1", "g2", "g3"}
    assert not ColumnPage.objects.filter(title="只为坏行的栏目").exists()
    assert Page.find_problems() == ([], [], [], [], [])
    out, _err = run_import(write_jsonl(tmp_path / "again.jsonl", item("g1"), item("g3", column="新栏目")))
    assert "未变 2" in out


def test_every_receiver_of_page_published_is_handled_by_the_bulk_writer():
    """Bulk writing sends no per-page signals; a new receiver must be handled in bulk.py (then listed here)."""
    handled = {
        "zhengtong.portal.signals.fill_publication_date",  # the date is set before the insert
        "zhengtong.search.signals.page_changed",  # bulk.index_pages
        "zhengtong.core.pagecache.content_changed",  # one new generation per batch
    }
    receivers = set()
    for entry in page_published.receivers:
        reference = entry[1]
        receiver = reference() if isinstance(reference, weakref.ReferenceType) else reference
        receivers.add(f"{receiver.__module__}.{receiver.__qualname__}")
    assert "zhengtong.search.signals.page_changed" in receivers  # the check sees receivers at all
    assert receivers <= handled, receivers - handled


def test_bulk_revisions_hold_the_page_as_wagtail_serialises_it(portal):
    """The revision JSON goes in as a VALUES row, not a column array: what is read back is the page."""
    import json

    from django.core.serializers.json import DjangoJSONEncoder
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from wagtail.models import Revision

    from zhengtong.portal import bulk

    body = '<p>协同办公 "引号" \\反斜杠\\ 木政发〔2015〕12号</p>'
    new = [
        bulk.NewPage(
            parent=portal.news, page=ArticlePage(title=f"修订{n}", slug=f"rev-{n}", body=body, source_id=f"r{n}")
        )
        for n in range(3)
    ]
    with CaptureQueriesContext(connection) as queries:
        pages = bulk.add_published_pages(new)
    revision_inserts = [q["sql"] for q in queries.captured_queries if 'INTO "wagtailcore_revision"' in q["sql"]]
    assert len(revision_inserts) == 1 and "UNNEST" not in revision_inserts[0]
    for page in pages:
        stored = Revision.objects.get(pk=page.live_revision_id)
        as_json = json.loads(json.dumps(page.live_revision.content, cls=DjangoJSONEncoder))
        assert stored.content == as_json and as_json["body"] == body and as_json["pk"] == page.pk
        assert stored.as_object().body == body and stored.as_object().title == page.title


def test_insert_rows_stores_what_bulk_create_stores(portal):
    """The log entries and import records go in without the ORM's insert compiler: the same rows."""
    import uuid

    from django.utils import timezone

    from zhengtong.portal import bulk

    page = publish_article(portal.news, "日志")
    moment = timezone.now()

    def entry(action):
        return PageLogEntry(
            page_id=page.pk,
            content_type_id=page.content_type_id,
            label='日志 "引号" \\',
            action=action,
            timestamp=moment,
            data={"键": ["值", 1]},
            uuid=uuid.UUID(int=7),
            content_changed=True,
            revision_id=page.live_revision_id,
        )

    bulk.insert_rows([entry("test.fast"), entry("test.fast")])
    PageLogEntry.objects.bulk_create([entry("test.orm")])
    fields = ["page_id", "content_type_id", "label", "timestamp", "data", "uuid", "content_changed", "revision_id"]
    fast = list(PageLogEntry.objects.filter(action="test.fast").values(*fields))
    assert len(fast) == 2
    assert fast[0] == fast[1] == PageLogEntry.objects.filter(action="test.orm").values(*fields).get()
