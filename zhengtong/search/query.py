"""Reading the search index: the one query function behind the search page, the API and the admin."""

import html
from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Case, Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value, When
from django.db.models.functions import Coalesce

from zhengtong.search.analyzer import QueryPart, parse_query
from zhengtong.search.models import SearchDocument, SearchPosting

SNIPPET_CHARS = 120


@dataclass(frozen=True)
class Filters:
    site_id: int | None = None
    path: str = ""  # a section's tree path: results inside that section
    kind: str = ""
    date_from: datetime | None = None
    date_to: datetime | None = None


@dataclass
class SearchResults:
    total: int
    documents: list[SearchDocument] = field(default_factory=list)
    parts: list[QueryPart] = field(default_factory=list)

    def snippet(self, document: SearchDocument) -> str:
        return snippet(document, self.parts)


def _matching(parts: list[QueryPart], filters: Filters) -> QuerySet:
    documents = SearchDocument.objects.all()
    if filters.site_id:
        documents = documents.filter(site_id=filters.site_id)
    if filters.path:
        documents = documents.filter(path__startswith=filters.path)
    if filters.kind:
        documents = documents.filter(kind=filters.kind)
    if filters.date_from:
        documents = documents.filter(published_at__gte=filters.date_from)
    if filters.date_to:
        documents = documents.filter(published_at__lte=filters.date_to)
    for part in parts:
        for term in _rarest_first(part.terms):
            documents = documents.filter(pk__in=SearchPosting.objects.filter(term=term).values("document_id"))
        if part.needs_substring_check:
            # Bigrams narrow the candidates; the string check makes the result exact (ADR 0006).
            documents = documents.filter(Q(title_norm__contains=part.phrase) | Q(text_norm__contains=part.phrase))
    return documents


def _rarest_first(terms: tuple[str, ...]) -> list[str]:
    counts = dict(
        SearchPosting.objects.filter(term__in=terms).values("term").annotate(n=Count("id")).values_list("term", "n")
    )
    return sorted(terms, key=lambda t: counts.get(t, 0))


def search(query: str, filters: Filters | None = None, *, limit: int = 20, offset: int = 0) -> SearchResults:
    """Documents matching every part of ``query``: title hits first, then relevance, then newest."""
    parts = parse_query(query)
    if not parts:
        return SearchResults(total=0)
    documents = _matching(parts, filters or Filters())
    total = documents.count()
    if not total:
        return SearchResults(total=0, parts=parts)
    title_hit = Q()
    for part in parts:
        title_hit &= Q(title_norm__contains=part.phrase)
    terms = [term for part in parts for term in part.terms]
    relevance = (
        SearchPosting.objects.filter(document=OuterRef("pk"), term__in=terms)
        .values("document")
        .annotate(score=Sum("frequency"))
        .values("score")
    )
    ranked = documents.annotate(
        title_hit=Case(When(title_hit, then=Value(1)), default=Value(0), output_field=IntegerField()),
        relevance=Coalesce(Subquery(relevance, output_field=IntegerField()), Value(0)),
    ).order_by("-title_hit", "-relevance", "-published_at", "-pk")
    return SearchResults(total=total, documents=list(ranked[offset : offset + limit]), parts=parts)


def snippet(document: SearchDocument, parts: list[QueryPart], width: int = SNIPPET_CHARS) -> str:
    """Escaped HTML: a window of the text around the first match, each match in <mark>."""
    text, norm = document.text, document.text_norm
    if len(text) != len(norm):
        text = norm  # normalisation changed lengths (rare compatibility characters): show the normalised text
    phrases = [p.phrase for p in parts if p.phrase]
    positions = [norm.find(p) for p in phrases if norm.find(p) >= 0]
    start = max(0, min(positions) - width // 3) if positions else 0
    window, window_norm = text[start : start + width], norm[start : start + width]
    marks = []
    for phrase in phrases:
        i = window_norm.find(phrase)
        while i >= 0:
            marks.append((i, i + len(phrase)))
            i = window_norm.find(phrase, i + len(phrase))
    out, pos = [], 0
    for begin, end in sorted(marks):
        if begin < pos:
            continue
        out.append(html.escape(window[pos:begin]))
        out.append(f"<mark>{html.escape(window[begin:end])}</mark>")
        pos = end
    out.append(html.escape(window[pos:]))
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + width < len(text) else ""
    return prefix + "".join(out) + suffix
