"""Writing to the search index. Every searchable object goes through ``index_document``."""

from dataclasses import dataclass
from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from wagtail.models import Page

from zhengtong.search.analyzer import index_terms, normalise
from zhengtong.search.models import SearchDocument, SearchPosting

# Terms longer than this (a very long run of Latin letters) are cut: the column is bounded.
MAX_TERM = 64


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


def _content_type(obj) -> ContentType:
    # Pages are keyed by the base Page type, so a page indexed as PolicyPage and removed as Page is one key.
    model = Page if isinstance(obj, Page) else type(obj)
    return ContentType.objects.get_for_model(model)


@transaction.atomic
def index_document(obj, values: Indexable) -> SearchDocument:
    """Create or replace the search document of ``obj`` and its postings."""
    content_type = _content_type(obj)
    document, _ = SearchDocument.objects.update_or_create(
        content_type=content_type,
        object_id=str(obj.pk),
        defaults={
            "site_id": values.site_id,
            "url": values.url,
            "title": values.title,
            "kind": values.kind,
            "path": values.path,
            "published_at": values.published_at,
            "source_id": values.source_id,
            "text": values.text,
            "title_norm": normalise(values.title),
            "text_norm": normalise(values.text),
        },
    )
    document.postings.all().delete()
    title_terms = index_terms(values.title)
    all_terms = title_terms + index_terms(values.text)
    SearchPosting.objects.bulk_create(
        [
            SearchPosting(document=document, term=term, in_title=term in title_terms, frequency=count)
            for term, count in all_terms.items()
            if len(term) <= MAX_TERM
        ],
        batch_size=1000,
    )
    return document


def remove_document(obj) -> int:
    """Remove ``obj`` from search (unpublished, deleted, made private); returns how many documents went."""
    content_type = _content_type(obj)
    deleted, _ = SearchDocument.objects.filter(content_type=content_type, object_id=str(obj.pk)).delete()
    return deleted
