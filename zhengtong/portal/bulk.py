"""Adding many new published pages at once, leaving each as Wagtail's own "add, then publish" would.

Used by the legacy import (``importer.py``), where a county brings tens of thousands of items in one
command. Wagtail's per-page path (treebeard ``add_child``, a full save, a revision, two log entries,
post_save handlers that each queue a background job) costs several milliseconds a page; here a batch
of new pages costs a few statements per table:

- tree paths are given as treebeard's ``add_child`` gives them (after the parent's last child, with
  the parent row locked as treebeard locks it) and each parent's ``numchild`` is raised once;
- the ``Page`` rows go in with ``bulk_create`` (which returns the new keys on SQLite ≥ 3.35 and
  PostgreSQL), the rows of the subclass tables (``ArticlePage``, ``PolicyPage``) with the insert
  ``Model.save()`` itself uses, many rows per statement (see ``_insert_own_rows``);
- child objects (attachments), revisions and the ``wagtail.create`` and ``wagtail.publish`` log
  entries go in with ``bulk_create``; the pages then point at their revision.

As Django's bulk operations, it sends no per-page signals (``post_save``, ``page_published``,
``published``): their receivers each cost a write per page (a queued job, a page-cache
generation), which is most of Wagtail's cost. What they do is done here once for the batch: the
publication date (``portal.signals.fill_publication_date``), one new page-cache generation
(``core.pagecache``), the reference index for pages with child objects. The search indexes are the
caller's: ``index_pages`` puts a batch into both in one go, in the transaction that wrote it, so no
page is left out of search. ``test_bulk.py`` fails when a new receiver of ``page_published``
appears, so that it is handled here too.

Validation is also the caller's: every value must have been checked (as ``importer.parse_line`` does).
"""

from __future__ import annotations

import logging
import threading
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.db import connections, models, router
from django.db.models import CharField, F, OuterRef, Subquery, Value
from django.db.models.functions import Cast
from django.db.models.signals import post_save
from django.utils import timezone
from treebeard.exceptions import PathOverflow
from wagtail.log_actions import get_active_log_context
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.signals import page_published

from zhengtong.core import pagecache
from zhengtong.portal.models import ArticlePage

logger = logging.getLogger(__name__)


@dataclass
class NewPage:
    """A page to add under ``parent``: unsaved, of its specific type, with title, slug and content set.

    ``children`` holds unsaved objects of its child relations by relation name (``attachments``);
    relations not named are empty. ``first_published_at``/``last_published_at`` already set on the
    page are kept (an import's legacy dates); otherwise they are the moment of writing.
    """

    parent: Page
    page: Page
    children: dict[str, list[models.Model]] = field(default_factory=dict)


@dataclass
class ChangedPage:
    """An existing page as loaded, with new field values set; ``children`` replace the rows of the
    relations they name (others are kept)."""

    page: Page
    children: dict[str, list[models.Model]] = field(default_factory=dict)


def add_published_pages(new_pages: Sequence[NewPage]) -> list[Page]:
    """Add the pages under their parents, live, each with one revision; returns them, saved, in order.

    Siblings are appended after the parent's existing children in the order given. Every statement
    runs in the caller's transaction: on an error nothing of the batch should be kept, so call this
    inside ``transaction.atomic()``.
    """
    if not new_pages:
        return []
    if not connections[router.db_for_write(Page)].features.can_return_rows_from_bulk_insert:
        raise NotImplementedError("bulk page creation needs INSERT … RETURNING (SQLite ≥ 3.35, PostgreSQL)")
    now = timezone.now()
    parents = _place_in_tree(new_pages)
    pages = [new.page for new in new_pages]
    for page in pages:
        page.live = True
        page.has_unpublished_changes = False
        page.draft_title = page.title
        page.first_published_at = page.first_published_at or now
        page.last_published_at = page.last_published_at or page.first_published_at
        if isinstance(page, ArticlePage) and page.published_date is None:
            page.published_date = page.first_published_at  # as portal.signals.fill_publication_date
        page.latest_revision_created_at = None  # as in the revision Wagtail stores for a new page

    Page.objects.bulk_create(pages)
    _insert_own_rows(pages)
    _add_children(new_pages)

    revisions = _add_revisions(pages, now)
    _log(pages, revisions, "wagtail.create", now)
    for parent, added in parents:
        Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + added)

    for new in new_pages:
        if new.children:
            # Wagtail queues this job on every save; only pages with child objects can refer to
            # anything (the imported body holds plain links), so the rest have nothing to record.
            ReferenceIndex.create_or_update_for_object(new.page)
    pagecache.content_changed()
    return pages


def publish_changed_pages(changes: Sequence[ChangedPage]) -> list[Page]:
    """Publish new content of existing pages, as ``save_revision()`` then ``publish()`` would.

    The pages stay where they are (move them first). Each gets a revision, ``wagtail.edit`` and
    ``wagtail.publish`` log entries, and its rows rewritten except the tree fields (which an add or
    move elsewhere could change meanwhile). Pages with aliases need Wagtail's own publish, which
    brings the aliases up to date: not these.
    """
    if not changes:
        return []
    now = timezone.now()
    pages = [change.page for change in changes]
    for page in pages:
        page.live = True
        page.expired = False
        page.has_unpublished_changes = False
        page.draft_title = page.title
        page.last_published_at = page.last_published_at or now
    _replace_children(changes)
    revisions = _add_revisions(pages, now)
    for page in pages:
        model = type(page)._meta.concrete_model
        for table in [*reversed(model._meta.get_parent_list()), model]:
            values = {
                f.attname: getattr(page, f.attname)
                for f in table._meta.local_concrete_fields
                if not f.primary_key and not f.generated and f.name not in TREE_FIELDS
            }
            table._base_manager.filter(pk=page.pk).update(**values)
    _log(pages, revisions, "wagtail.edit", now)
    for page in pages:
        ReferenceIndex.create_or_update_for_object(page)  # attachments may have gone as well as come
    pagecache.content_changed()
    return pages


# Kept by an update: they place the page in the tree, and an add or move elsewhere may change them.
TREE_FIELDS = {"path", "depth", "numchild", "url_path", "slug"}


def _add_revisions(pages: Sequence[Page], now) -> list[Revision]:
    """One revision of each page as it is now, made its latest and live revision."""
    base_type = ContentType.objects.get_for_model(Page)
    for page in pages:
        # The revision holds the page as it was before pointing at it, as Wagtail's save_revision stores it.
        page.latest_revision_created_at = page.latest_revision_created_at if page.latest_revision_id else None
    contents = [page.serializable_data() for page in pages]
    content_field = Revision._meta.get_field("content")
    revisions = Revision.objects.bulk_create(
        Revision(
            content_type_id=page.content_type_id,
            base_content_type=base_type,
            object_id=str(page.pk),
            created_at=now,
            object_str=str(page),
            # An expression, so that PostgreSQL gets the rows as a VALUES list: Django otherwise sends
            # each column as one array (INSERT … FROM UNNEST), and psycopg quotes every element of a
            # text array in Python, one regular-expression replacement per quote and backslash. The
            # JSON of a revision (Chinese as \uXXXX escapes) has a thousand or more: 0.8 ms a row,
            # against 0.1 ms with VALUES. The stored JSON is the same.
            content=Value(content, output_field=content_field),
        )
        for page, content in zip(pages, contents, strict=True)
    )
    for page, revision, content in zip(pages, revisions, contents, strict=True):
        revision.content = content
        page.latest_revision = page.live_revision = revision
        page.latest_revision_created_at = now
    # One statement for the batch (bulk_update's CASE over every page costs more than the inserts).
    own_revision = Subquery(
        Revision.objects.filter(base_content_type=base_type, object_id=Cast(OuterRef("pk"), CharField()))
        .order_by("-pk")
        .values("pk")[:1]
    )
    Page.objects.filter(pk__in=[page.pk for page in pages]).update(
        latest_revision_id=own_revision, live_revision_id=own_revision, latest_revision_created_at=now
    )
    return revisions


def _log(pages: Sequence[Page], revisions: Sequence[Revision], first_action: str, now) -> None:
    """``first_action`` (wagtail.create or wagtail.edit) and wagtail.publish for each page, as Wagtail logs them."""
    context = get_active_log_context()  # the user and action id of the caller, as wagtail.log_actions.log
    user_id = getattr(context.user, "pk", None)
    entries = []
    for page, revision in zip(pages, revisions, strict=True):
        common = {
            "page_id": page.pk,
            "content_type_id": page.content_type_id,
            "label": page.get_admin_display_title(),
            "timestamp": now,
            "data": {},
            "user_id": user_id,
            "uuid": context.uuid,
            "content_changed": True,
        }
        first_revision = revision.pk if first_action == "wagtail.edit" else None
        entries.append(PageLogEntry(action=first_action, revision_id=first_revision, **common))
        entries.append(PageLogEntry(action="wagtail.publish", revision_id=revision.pk, **common))
    insert_rows(entries)


def insert_rows(objs: Sequence[models.Model]) -> None:
    """Insert new objects of one model whose keys are not needed afterwards: ``bulk_create`` made cheap.

    ``bulk_create`` compiles every value of every row through the ORM's insert compiler (about
    0.1 ms a row for a log entry, two log entries a page); here each value is prepared as that
    compiler prepares it (``pre_save``, then ``get_db_prep_save``) and the rows go to the driver
    in one ``executemany``. No keys are read back, so ``objs`` keep ``pk`` None.
    """
    if not objs:
        return
    model = type(objs[0])
    using = router.db_for_write(model)
    connection = connections[using]
    fields = [f for f in model._meta.concrete_fields if not f.primary_key and not f.generated]
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    rows = [[f.get_db_prep_save(f.pre_save(obj, True), connection) for f in fields] for obj in objs]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({placeholders})",  # noqa: S608 - names from the model  # nosec B608
            rows,
        )


def _place_in_tree(new_pages: Sequence[NewPage]) -> list[tuple[Page, int]]:
    """Give each page its path, depth, URL path and locale; returns (parent, pages added) pairs."""
    by_parent: dict[int, list[NewPage]] = {}
    for new in new_pages:
        by_parent.setdefault(new.parent.pk, []).append(new)
    placed = []
    max_length = Page._meta.get_field("path").max_length
    for parent_id, group in by_parent.items():
        # Locked as treebeard's add_child locks it, so a concurrent add_child (an editor) waits on PostgreSQL.
        parent = (
            Page.objects.select_for_update().only("path", "depth", "numchild", "url_path", "locale").get(pk=parent_id)
        )
        last = (
            Page.objects.filter(depth=parent.depth + 1, path__range=Page._get_children_path_interval(parent.path))
            .order_by("-path")
            .values_list("path", flat=True)
            .first()
        )
        position = Page._str2int(last[-Page.steplen :]) if last else 0
        depth = parent.depth + 1
        for new in group:
            position += 1
            if len(Page._int2str(position)) > Page.steplen or len(parent.path) + Page.steplen > max_length:
                raise PathOverflow(f"no room for another child under page {parent_id}")
            page = new.page
            page.depth = depth
            page.path = Page._get_path(parent.path, depth, position)
            page.numchild = 0
            page.locale_id = parent.locale_id  # as Page.get_default_locale: the parent's
            page.set_url_path(parent)
        for new in group:
            new.parent.numchild = parent.numchild + len(group)  # callers may keep using their copy
        placed.append((parent, len(group)))
    return placed


def _insert_own_rows(pages: Sequence[Page]) -> None:
    """The rows of the subclass tables, parents' tables first, once the ``Page`` rows have their keys.

    Django's ``bulk_create`` refuses multi-table inheritance because it would have to insert each
    parent's row and carry its key down, which not every database can do in bulk. Here the ``Page``
    rows are in already, so what is left for each subclass table is exactly what ``Model.save()``
    does for one table (``Model._do_insert`` → ``Manager._insert``, with each field's ``pre_save``),
    given many rows at once and split as ``bulk_create`` splits them.
    """
    by_table: dict[type[models.Model], list[Page]] = {}
    for page in pages:
        key = getattr(page, Page._meta.pk.attname)  # set by bulk_create; ``pk`` of a subclass is its link
        concrete = type(page)._meta.concrete_model
        chain = [m for m in reversed(concrete._meta.get_parent_list()) if m is not Page] + [concrete]
        for model in chain:
            setattr(page, model._meta.pk.attname, key)
            by_table.setdefault(model, []).append(page)
    # Parents before children: a child row's key refers to its parent's row.
    for model in sorted(by_table, key=lambda m: len(m._meta.get_parent_list())):
        rows = by_table[model]
        fields = [f for f in model._meta.local_concrete_fields if not f.generated]
        using = router.db_for_write(model)
        size = connections[using].ops.bulk_batch_size(fields, rows) or len(rows)
        for start in range(0, len(rows), size):
            model._base_manager._insert(rows[start : start + size], fields=fields, using=using)


def _replace_children(changes: Sequence[ChangedPage]) -> None:
    """Delete the rows of each relation named in ``children``, then add the new ones."""
    for change in changes:
        for name in change.children:
            getattr(change.page, name).model._base_manager.filter(
                **{change.page._meta.get_field(name).field.attname: change.page.pk}
            ).delete()
    _add_children(changes, new=False)


def _add_children(new_pages: Sequence[NewPage | ChangedPage], *, new: bool = True) -> None:
    """Insert child objects pointing at their page (in list order, as modelcluster orders them) and
    attach them in memory, so the revision's content is built without a query. A ``new`` page has
    no rows in the relations not named; an existing page keeps them (read when serialised)."""
    by_model: dict[type[models.Model], list[models.Model]] = {}
    for change in new_pages:
        for relation in _child_relations(type(change.page)):
            name = relation.get_accessor_name()
            if not new and name not in change.children:
                continue
            children = change.children.get(name, [])
            for position, child in enumerate(children):
                setattr(child, relation.field.attname, change.page.pk)
                sort_field = getattr(child, "sort_order_field", None)
                if sort_field:
                    setattr(child, sort_field, position)
                by_model.setdefault(type(child), []).append(child)
            setattr(change.page, name, children)
    for model, children in by_model.items():
        model.objects.bulk_create(children)


_relations_cache: dict[type[models.Model], list] = {}


def _child_relations(model: type[models.Model]) -> list:
    if model not in _relations_cache:
        from modelcluster.models import get_all_child_relations

        _relations_cache[model] = get_all_child_relations(model)
    return _relations_cache[model]


# --- Search indexes -------------------------------------------------------------------------------

_suspension_lock = threading.Lock()
_suspended: Counter = Counter()


def _per_page_index_receivers(models_: Iterable[type[Page]]) -> list[tuple]:
    """(signal, receiver, sender) of the handlers that index one page, or queue a job for one, per save."""
    from modelsearch.signal_handlers import post_save_signal_handler

    from zhengtong.search import signals as site_search

    receivers = [(page_published, site_search.page_changed, None)]
    receivers += [(post_save, post_save_signal_handler, model) for model in models_]
    return receivers


@contextmanager
def per_page_indexing_suspended(page_models: Iterable[type[Page]]) -> Iterator[None]:
    """Within: publishing or saving pages of ``page_models`` neither indexes nor queues index jobs.

    For a caller that writes many pages and then indexes them together with ``index_pages`` before
    its transaction ends. Django's signal registry is per process, so while suspended the handlers
    are skipped for other threads of the process too: use it where no other thread publishes pages
    (a management command). Nested and concurrent uses are counted; the handlers are connected again
    when the last one leaves, also on an error.
    """
    receivers = _per_page_index_receivers(page_models)
    disconnected = []
    with _suspension_lock:
        for signal, receiver, sender in receivers:
            key = (signal, receiver, sender)
            if _suspended[key] == 0 and not signal.disconnect(receiver, sender=sender):
                continue  # not connected (e.g. auto-update turned off): nothing to restore
            _suspended[key] += 1
            disconnected.append(key)
    try:
        yield
    finally:
        with _suspension_lock:
            for key in disconnected:
                _suspended[key] -= 1
                if _suspended[key] == 0:
                    del _suspended[key]
                    signal, receiver, sender = key
                    signal.connect(receiver, sender=sender)


def index_pages(pages: Sequence[Page]) -> None:
    """Put ``pages`` (specific instances, as saved) into the site search and Wagtail's admin search now.

    Call it in the transaction that wrote them: the index then commits or rolls back with the pages.
    """
    if not pages:
        return
    from wagtail.search.backends import get_search_backends_with_name
    from wagtail.search.index import class_is_indexed

    from zhengtong.search.pages import update_pages

    update_pages(list(pages))
    by_model: dict[type[Page], list[Page]] = {}
    for page in pages:
        by_model.setdefault(type(page), []).append(page)
    for name, backend in get_search_backends_with_name(with_auto_update=True):
        for model, objects in by_model.items():
            if not class_is_indexed(model):
                continue
            try:
                backend.add_bulk(model, objects)
            except Exception:
                # As modelsearch's own per-save indexing: an external engine that is down must not
                # lose the import; a database backend's error is the transaction's and is raised.
                if not backend.catch_indexing_errors:
                    raise
                logger.exception("Could not add %s pages to the %r search backend", model.__name__, name)
