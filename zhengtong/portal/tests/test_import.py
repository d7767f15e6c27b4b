"""``./zt import``: legacy items land published, idempotently, with bad lines reported and HTML sanitised."""

import json
from datetime import date, datetime
from io import StringIO
from zoneinfo import ZoneInfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from wagtail.documents.models import Document
from wagtail.models import Page, PageLogEntry, Revision

from zhengtong.portal.importer import body_to_html, parse_line, sanitise_html, text_to_html
from zhengtong.portal.models import ArticlePage, ColumnPage, ImportRecord, PolicyPage, SectionPage

BEIJING = ZoneInfo("Asia/Shanghai")


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def item(source_id="n1", **fields):
    return {
        "source_id": source_id,
        "title": f"标题{source_id}",
        "body": "<p>正文</p>",
        "published_at": "2015-03-02 10:30",
        "column": "今日木垒",
        **fields,
    }


def write_jsonl(path, *lines):
    path.write_text(
        "\n".join(line if isinstance(line, str) else json.dumps(line, ensure_ascii=False) for line in lines) + "\n",
        encoding="utf-8",
    )
    return path


def run_import(path, *args, site="portal.test"):
    out, err = StringIO(), StringIO()
    call_command("import_items", str(path), "--site", site, "--no-progress", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def imported(source_id) -> ArticlePage:
    return ArticlePage.objects.get(source_id=source_id).specific


def test_items_are_created_live_with_legacy_dates_and_fields(portal, tmp_path):
    path = write_jsonl(
        tmp_path / "items.jsonl",
        item("n1", source="县政府办公室", author="张三"),
        item("n2", type="notice", column="news", published_at="2016-01-05"),  # column by slug
    )
    out, err = run_import(path)

    assert "新增 2，更新 0，未变 0，失败 0" in out
    assert err == ""
    news = imported("n1")
    assert news.get_parent().pk == portal.news.pk
    assert news.live and not news.has_unpublished_changes
    assert news.title == "标题n1" and news.source == "县政府办公室" and news.author == "张三"
    legacy = datetime(2015, 3, 2, 10, 30, tzinfo=BEIJING)
    assert news.published_date == legacy
    assert news.first_published_at == legacy and news.last_published_at == legacy
    assert news.live_revision_id and news.live_revision_id == news.latest_revision_id
    assert PageLogEntry.objects.filter(page=news, action="wagtail.publish").exists()
    notice = imported("n2")
    assert notice.get_parent().pk == portal.news.pk
    assert notice.published_date == datetime(2016, 1, 5, tzinfo=BEIJING)
    assert ImportRecord.objects.filter(site=portal.site).count() == 2
    # Newest first in the column, and the pages render.
    assert list(portal.news.items()) == [notice, news]
    assert news.slug == "n1"


def test_imported_item_is_shown(portal, tmp_path, client):
    run_import(write_jsonl(tmp_path / "items.jsonl", item("n1", title="县长调研春耕")))

    page = imported("n1")
    response = client.get(page.url, HTTP_HOST="portal.test")
    assert response.status_code == 200
    assert "县长调研春耕" in response.content.decode()
    assert "2015" in response.content.decode()
    assert "县长调研春耕" in client.get(portal.news.url, HTTP_HOST="portal.test").content.decode()


def test_missing_columns_are_created_from_the_path_and_reused(portal, tmp_path):
    path = write_jsonl(
        tmp_path / "items.jsonl",
        item("a", column="旧站栏目/县情概况/历史沿革"),
        item("b", column="旧站栏目/县情概况/历史沿革"),
        item("c", column="信息公开/规划计划"),  # existing section, new column
        item("d", column="信息公开/zcwj"),  # existing column, by slug
        item("e", column=["工作 / 动态"]),  # a title with a slash, given as a list
    )
    out, _err = run_import(path)

    assert "新增 5" in out
    assert "新建版块：旧站栏目" in out and "新建栏目：旧站栏目/县情概况/历史沿革" in out
    section = SectionPage.objects.get(title="旧站栏目")
    assert section.get_parent().pk == portal.home.pk and section.live
    middle = SectionPage.objects.get(title="县情概况")
    column = ColumnPage.objects.get(title="历史沿革")
    assert middle.get_parent().pk == section.pk and column.get_parent().pk == middle.pk and column.live
    assert ColumnPage.objects.filter(title="历史沿革").count() == 1
    assert {p.source_id for p in ArticlePage.objects.child_of(column)} == {"a", "b"}
    assert all(p.slug.isascii() and p.slug for p in (section, middle, column))
    planning = ColumnPage.objects.get(title="规划计划")
    assert planning.get_parent().pk == portal.info.pk
    assert imported("d").get_parent().pk == portal.policies.pk
    assert ColumnPage.objects.get(title="工作 / 动态").get_parent().pk == portal.home.pk

    # A second file into the same path creates no second column.
    run_import(write_jsonl(tmp_path / "more.jsonl", item("f", column="旧站栏目/县情概况/历史沿革")))
    assert ColumnPage.objects.filter(title="历史沿革").count() == 1
    assert imported("f").get_parent().pk == column.pk


def test_second_import_of_the_same_file_changes_nothing(portal, tmp_path):
    path = write_jsonl(
        tmp_path / "items.jsonl", item("n1"), item("n2", column="新栏目"), item("p1", type="policy", column="政策文件")
    )
    run_import(path)
    pages = list(Page.objects.order_by("pk").values_list("pk", "path", "title", "last_published_at"))
    revisions, logs = Revision.objects.count(), PageLogEntry.objects.count()

    out, _err = run_import(path)

    assert "新增 0，更新 0，未变 3，失败 0" in out
    assert list(Page.objects.order_by("pk").values_list("pk", "path", "title", "last_published_at")) == pages
    assert Revision.objects.count() == revisions
    assert PageLogEntry.objects.count() == logs


def test_a_changed_line_updates_its_item(portal, tmp_path):
    run_import(write_jsonl(tmp_path / "v1.jsonl", item("n1"), item("n2")))
    page = imported("n1")
    revisions = page.revisions.count()

    path = write_jsonl(
        tmp_path / "v2.jsonl", item("n1", title="改过的标题", body="新正文", published_at="2015-03-03"), item("n2")
    )
    out, _err = run_import(path)

    assert "新增 0，更新 1，未变 1，失败 0" in out
    page = imported("n1")
    assert page.pk == imported("n1").pk and page.title == "改过的标题" and page.body == "<p>新正文</p>"
    assert page.live and not page.has_unpublished_changes
    assert page.revisions.count() == revisions + 1 and page.live_revision_id == page.latest_revision_id
    new_date = datetime(2015, 3, 3, tzinfo=BEIJING)
    assert page.published_date == new_date and page.first_published_at == new_date == page.last_published_at
    assert ArticlePage.objects.filter(source_id="n1").count() == 1


def test_an_item_whose_column_changed_is_moved(portal, tmp_path):
    run_import(write_jsonl(tmp_path / "v1.jsonl", item("n1"), item("n2")))
    page_id = imported("n1").pk

    out, _err = run_import(write_jsonl(tmp_path / "v2.jsonl", item("n1", column="信息公开/政策文件"), item("n2")))

    assert "更新 1" in out
    page = imported("n1")
    assert page.pk == page_id and page.get_parent().pk == portal.policies.pk
    assert page.url_path.endswith("/xxgk/zcwj/n1/")
    assert not ArticlePage.objects.child_of(portal.news).filter(pk=page_id).exists()
    # The columns' child counts stay right: more items can be added to both.
    run_import(write_jsonl(tmp_path / "v3.jsonl", item("n3"), item("n4", column="信息公开/政策文件")))
    assert imported("n3").get_parent().pk == portal.news.pk
    assert imported("n4").get_parent().pk == portal.policies.pk


def test_an_editors_change_is_kept_while_the_line_is_unchanged(portal, tmp_path):
    path = write_jsonl(tmp_path / "items.jsonl", item("n1"))
    run_import(path)
    page = imported("n1")
    page.summary = "编辑补充的摘要"
    page.save_revision().publish()

    run_import(path)
    assert imported("n1").summary == "编辑补充的摘要"

    run_import(write_jsonl(tmp_path / "v2.jsonl", item("n1", title="新标题")))
    page = imported("n1")
    assert page.title == "新标题" and page.summary == "编辑补充的摘要"  # fields the import does not carry are kept


def test_bad_lines_are_reported_with_line_numbers_and_good_lines_land(portal, tmp_path):
    path = write_jsonl(
        tmp_path / "items.jsonl",
        item("ok1"),
        "{这不是 JSON",
        {"source_id": "no-title", "body": "x", "published_at": "2015-01-01", "column": "今日木垒"},
        item("bad-date", published_at="2015-13-40"),
        item("bad-type", type="blog"),
        item("no-file", attachments=["nowhere.pdf"]),
        item("section", column="信息公开"),
        item("ok1", title="重复"),
        item("number", document_number="木政发〔2015〕1号"),
        item("under-column", column="今日木垒/子栏目"),
        "",
        item("ok2"),
    )
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="有 9 行未能导入"):
        call_command("import_items", str(path), "--site", "portal.test", "--no-progress", stdout=out, stderr=err)

    assert "新增 2，更新 0，未变 0，失败 9" in out.getvalue()
    assert set(ArticlePage.objects.values_list("source_id", flat=True)) == {"ok1", "ok2"}
    assert imported("ok1").title == "标题ok1"
    lines = err.getvalue().splitlines()
    expected = {
        2: "不是有效的 JSON",
        3: "缺少标题（title）",
        4: "发布时间（published_at）“2015-13-40”无法识别",
        5: "类型（type）“blog”未知",
        6: "附件文件不存在",
        7: "指向的是版块，不是栏目",
        8: "与第 1 行重复",
        9: "文号和成文日期只用于政策文件",
        10: "是栏目，下面不能再放栏目",
    }
    for line_no, reason in expected.items():
        assert any(line.startswith(f"第 {line_no} 行：") and reason in line for line in lines), (line_no, lines)
    assert len(lines) == len(expected)


def test_html_bodies_are_sanitised(portal, tmp_path):
    body = (
        '<div class="TRS_Editor"><p style="text-indent:2em" onclick="steal()">第一段<script>alert(1)</script></p>'
        '<p>见<a href="javascript:alert(1)">这里</a>和<a href="/art/2015/1.html" target="_blank">原文</a></p>'
        '<img src="/pic/1.jpg" onerror="alert(1)" alt="图"><iframe src="https://evil.example/"></iframe>'
        "<style>p{color:red}</style><h1>标题</h1><table><tr><td colspan=2>表</td></tr></table></div>"
    )
    run_import(write_jsonl(tmp_path / "items.jsonl", item("h1", body=body)))

    stored = imported("h1").body
    for gone in ("script", "alert", "onclick", "onerror", "javascript:", "iframe", "evil", "style", "class"):
        assert gone not in stored
    assert "<p>第一段</p>" in stored
    assert '<a href="/art/2015/1.html" rel="noopener noreferrer">原文</a>' in stored
    assert '<img src="/pic/1.jpg" alt="图">' in stored
    assert "<h2>标题</h2>" in stored
    assert '<td colspan="2">表</td>' in stored


def test_sanitiser_keeps_ordinary_structure():
    html = (
        "<h2>一</h2><h3>二</h3><h4>三</h4><p>段<br>落<strong>粗</strong><b>b</b><em>斜</em><i>i</i><u>下</u></p>"
        "<ul><li>甲</li></ul><ol><li>乙</li></ol><blockquote>引</blockquote>"
        "<table><thead><tr><th>头</th></tr></thead><tbody><tr><td>格</td></tr></tbody></table>"
        '<a href="https://a.gov.cn/" title="t">链</a>'
    )
    assert sanitise_html(html) == html.replace('title="t">', 'title="t" rel="noopener noreferrer">')
    assert sanitise_html("<p>&nbsp;</p><p>\u3000</p><p>留下</p>") == "<p>留下</p>"
    assert sanitise_html('<a href="data:text/html,x">x</a>') == '<a rel="noopener noreferrer">x</a>'


def test_plain_text_bodies_become_paragraphs(portal, tmp_path):
    assert text_to_html("　　第一段\r\n\r\n　　第二段 a < b & c\n") == "<p>第一段</p><p>第二段 a &lt; b &amp; c</p>"
    assert body_to_html("《通知》 1<2") == "<p>《通知》 1&lt;2</p>"

    run_import(write_jsonl(tmp_path / "items.jsonl", item("t1", body="第一段\n\n第二段")))
    assert imported("t1").body == "<p>第一段</p><p>第二段</p>"


def test_attachments_become_documents(portal, tmp_path):
    files = tmp_path / "files"
    files.mkdir()
    (files / "实施方案.pdf").write_bytes(b"%PDF-1.4 legacy")
    (files / "附表.xls").write_bytes(b"legacy table")
    path = write_jsonl(
        tmp_path / "items.jsonl",
        item("a1", attachments=["files/实施方案.pdf", {"path": "files/附表.xls", "title": "附表：名单"}], body=""),
        item("a2", attachments=[str(files / "实施方案.pdf")]),  # the same file again, by absolute path
    )
    run_import(path)

    first = imported("a1")
    attachments = list(first.attachments.all())
    assert [a.display_title() for a in attachments] == ["实施方案", "附表：名单"]
    assert attachments[0].document.file.read() == b"%PDF-1.4 legacy"
    assert first.body == "<p>详见附件。</p>"
    assert Document.objects.count() == 2  # the same bytes are stored once
    assert imported("a2").attachments.get().document == attachments[0].document

    out, _err = run_import(path)
    assert "未变 2" in out and Document.objects.count() == 2

    (files / "附表.xls").write_bytes(b"corrected table")
    out, _err = run_import(path)
    assert "更新 1，未变 1" in out
    assert [a.document.file.read() for a in imported("a1").attachments.all()][1] == b"corrected table"
    # Stored under the type found in the content: the "xls" holds plain text.
    assert [a.document.file.name.rsplit(".", 1)[1] for a in imported("a1").attachments.all()] == ["pdf", "txt"]


def test_attachments_are_checked_by_content(portal, tmp_path):
    files = tmp_path / "files"
    files.mkdir()
    (files / "通知.pdf").write_bytes(b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(200))
    (files / "说明.pdf").write_bytes(b"%PDF-1.4 fine")
    path = write_jsonl(
        tmp_path / "items.jsonl",
        item("bad", attachments=["files/通知.pdf"]),
        item("good", attachments=["files/说明.pdf"]),
    )
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError, match="有 1 行未能导入"):
        call_command("import_items", str(path), "--site", "portal.test", "--no-progress", stdout=out, stderr=err)
    assert "通知.pdf" in err.getvalue() and "按文件内容识别" in err.getvalue()
    assert set(ArticlePage.objects.values_list("source_id", flat=True)) == {"good"}
    assert imported("good").attachments.get().document.file.name.endswith(".pdf")


def test_policy_with_document_number(portal, tmp_path):
    path = write_jsonl(
        tmp_path / "items.jsonl",
        item(
            "p1",
            type="policy",
            column="信息公开/政策文件",
            document_number="木政发〔2015〕12号",
            written_date="2015-02-27",
        ),
    )
    run_import(path)

    policy = imported("p1")
    assert isinstance(policy, PolicyPage)
    assert policy.document_number == "木政发〔2015〕12号" and policy.written_date == date(2015, 2, 27)
    assert policy.validity == PolicyPage.Validity.VALID
    assert policy.get_parent().pk == portal.policies.pk

    with pytest.raises(CommandError):
        run_import(write_jsonl(tmp_path / "v2.jsonl", item("p1", column="信息公开/政策文件")))
    assert isinstance(imported("p1"), PolicyPage)  # the type of an imported item is not changed


def test_source_ids_are_per_site(second_portal, portal, tmp_path):
    path = write_jsonl(tmp_path / "items.jsonl", item("n1"))
    run_import(path)
    out, _err = run_import(write_jsonl(tmp_path / "qitai.jsonl", item("n1", column="今日奇台")), site="qitai.test")

    assert "新增 1" in out
    assert ArticlePage.objects.filter(source_id="n1").count() == 2
    assert ImportRecord.objects.get(site=second_portal.site).page.get_parent().pk == second_portal.news.pk


def test_unknown_site_is_refused_with_the_known_hosts(portal, tmp_path):
    path = write_jsonl(tmp_path / "items.jsonl", item("n1"))
    with pytest.raises(CommandError, match=r"没有主机名为 www\.nowhere\.cn 的站点。已有的站点：portal\.test"):
        run_import(path, site="www.nowhere.cn")
    assert not ArticlePage.objects.exists()


def test_dry_run_writes_nothing(portal, tmp_path):
    files = tmp_path / "files"
    files.mkdir()
    (files / "a.pdf").write_bytes(b"%PDF")
    path = write_jsonl(
        tmp_path / "items.jsonl", item("n1", attachments=["files/a.pdf"]), item("n2", column="旧站栏目/历史沿革")
    )
    counts = (Page.objects.count(), Revision.objects.count(), Document.objects.count(), PageLogEntry.objects.count())

    out, _err = run_import(path, "--dry-run")

    assert "试运行（未写入任何数据）：将新增 2，将更新 0，未变 0，失败 0" in out
    assert "将新建版块：旧站栏目" in out and "将新建栏目：旧站栏目/历史沿革" in out
    assert (Page.objects.count(), Revision.objects.count(), Document.objects.count()) == counts[:3]
    assert PageLogEntry.objects.count() == counts[3] and not ImportRecord.objects.exists()

    run_import(path)
    changed = write_jsonl(tmp_path / "v2.jsonl", item("n1", title="改", attachments=["files/a.pdf"]), item("n3"))
    out, _err = run_import(changed, "--dry-run")
    assert "将新增 1，将更新 1，未变 0" in out
    assert imported("n1").title == "标题n1" and not ArticlePage.objects.filter(source_id="n3").exists()


def test_parse_line_checks_without_the_database(tmp_path):
    parsed = parse_line(json.dumps(item("n1", published_at="2015-03-02T10:30:00+00:00")).encode(), 1, tmp_path)
    assert parsed.published_at == datetime(2015, 3, 2, 18, 30, tzinfo=BEIJING)
    assert parsed.column == ("今日木垒",)
    assert parse_line(b"   \n", 2, tmp_path) is None
    same = parse_line(json.dumps(item("n1", published_at="2015-03-02T18:30:00+08:00")).encode(), 3, tmp_path)
    assert same.content_hash == parsed.content_hash  # one moment, however written
    notice = parse_line(json.dumps(item("n1", type="notice", published_at="2015-03-02T18:30")).encode(), 4, tmp_path)
    assert notice.content_hash == parsed.content_hash  # news and notice are the same page


def test_cli_passes_import_to_the_management_command(monkeypatch, tmp_path):
    from zhengtong import cli

    calls = []
    monkeypatch.setattr(cli, "exec_manage", lambda *args: calls.append(args))
    monkeypatch.chdir(tmp_path)
    cli.main(["import", "items.jsonl", "--site", "www.example.gov.cn", "--dry-run", "--no-progress"])

    assert calls == [
        ("import_items", str(tmp_path / "items.jsonl"), "--site", "www.example.gov.cn", "--dry-run", "--no-progress")
    ]


def test_a_line_that_fails_while_writing_leaves_no_trace(portal, tmp_path, monkeypatch):
    from django.db import IntegrityError

    from zhengtong.portal import bulk

    original = bulk.add_published_pages

    def add_then_fail(new_pages):
        pages = original(new_pages)  # the pages (and any new column) are written, then rolled back
        if any(page.source_id.startswith("boom") for page in pages):
            raise IntegrityError("disk full")
        return pages

    monkeypatch.setattr(bulk, "add_published_pages", add_then_fail)
    path = write_jsonl(
        tmp_path / "items.jsonl",
        item("boom1"),
        item("ok1"),
        item("boom2", column="新版块/新栏目"),
        item("ok2", column="新版块/新栏目"),
        item("ok3"),
    )
    out, err = StringIO(), StringIO()
    with pytest.raises(CommandError):
        call_command("import_items", str(path), "--site", "portal.test", "--no-progress", stdout=out, stderr=err)

    assert "第 1 行：写入失败：IntegrityError: disk full" in err.getvalue()
    assert "新增 3，更新 0，未变 0，失败 2" in out.getvalue()
    assert out.getvalue().count("新建版块：新版块") == 1
    assert set(ArticlePage.objects.values_list("source_id", flat=True)) == {"ok1", "ok2", "ok3"}
    assert SectionPage.objects.filter(title="新版块").count() == 1
    assert ColumnPage.objects.get(title="新栏目").get_children().get().specific.source_id == "ok2"
    news = ColumnPage.objects.get(pk=portal.news.pk)
    assert news.numchild == news.get_children().count() == 2
    assert not ImportRecord.objects.filter(source_id__startswith="boom").exists()


def test_the_wording_check_does_not_stop_an_import(portal, tmp_path):
    from zhengtong.portal.models import WordingRule

    WordingRule.objects.create(phrase="旧表述", action=WordingRule.Action.BLOCK)
    out, _err = run_import(write_jsonl(tmp_path / "items.jsonl", item("w1", title="含旧表述的标题")))

    assert "新增 1" in out and imported("w1").live


def test_imported_items_are_searchable_when_the_command_returns(portal, tmp_path):
    from zhengtong.search.query import search

    path = write_jsonl(
        tmp_path / "items.jsonl",
        item("s1", title="协同办公平台运行良好", body="<p>现共有105个部门在协同办公平台上运行。</p>"),
    )
    run_import(path)
    results = search("协同办公")  # no worker has run
    assert [d.title for d in results.documents] == ["协同办公平台运行良好"]
    assert results.documents[0].source_id == "s1"


def test_an_import_run_is_one_audit_record(portal, tmp_path):
    from zhengtong.audit.models import AuditRecord

    with pytest.raises(CommandError):
        run_import(write_jsonl(tmp_path / "items.jsonl", item("a1"), item("a2"), "not json"))
    (entry,) = AuditRecord.objects.filter(action="content.import")
    assert entry.result == "failure"  # one bad line
    assert entry.detail["created"] == 2 and entry.detail["failed"] == 1
    run_import(write_jsonl(tmp_path / "items.jsonl", item("a1")), "--dry-run")
    assert AuditRecord.objects.filter(action="content.import").count() == 1  # a dry run changes nothing


def test_a_copied_item_is_not_the_legacy_one(portal, tmp_path):
    run_import(write_jsonl(tmp_path / "items.jsonl", item("c1")))
    original = imported("c1")
    copy = original.copy(update_attrs={"slug": "copy-of-c1", "title": "副本"})
    assert copy.source_id == ""
