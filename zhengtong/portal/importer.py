"""Import of a legacy website's items from a JSON Lines file (``./zt import``).

One line is one item::

    {"source_id": "2015-0123", "title": "…", "body": "<p>…</p>", "published_at": "2015-03-02 10:30",
     "column": "信息公开/政策文件", "type": "policy", "document_number": "木政发〔2015〕12号",
     "written_date": "2015-02-27", "source": "县政府办公室", "author": "…", "attachments": ["files/a.pdf"]}

The steps are plain functions over plain values: ``parse_line`` checks one line and returns an
``ImportItem`` (or raises ``LineError`` with the reasons in Chinese); ``SiteImporter`` writes items
into one site, finding or creating their columns; ``import_lines`` runs a whole file in batches and
returns an ``ImportReport``. ``manage.py import_items`` (``./zt import``) is the command around them.

Imported items are published directly: the import is an operator's action on content that was
already public on the old site, so it does not pass through the review workflow or the wording check.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import re
import time
from collections.abc import Callable, Iterable
from contextlib import nullcontext
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.files import File
from django.db import transaction
from django.utils import timezone
from django.utils.html import escape
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.documents import get_document_model
from wagtail.log_actions import log
from wagtail.models import Collection, Page, Revision, Site
from wagtail.signals import page_published, published

from zhengtong.hardening.sanitise import sanitise_html
from zhengtong.hardening.uploads import safe_filename, validate_upload
from zhengtong.portal import bulk
from zhengtong.portal.bulk import ChangedPage, NewPage
from zhengtong.portal.models import (
    ArticleAttachment,
    ArticlePage,
    ColumnPage,
    DepartmentPage,
    ImportRecord,
    PolicyPage,
    PortalHomePage,
    SectionPage,
)
from zhengtong.portal.slugs import unique_slug

logger = logging.getLogger(__name__)

# Naive times in a legacy export are Beijing time, whatever the server's own zone.
LEGACY_TZ = ZoneInfo("Asia/Shanghai")
# A batch is one transaction: at most this many lines, and no longer than this many seconds, since
# on SQLite a transaction keeps every other writer (editors saving, the worker) waiting.
BATCH_SIZE = 200
BATCH_SECONDS = 1.0
# Part of every content hash: raise it when the normalisation below changes, so the next import
# writes each item once more with the new rules instead of calling it unchanged.
IMPORT_FORMAT = 1

PAGE_TYPES: dict[str, type[ArticlePage]] = {"news": ArticlePage, "notice": ArticlePage, "policy": PolicyPage}
PAGE_MODELS = tuple(dict.fromkeys(PAGE_TYPES.values()))
TITLE_MAX = 255  # Page.title
SHORT_TEXT_MAX = 100  # source_id, source, author, document_number
SLUG_MAX = 80


# --- Sanitising HTML ------------------------------------------------------------

# The sanitiser itself is zhengtong.hardening.sanitise, shared with editor rich text.
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>|<!--")


def text_to_html(text: str) -> str:
    """Plain text as paragraphs: one ``<p>`` per non-empty line, HTML-escaped, indentation removed."""
    lines = (line.strip() for line in text.splitlines())  # strip() also removes the full-width indent
    return "".join(f"<p>{escape(line)}</p>" for line in lines if line)


def body_to_html(body: str) -> str:
    """The stored form of a legacy body: sanitised when it contains tags, else paragraphs of text."""
    return sanitise_html(body) if _TAG.search(body) else text_to_html(body)


# --- One line -------------------------------------------------------------------


class LineError(Exception):
    """A line that cannot be imported; ``reasons`` are for the operator, in Chinese."""

    def __init__(self, *reasons: str):
        super().__init__("；".join(reasons))
        self.reasons = reasons


@dataclass(frozen=True)
class Attachment:
    path: Path
    title: str
    sha1: str  # as Wagtail's Document.file_hash, so the same file is stored once
    stored_name: str = ""  # safe, with the extension of the type recognised from the content


@dataclass(frozen=True)
class ImportItem:
    """One checked line, normalised: what the page will hold."""

    line_no: int
    source_id: str
    title: str
    body: str
    published_at: datetime
    column: tuple[str, ...]
    page_type: type[ArticlePage]
    source: str = ""
    author: str = ""
    document_number: str = ""
    written_date: date | None = None
    attachments: tuple[Attachment, ...] = ()
    content_hash: str = ""


def parse_datetime(value: str) -> datetime:
    """An ISO date or date-time; a date means midnight, a time without zone means Beijing time.

    Raises ``ValueError`` for anything else (also for a value that is not a string).
    """
    if not isinstance(value, str):
        raise ValueError(value)
    moment = datetime.fromisoformat(value.strip())  # a bare date gives midnight
    return moment if moment.tzinfo else moment.replace(tzinfo=LEGACY_TZ)


def parse_column(value) -> tuple[str, ...]:
    """A column path: ``"信息公开/政策文件"`` or ``["信息公开", "政策文件"]`` (for titles that contain ``/``)."""
    parts = value.split("/") if isinstance(value, str) else value if isinstance(value, list) else None
    if parts is None or not all(isinstance(part, str) for part in parts):
        return ()
    return tuple(part.strip() for part in parts if part.strip())


def file_sha1(path: Path) -> str:
    digest = hashlib.sha1(usedforsecurity=False)  # Wagtail's Document.file_hash is SHA-1; not used for security
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _text(data: dict, key: str, reasons: list[str], label: str, limit: int, required: bool = False) -> str:
    """The text of field ``key`` (a number is taken as its digits); problems are added to ``reasons``."""
    value = data.get(key)
    if isinstance(value, bool) or not isinstance(value, str | int | None):
        reasons.append(_("%(label)s（%(key)s）应是文字") % {"label": label, "key": key})
        return ""
    text = "" if value is None else str(value).strip()
    if required and not text:
        reasons.append(_("缺少%(label)s（%(key)s）") % {"label": label, "key": key})
    if len(text) > limit:
        reasons.append(_("%(label)s（%(key)s）超过 %(limit)s 个字符") % {"label": label, "key": key, "limit": limit})
    return text


def _attachments(value, base_dir: Path, reasons: list[str]) -> tuple[Attachment, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        reasons.append(_("附件（attachments）应是文件路径的列表"))
        return ()
    found = []
    for entry in value:
        name, title = (entry.get("path"), entry.get("title")) if isinstance(entry, dict) else (entry, None)
        if not isinstance(name, str) or not name.strip() or not isinstance(title, str | None):
            reasons.append(_("附件（attachments）中的每一项应是文件路径，或带 path 和 title 的对象"))
            continue
        path = Path(os.path.expanduser(name.strip()))
        path = path if path.is_absolute() else base_dir / path
        if not path.is_file():
            reasons.append(_("附件文件不存在：%(path)s") % {"path": path})
            continue
        try:
            # The same content check as an upload in the admin (GB/T 22239-2019 8.1.4.4): an old site's files
            # are not trusted by their names either.
            with path.open("rb") as handle:
                file_type = validate_upload(handle, "document")
            digest = file_sha1(path)
        except ValidationError as error:
            reasons.append(_("附件 %(path)s：%(error)s") % {"path": path, "error": "；".join(error.messages)})
            continue
        except OSError as error:
            reasons.append(_("附件文件无法读取：%(path)s（%(error)s）") % {"path": path, "error": error.strerror})
            continue
        title = (title or "").strip() or path.stem
        found.append(Attachment(path=path, title=title, sha1=digest, stored_name=safe_filename(path.name, file_type)))
    return tuple(found)


def content_hash(item: ImportItem) -> str:
    """A stable digest of everything the import writes for ``item`` (the file bytes of attachments included)."""
    data = {
        "format": IMPORT_FORMAT,
        "type": item.page_type.__name__,  # news and notice are the same page
        "title": item.title,
        "body": item.body,
        "published_at": item.published_at.astimezone(LEGACY_TZ).isoformat(),
        "column": list(item.column),
        "source": item.source,
        "author": item.author,
        "document_number": item.document_number,
        "written_date": item.written_date.isoformat() if item.written_date else "",
        "attachments": [[a.title, a.sha1] for a in item.attachments],
    }
    return hashlib.sha256(json.dumps(data, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def parse_line(raw: bytes | str, line_no: int, base_dir: Path) -> ImportItem | None:
    """Check one line of the file; ``None`` for a blank line, ``LineError`` with every problem found."""
    if isinstance(raw, bytes):
        try:
            raw = raw.decode("utf-8-sig" if line_no == 1 else "utf-8")
        except UnicodeDecodeError as error:
            raise LineError(_("这一行不是 UTF-8 编码，请把文件另存为 UTF-8")) from error
    if not raw.strip():
        return None
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as error:
        raise LineError(_("不是有效的 JSON（第 %(column)s 个字符处）") % {"column": error.colno}) from error
    if not isinstance(data, dict):
        raise LineError(_("每一行应是一个 JSON 对象，即 {…}"))

    reasons: list[str] = []
    # Labels are lazy: translated only for a line that has a problem (most lines have none).
    source_id = _text(data, "source_id", reasons, gettext_lazy("导入编号"), SHORT_TEXT_MAX, required=True)
    title = _text(data, "title", reasons, gettext_lazy("标题"), TITLE_MAX, required=True)
    source = _text(data, "source", reasons, gettext_lazy("来源"), SHORT_TEXT_MAX)
    author = _text(data, "author", reasons, gettext_lazy("作者"), SHORT_TEXT_MAX)
    document_number = _text(data, "document_number", reasons, gettext_lazy("文号"), SHORT_TEXT_MAX)

    kind = data.get("type") or "news"
    page_type = PAGE_TYPES.get(kind.strip().lower()) if isinstance(kind, str) else None
    if page_type is None:
        reasons.append(_("类型（type）“%(type)s”未知，应为 news、notice 或 policy") % {"type": kind})

    published_at = None
    raw_date = data.get("published_at")
    if raw_date is None or raw_date == "":
        reasons.append(_("缺少发布时间（published_at）"))
    else:
        try:
            published_at = parse_datetime(raw_date)
        except (TypeError, ValueError):
            reasons.append(
                _("发布时间（published_at）“%(value)s”无法识别，应形如 2015-03-02 或 2015-03-02 10:30:00")
                % {"value": raw_date}
            )

    written_date = None
    raw_written = data.get("written_date")
    if raw_written is not None and raw_written != "":
        try:
            written_date = parse_datetime(raw_written).date()
        except (TypeError, ValueError):
            reasons.append(_("成文日期（written_date）“%(value)s”无法识别，应形如 2015-02-27") % {"value": raw_written})
    if (document_number or raw_written) and page_type is not None and page_type is not PolicyPage:
        reasons.append(_("文号和成文日期只用于政策文件：请把类型（type）设为 policy，或删去这两项"))

    column = parse_column(data.get("column"))
    if not column:
        reasons.append(_("缺少栏目（column），应形如“信息公开/政策文件”"))

    attachments = _attachments(data.get("attachments"), base_dir, reasons)

    body = data.get("body")
    if body is not None and not isinstance(body, str):
        reasons.append(_("正文（body）应是文字或 HTML"))
        body = ""
    body = body_to_html(body or "")
    if not body:
        if attachments:
            body = f"<p>{escape(_('详见附件。'))}</p>"
        else:
            reasons.append(_("正文（body）为空，而且没有附件"))

    if reasons:
        raise LineError(*reasons)
    item = ImportItem(
        line_no=line_no,
        source_id=source_id,
        title=title,
        body=body,
        published_at=published_at,
        column=column,
        page_type=page_type,
        source=source,
        author=author,
        document_number=document_number,
        written_date=written_date,
        attachments=attachments,
    )
    return replace(item, content_hash=content_hash(item))


# --- Writing pages -------------------------------------------------------------


def find_site(host: str) -> Site:
    """The site named by ``--site``: a host name, or ``host:port`` when one host has several ports."""
    hostname, _sep, port = host.strip().lower().partition(":")
    sites = Site.objects.filter(hostname__iexact=hostname).select_related("root_page")
    if port.isdigit():
        sites = sites.filter(port=int(port))
    sites = list(sites)
    if len(sites) == 1:
        return sites[0]
    known = [f"{s.hostname}:{s.port}" if s.port != 80 else s.hostname for s in Site.objects.order_by("hostname")]
    if not sites:
        raise LookupError(
            _("没有主机名为 %(host)s 的站点。已有的站点：%(known)s")
            % {"host": host, "known": "、".join(known) or _("（无）")}
        )
    raise LookupError(
        _("主机名 %(host)s 有多个站点，请写明端口，如 %(example)s")
        % {"host": host, "example": f"{sites[0].hostname}:{sites[0].port}"}
    )


def short_hash(text: str, length: int = 8) -> str:
    return hashlib.sha1(text.encode(), usedforsecurity=False).hexdigest()[:length]  # a name, not security


def item_slug(source_id: str) -> str:
    """The page slug of an item: its legacy id when that is ASCII, else ``item-<hash>``."""
    return slugify(source_id)[:SLUG_MAX].strip("-_") or f"item-{short_hash(source_id, 10)}"


def publish_new(parent: Page, page: Page) -> Page:
    """Add ``page`` under ``parent`` and publish it, leaving it as Wagtail's publish would: live, one revision.

    Wagtail's own path (add the page, save a revision, publish the revision) writes the page three
    times and validates every field twice; a new page has nothing to compare, schedule or cancel,
    so here it is added as a draft (which Wagtail validates for title and slug only: the importer
    has checked the rest), given its revision and made live in one update. The log entries and the
    ``page_published`` signal (search indexing listens to it) are the same. Dates already set on
    ``page`` (the legacy ones) are kept.
    """
    now = timezone.now()
    page.live = False
    page.has_unpublished_changes = True
    page.draft_title = page.title
    parent.add_child(instance=page)  # logs wagtail.create
    published_fields = {
        "live": True,
        "has_unpublished_changes": False,
        "first_published_at": page.first_published_at or now,
        "last_published_at": page.last_published_at or page.first_published_at or now,
    }
    for name, value in published_fields.items():
        setattr(page, name, value)
    revision = Revision.objects.create(
        content_object=page,
        base_content_type=page.get_base_content_type(),
        content=page.serializable_data(),
        object_str=str(page),
    )
    page.latest_revision = page.live_revision = revision
    page.latest_revision_created_at = revision.created_at
    Page.objects.filter(pk=page.pk).update(
        **published_fields,
        latest_revision=revision,
        live_revision=revision,
        latest_revision_created_at=revision.created_at,
    )
    log(instance=page, action="wagtail.publish", revision=revision, content_changed=True)
    page_published.send(sender=type(page), instance=page, revision=revision)
    published.send(sender=type(page), instance=page, revision=revision)
    return page


class ColumnResolver:
    """Finds the column at a path of titles or slugs below a site's home page, creating what is missing.

    Missing intermediate levels become sections (版块), the last level a column (栏目); they are
    published, with an ASCII slug (``col-<hash>`` for a Chinese title) unique among their siblings.
    Pages looked up once are kept, so a file of many items in few columns asks the database once
    per column. In a dry run, missing pages are planned (unsaved) instead of created.
    """

    PARENT_TYPES = (PortalHomePage, SectionPage, DepartmentPage)

    def __init__(self, home: Page, *, dry_run: bool = False):
        self.home = home
        self.dry_run = dry_run
        self.created: list[tuple[str, str]] = []  # (path, kind) of the sections and columns made
        self.created_pages: list[Page] = []  # the same pages (not in a dry run), e.g. for indexing
        self._slugs: dict[object, set[str]] = {}
        self.reset()

    def reset(self, *, keep_slugs: bool = False) -> None:
        """Forget everything looked up (after a rolled-back line, whose pages no longer exist).

        ``keep_slugs`` keeps the slugs taken so far: pages of this batch that are still to be written
        hold them. A slug of a rolled-back page stays taken, which only means the next one skips it.
        """
        self._children: dict[object, list[Page]] = {}
        self._columns: dict[tuple[str, ...], ColumnPage] = {}
        if not keep_slugs:
            self._slugs = {}
        self.home.refresh_from_db(fields=["numchild"])

    def forget_created_since(self, count: int) -> None:
        """The sections and columns made after the first ``count`` were rolled back."""
        del self.created[count:]
        del self.created_pages[count:]  # in step with ``created`` (empty in a dry run)

    @staticmethod
    def _key(page: Page) -> object:
        return page.pk if page.pk else ("planned", id(page))

    def children(self, parent: Page) -> list[Page]:
        key = self._key(parent)
        if key not in self._children:
            self._children[key] = list(parent.get_children().specific()) if parent.pk else []
        return self._children[key]

    def slugs(self, parent: Page) -> set[str]:
        """Slugs in use under ``parent`` (loaded once, kept up to date by this import)."""
        key = self._key(parent)
        if key not in self._slugs:
            self._slugs[key] = set(Page.objects.child_of(parent).values_list("slug", flat=True)) if parent.pk else set()
        return self._slugs[key]

    def known(self, path: tuple[str, ...]) -> bool:
        """The column at ``path`` was found or made already (``resolve`` will not query or write)."""
        return path in self._columns

    def resolve(self, path: tuple[str, ...]) -> ColumnPage:
        if path in self._columns:
            return self._columns[path]
        node: Page = self.home
        for depth, name in enumerate(path):
            last = depth == len(path) - 1
            shown = "/".join(path[: depth + 1])
            child = self._find(node, name)
            if child is None:
                child = self._create(node, name, ColumnPage if last else SectionPage, shown)
            elif last and not isinstance(child, ColumnPage):
                raise LineError(
                    _("栏目路径“%(path)s”指向的是%(kind)s，不是栏目")
                    % {"path": shown, "kind": child._meta.verbose_name}
                )
            elif not last and not isinstance(child, self.PARENT_TYPES):
                raise LineError(
                    _("栏目路径“%(path)s”是%(kind)s，下面不能再放栏目")
                    % {"path": shown, "kind": child._meta.verbose_name}
                )
            node = child
        self._columns[path] = node
        return node

    def _find(self, parent: Page, name: str) -> Page | None:
        children = self.children(parent)
        by_title = next((c for c in children if c.title.strip() == name), None)
        return by_title or next((c for c in children if c.slug == name), None)

    def _create(self, parent: Page, name: str, page_type: type[Page], shown: str) -> Page:
        if not page_type.can_exist_under(parent):
            raise LineError(
                _("栏目路径“%(path)s”：%(parent)s“%(title)s”下面不能新建%(kind)s")
                % {
                    "path": shown,
                    "parent": parent._meta.verbose_name,
                    "title": parent.title,
                    "kind": page_type._meta.verbose_name,
                }
            )
        if len(name) > TITLE_MAX:
            raise LineError(_("栏目名称“%(name)s…”太长") % {"name": name[:20]})
        prefix = "col" if page_type is ColumnPage else "sec"
        candidate = slugify(name)[:SLUG_MAX].strip("-_") or f"{prefix}-{short_hash(shown)}"
        taken = self.slugs(parent)
        page = page_type(title=name, slug=unique_slug(candidate, taken))
        if not self.dry_run:
            publish_new(parent, page)
            self.created_pages.append(page)
        taken.add(page.slug)
        self.children(parent).append(page)
        self.created.append((shown, str(page_type._meta.verbose_name)))
        return page

    def numchild_changed(self, *pks: int) -> None:
        """Pages moved in or out of these pages: reload their child counts (treebeard adds by them)."""
        for pages in self._children.values():
            for page in pages:
                if page.pk in pks:
                    page.refresh_from_db(fields=["numchild"])
        if self.home.pk in pks:
            self.home.refresh_from_db(fields=["numchild"])


@dataclass(frozen=True)
class Existing:
    """What the site already holds for one source_id."""

    page_id: int
    content_type_id: int
    content_hash: str = ""  # empty: a page with this source_id but no import record


class SiteImporter:
    """Writes checked items into one site, a batch at a time (``write_batch``).

    The existing items are read once (the import records of the site, and pages under its home
    with a source_id but no record), so an unchanged line costs a dictionary lookup, no query.
    New items are added together (``bulk.add_published_pages``), changed ones through Wagtail's
    own revision and publish, one by one; both search indexes are updated once per batch.
    """

    def __init__(self, site: Site, *, dry_run: bool = False):
        self.site = site
        self.home = site.root_page.specific
        self.dry_run = dry_run
        self.columns = ColumnResolver(self.home, dry_run=dry_run)
        self._documents: dict[str, object] = {}
        self.existing: dict[str, Existing] = {
            source_id: Existing(page_id, content_type_id)
            for source_id, page_id, content_type_id in ArticlePage.objects.descendant_of(self.home)
            .exclude(source_id="")
            .values_list("source_id", "pk", "content_type_id")
        }
        for source_id, page_id, content_type_id, digest in ImportRecord.objects.filter(site=site).values_list(
            "source_id", "page_id", "page__content_type_id", "content_hash"
        ):
            self.existing[source_id] = Existing(page_id, content_type_id, digest)

    def reset(self, *, keep_slugs: bool = False) -> None:
        """Forget cached pages and documents after a line was rolled back."""
        self.columns.reset(keep_slugs=keep_slugs)
        self._documents.clear()

    def write_batch(self, items: list[ImportItem]) -> ImportReport:
        """Write a batch of checked items in one transaction; returns what it did.

        Each item is a savepoint of its own (its column, attachments, or its update), so an item that
        fails is reported and the others land. New items are then inserted together; should that
        fail (a database error on one of them), the whole batch is rolled back and written again
        one item per savepoint, which finds the item at fault and keeps the others.
        """
        if self.dry_run:
            with transaction.atomic():
                report, _known = self._write(items, together=False)
            return report
        created_before = len(self.columns.created)
        try:
            with transaction.atomic(), bulk.per_page_indexing_suspended(PAGE_MODELS):
                report, known = self._write(items, together=True)
        except Exception:
            logger.warning("Batch insert failed; writing the batch again line by line", exc_info=True)
            self.columns.forget_created_since(created_before)
            self.reset()
            with transaction.atomic(), bulk.per_page_indexing_suspended(PAGE_MODELS):
                report, known = self._write(items, together=False)
        self.existing.update(known)  # only now: a rolled-back batch must not count as imported
        return report

    def _write(self, items: list[ImportItem], *, together: bool) -> tuple[ImportReport, dict[str, Existing]]:
        report = ImportReport()
        known: dict[str, Existing] = {}
        pending: list[tuple[ImportItem, NewPage]] = []
        changed: list[tuple[ImportItem, ChangedPage]] = []
        written: list[Page] = []
        columns_before = len(self.columns.created_pages)
        for item in items:
            existing = self.existing.get(item.source_id)
            if existing and existing.content_hash == item.content_hash:
                report.unchanged += 1
                continue
            created_before = len(self.columns.created)
            # A line that only plans a new page in a known column writes nothing yet: no savepoint needed.
            writes = existing or item.attachments or not together or not self.columns.known(item.column)
            try:
                with transaction.atomic() if writes else nullcontext():
                    outcome, result = self._write_one(item, existing)
                    if isinstance(result, NewPage) and not together:
                        result = self._add_new([(item, result)], known)[0]
                    if isinstance(result, ChangedPage) and not together:
                        result = bulk.publish_changed_pages([result])[0]
                    if isinstance(result, Page) and not together:
                        bulk.index_pages([result, *self.columns.created_pages[columns_before:]])
                        columns_before = len(self.columns.created_pages)
            except Exception as error:  # one broken line must not stop thousands of good ones
                report.errors.append((item.line_no, _failure(error)))
                # The line's savepoint is rolled back: pages it made no longer exist.
                self.columns.forget_created_since(created_before)
                self.reset(keep_slugs=together)
                continue
            setattr(report, outcome, getattr(report, outcome) + 1)
            if isinstance(result, NewPage):
                pending.append((item, result))
            elif isinstance(result, ChangedPage):
                changed.append((item, result))
            elif isinstance(result, Page):
                written.append(result)
                known[item.source_id] = Existing(result.pk, result.content_type_id, item.content_hash)
                report.page_ids.append(result.pk)
        if together:
            published = bulk.publish_changed_pages([change for _item, change in changed])
            for (item, _change), page in zip(changed, published, strict=True):
                known[item.source_id] = Existing(page.pk, page.content_type_id, item.content_hash)
            added = self._add_new(pending, known)
            written += published + added
            report.page_ids += [page.pk for page in published + added]
            bulk.index_pages([*written, *self.columns.created_pages[columns_before:]])
        return report, known

    def _write_one(
        self, item: ImportItem, existing: Existing | None
    ) -> tuple[str, Page | NewPage | ChangedPage | None]:
        """``"created"`` or ``"updated"``, with the change still to be written or the page (``None`` in a dry run)."""
        if existing:
            current = ContentType.objects.get_for_id(existing.content_type_id).model_class()
            if current is not item.page_type:
                raise LineError(
                    _("这条信息已导入为“%(old)s”，不能改为“%(new)s”；如确需改变类型，请先在管理后台删除原页面")
                    % {"old": current._meta.verbose_name, "new": item.page_type._meta.verbose_name}
                )
        column = self.columns.resolve(item.column)
        if self.dry_run:
            return ("updated" if existing else "created"), None
        if not existing:
            return "created", self._new_page(item, column)
        page = item.page_type.objects.get(pk=existing.page_id)
        parent_id = Page.objects.filter(path=page.path[: -page.steplen]).values_list("pk", flat=True).first()
        if parent_id != column.pk or Page.objects.filter(alias_of=page).exists():
            # Moving, and bringing aliases (accepted submissions) up to date, are Wagtail's own.
            result: Page | ChangedPage = self._update(item, page, parent_id, column)
        else:
            for name, value in self._fields(item).items():
                setattr(page, name, value)
            # Lists and feeds show the legacy date, not the moment of this import.
            page.first_published_at = page.last_published_at = item.published_at
            result = ChangedPage(page, {"attachments": self._attachments(item)})
        record_fields = {"page_id": page.pk, "content_hash": item.content_hash, "imported_at": timezone.now()}
        if existing.content_hash:
            ImportRecord.objects.filter(site=self.site, source_id=item.source_id).update(**record_fields)
        else:
            ImportRecord.objects.create(site=self.site, source_id=item.source_id, **record_fields)
        return "updated", result

    def _add_new(self, pending: list[tuple[ImportItem, NewPage]], known: dict[str, Existing]) -> list[Page]:
        """Add the new pages and their import records."""
        pages = bulk.add_published_pages([new for _item, new in pending])
        now = timezone.now()
        bulk.insert_rows(
            [
                ImportRecord(
                    site=self.site, source_id=item.source_id, page=page, content_hash=item.content_hash, imported_at=now
                )
                for (item, _new), page in zip(pending, pages, strict=True)
            ]
        )
        for (item, _new), page in zip(pending, pages, strict=True):
            known[item.source_id] = Existing(page.pk, page.content_type_id, item.content_hash)
        self.columns.numchild_changed(*{new.parent.pk for _item, new in pending})
        return pages

    def _fields(self, item: ImportItem) -> dict:
        fields = {
            "title": item.title,
            "draft_title": item.title,
            "source_id": item.source_id,
            "body": item.body,
            "published_date": item.published_at,
            "source": item.source,
            "author": item.author,
        }
        if item.page_type is PolicyPage:
            fields.update(document_number=item.document_number, written_date=item.written_date)
        return fields

    def _attachments(self, item: ImportItem) -> list[ArticleAttachment]:
        return [ArticleAttachment(document=self._document(a), title=a.title) for a in item.attachments]

    def _document(self, attachment: Attachment):
        """The Wagtail document holding this file: reused when the same bytes are already in the root collection.

        Only the root collection (where imported files go): a copy an editor keeps in a restricted
        collection must not become the public attachment.
        """
        if attachment.sha1 not in self._documents:
            Document = get_document_model()
            root = Collection.get_first_root_node()
            document = Document.objects.filter(file_hash=attachment.sha1, collection=root).order_by("pk").first()
            if document is None:
                with attachment.path.open("rb") as handle:
                    document = Document(
                        title=attachment.title, collection=root, file=File(handle, name=attachment.stored_name)
                    )
                    document._set_document_file_metadata()
                    document.save()
            self._documents[attachment.sha1] = document
        return self._documents[attachment.sha1]

    def _new_page(self, item: ImportItem, column: ColumnPage) -> NewPage:
        """The page for a new item, its slug taken in the column already; written later with its batch."""
        taken = self.columns.slugs(column)
        page = item.page_type(
            slug=unique_slug(item_slug(item.source_id), taken),
            first_published_at=item.published_at,
            last_published_at=item.published_at,
            **self._fields(item),
        )
        taken.add(page.slug)
        children = {"attachments": self._attachments(item)} if item.attachments else {}
        return NewPage(parent=column, page=page, children=children)

    def _update(self, item: ImportItem, page: ArticlePage, parent_id: int | None, column: ColumnPage) -> ArticlePage:
        """A new revision of the live page with the line's values, published; moved when its column changed.

        The revision starts from the live page, not from a draft an editor may have saved since:
        the import must not publish an unreviewed draft. Fields the import does not carry (summary,
        cover image, picture set, editor) keep what editors gave them.
        """
        if parent_id != column.pk:
            taken = self.columns.slugs(column)
            if page.slug in taken:
                page.slug = unique_slug(item_slug(item.source_id), taken)
                Page.objects.filter(pk=page.pk).update(slug=page.slug)
            page.move(column, pos="last-child")
            taken.add(page.slug)
            self.columns.numchild_changed(parent_id, column.pk)
            page = item.page_type.objects.get(pk=page.pk)
        for name, value in self._fields(item).items():
            setattr(page, name, value)
        page.attachments = self._attachments(item)
        revision = page.save_revision(log_action=True)
        revision.publish(skip_permission_checks=True)
        # Lists and feeds show the legacy date, not the moment of this import.
        Page.objects.filter(pk=page.pk).update(
            first_published_at=item.published_at, last_published_at=item.published_at
        )
        page.first_published_at = page.last_published_at = item.published_at
        return page


def _failure(error: Exception) -> str:
    """The reason shown for a line that could not be written."""
    if isinstance(error, LineError):
        return str(error)
    return _("写入失败：%(error)s") % {"error": f"{type(error).__name__}: {error}"}


# --- A whole file ---------------------------------------------------------------


@dataclass
class ImportReport:
    """What an import did (or, in a dry run, would do)."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)  # (line number, reason)
    columns_created: list[tuple[str, str]] = field(default_factory=list)  # (path, 版块 or 栏目)
    page_ids: list[int] = field(default_factory=list)  # created or updated, e.g. for indexing

    @property
    def failed(self) -> int:
        return len(self.errors)

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged + self.failed

    def merge(self, other: ImportReport) -> None:
        self.created += other.created
        self.updated += other.updated
        self.unchanged += other.unchanged
        self.errors += other.errors
        self.columns_created += other.columns_created
        self.page_ids += other.page_ids


def import_lines(
    lines: Iterable[bytes | str],
    site: Site,
    *,
    base_dir: Path,
    dry_run: bool = False,
    batch_size: int = BATCH_SIZE,
    on_line: Callable[[], object] | None = None,
    report: ImportReport | None = None,
) -> ImportReport:
    """Import ``lines`` (numbered from 1) into ``site``; relative attachment paths are read from ``base_dir``.

    Lines are read and checked in batches (``batch_size`` lines, or fewer when ``BATCH_SECONDS`` have
    passed); each batch is then written in one transaction (``SiteImporter.write_batch``), where a
    line that fails is reported and skipped while the others land, and the written pages are
    indexed for search before it commits. ``report`` is filled as batches commit: after an
    interruption it tells what was kept (running the same file again carries on, since unchanged
    lines are skipped). In a dry run nothing is written.
    """
    report = report if report is not None else ImportReport()
    importer = SiteImporter(site, dry_run=dry_run)
    first_line: dict[str, int] = {}
    numbered = enumerate(lines, start=1)
    finished = False
    while not finished:
        done = ImportReport()
        items: list[ImportItem] = []
        created_before = len(importer.columns.created)
        deadline = time.monotonic() + BATCH_SECONDS
        for count, (line_no, raw) in enumerate(numbered, start=1):
            item = _check_one(line_no, raw, base_dir, first_line, done)
            if item is not None:
                items.append(item)
            if on_line:
                on_line()
            if count >= batch_size or time.monotonic() >= deadline:
                break
        else:
            finished = True
        done.merge(importer.write_batch(items))
        done.errors.sort()
        done.columns_created = importer.columns.created[created_before:]
        report.merge(done)
    return report


def _check_one(line_no: int, raw, base_dir: Path, first_line: dict[str, int], done: ImportReport) -> ImportItem | None:
    """The checked item of one line, or ``None`` (blank, or its problems added to ``done``)."""
    try:
        item = parse_line(raw, line_no, base_dir)
        if item is None:
            return None
        if item.source_id in first_line:
            raise LineError(
                _("导入编号（source_id）“%(id)s”与第 %(line)s 行重复")
                % {"id": item.source_id, "line": first_line[item.source_id]}
            )
        first_line[item.source_id] = line_no
    except LineError as error:
        done.errors.append((line_no, str(error)))
        return None
    return item


def count_lines(path: Path) -> int:
    """Number of lines in ``path`` (for the progress bar), read in blocks."""
    count, last = 0, b"\n"
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            count += block.count(b"\n")
            last = block[-1:]
    return count + (last != b"\n")


def import_file(path: Path, site: Site, **options) -> ImportReport:
    """Import a JSON Lines file; see ``import_lines`` for the options."""
    with path.open("rb") as handle:
        return import_lines(handle, site, base_dir=path.parent, **options)
