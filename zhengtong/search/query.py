"""Reading the search index: the one query function behind the search page, the API and the admin."""

import html
from dataclasses import dataclass, field
from datetime import datetime

from zhengtong.search.analyzer import QueryPart, parse_query
from zhengtong.search.engines import Compiled, engine, kind_token
from zhengtong.search.models import SearchDocument

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


# Up to this many matches are ranked title hits → relevance → newest; beyond it, reading every
# match's text would cost more than the page is worth, and results go title hits → newest (ADR 0006).
RANK_LIMIT = 500
# A mention in the title counts this many mentions in the text.
TITLE_WEIGHT = 5


def compile_query(parts: list[QueryPart], filters: Filters) -> Compiled:
    scope = []
    if filters.site_id:
        scope.append(f"s{filters.site_id}")
    if filters.kind:
        scope.append(kind_token(filters.kind))
    if filters.path:
        scope.append(f"p{filters.path}")
    return Compiled(parts=tuple(parts), scope=tuple(scope), date_from=filters.date_from, date_to=filters.date_to)


def search(query: str, filters: Filters | None = None, *, limit: int = 20, offset: int = 0) -> SearchResults:
    """Documents matching every part of ``query``: title hits first, then relevance, then newest."""
    parts = parse_query(query)
    if not parts:
        return SearchResults(total=0)
    compiled = compile_query(parts, filters or Filters())
    fulltext = engine()
    total = fulltext.count(compiled)
    if not total or offset >= total:
        return SearchResults(total=total, parts=parts)
    if total <= RANK_LIMIT:
        keys = _ranked(fulltext.matches(compiled), parts)[offset : offset + limit]
    else:
        title_total = fulltext.count(compiled, tier="title")
        keys = fulltext.newest(compiled, "title", limit, offset) if offset < title_total else []
        if len(keys) < limit:
            rest_offset = max(0, offset - title_total)
            keys += fulltext.newest(compiled, "rest", limit - len(keys), rest_offset)
    by_key = {d.rank_key: d for d in SearchDocument.objects.filter(rank_key__in=keys)}
    return SearchResults(total=total, documents=[by_key[k] for k in keys if k in by_key], parts=parts)


def relevance(parts: list[QueryPart], title_norm: str, text_norm: str) -> int:
    """How often the query's parts are mentioned, title mentions weighted: the same figure on every database."""
    return sum(TITLE_WEIGHT * title_norm.count(p.phrase) + text_norm.count(p.phrase) for p in parts)


def _ranked(matches: list[tuple[int, bool]], parts: list[QueryPart]) -> list[int]:
    texts = SearchDocument.objects.filter(rank_key__in=[key for key, _hit in matches]).values_list(
        "rank_key", "title_norm", "text_norm"
    )
    scores = {key: relevance(parts, title, text) for key, title, text in texts}
    ordered = sorted(matches, key=lambda match: (not match[1], -scores.get(match[0], 0), -match[0]))
    return [key for key, _hit in ordered]


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
