"""Writing to the search index. Every searchable object goes through ``index_documents``."""

import math
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from wagtail.models import Page

from zhengtong.search.analyzer import normalise
from zhengtong.search.engines import Row, engine, scope_tokens
from zhengtong.search.models import SearchDocument

# rank_key = publication second × RANK_SPAN + id mod RANK_SPAN: two documents share a key only
# when published in the same second with ids ten million apart.
RANK_SPAN = 10_000_000


UPDATED_FIELDS = (
    "site", "url", "title", "kind", "path", "published_at", "source_id", "text", "title_norm", "text_norm", "rank_key",
)  # fmt: skip


@dataclass(frozen=True)
class Indexable:
    """The plain values search stores for one object."""

    site_id: int
    url: str
    title: str
    text: str
    kind: str
    published_at: datetime | None = None
    path: str = ""
    source_id: str = ""


def content_type_of(obj) -> ContentType:
    # Pages are keyed by the base Page type, so a page indexed as PolicyPage and removed as Page is one key.
    model = Page if isinstance(obj, Page) else type(obj)
    return ContentType.objects.get_for_model(model)


def rank_key(published_at: datetime | None, document_id: int) -> int:
    seconds = math.floor(published_at.timestamp()) if published_at else 0
    return seconds * RANK_SPAN + document_id % RANK_SPAN


def row_of(document: SearchDocument) -> Row:
    """What the full-text table holds for ``document`` (recomputed from its stored values)."""
    return Row(
        rank_key=document.rank_key,
        document_id=document.pk,
        title_norm=document.title_norm,
        text_norm=document.text_norm,
        scope=tuple(scope_tokens(document.site_id, document.kind, document.path)),
    )


def index_document(obj, values: Indexable) -> SearchDocument:
    """Create or replace the search document of ``obj``."""
    return index_documents([(obj, values)])[0]


@transaction.atomic
def index_documents(items: Iterable[tuple[object, Indexable]]) -> list[SearchDocument]:
    """Create or replace the search documents of many objects in a few statements (imports, rebuilds)."""
    items = list({(content_type_of(obj).pk, str(obj.pk)): (obj, values) for obj, values in items}.items())
    if not items:
        return []
    existing: dict[tuple[int, str], SearchDocument] = {}
    for content_type_id in {key[0] for key, _ in items}:
        object_ids = [key[1] for key, _ in items if key[0] == content_type_id]
        for document in SearchDocument.objects.filter(content_type_id=content_type_id, object_id__in=object_ids):
            existing[(content_type_id, document.object_id)] = document
    old_rows = {document.pk: row_of(document) for document in existing.values() if document.rank_key is not None}

    documents, created = [], []
    for (content_type_id, object_id), (_obj, values) in items:
        document = existing.get((content_type_id, object_id)) or SearchDocument(
            content_type_id=content_type_id, object_id=object_id
        )
        document.site_id = values.site_id
        document.url = values.url
        document.title = values.title
        document.kind = values.kind
        document.path = values.path
        document.published_at = values.published_at
        document.source_id = values.source_id
        document.text = values.text
        document.title_norm = normalise(values.title)
        document.text_norm = normalise(values.text)
        if document.pk is None:
            document.rank_key = None
            created.append(document)
        documents.append(document)
    SearchDocument.objects.bulk_create(created, batch_size=500)
    table = SearchDocument._meta.db_table
    fresh = {id(d) for d in created}
    updated = [d for d in documents if id(d) not in fresh]
    # Keys change with the publication time; clear the old ones first so a swap between two
    # documents never meets the unique constraint halfway.
    SearchDocument.objects.filter(pk__in=[d.pk for d in updated]).update(rank_key=None)
    for document in documents:
        document.rank_key = rank_key(document.published_at, document.pk)
    # Plain UPDATEs by primary key: Django's bulk_update builds a CASE per field over the whole
    # batch, which costs more than the indexing itself at import sizes.
    with connection.cursor() as cursor:
        cursor.executemany(f"UPDATE {table} SET rank_key = %s WHERE id = %s", [(d.rank_key, d.pk) for d in created])  # nosec B608 - table and column names from the model, values are parameters
        fields = [SearchDocument._meta.get_field(name) for name in UPDATED_FIELDS]
        assignments = ", ".join(f"{connection.ops.quote_name(f.column)} = %s" for f in fields)
        cursor.executemany(
            f"UPDATE {table} SET {assignments} WHERE id = %s",  # nosec B608 - table and column names from the model, values are parameters
            [[f.get_db_prep_save(getattr(d, f.attname), connection) for f in fields] + [d.pk] for d in updated],
        )
    # A document whose tokens, scope and key are as before keeps its full-text row (a rebuild, a re-import).
    new_rows = [row for row in map(row_of, documents) if old_rows.get(row.document_id) != row]
    engine().write(new_rows, [old_rows[row.document_id] for row in new_rows if row.document_id in old_rows])
    return documents


def remove_document(obj) -> int:
    """Remove ``obj`` from search (unpublished, deleted, made private); returns how many documents went."""
    deleted, _ = SearchDocument.objects.filter(content_type=content_type_of(obj), object_id=str(obj.pk)).delete()
    return deleted
