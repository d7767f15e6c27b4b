"""Reading the search index: the one query function behind the search page, the API and the admin."""

import html
from dataclasses import dataclass, field
from datetime import datetime

from wagtail.models import Site

from zhengtong.search.analyzer import QueryPart, matches, parse_query
from zhengtong.search.engines import ALL, REST, TITLE, Compiled, engine, kind_token
from zhengtong.search.index import RANK_SPAN, rank_key
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
    total: int  # with ``capped``, a lower bound: there are more than this many matches
    documents: list[SearchDocument] = field(default_factory=list)
    parts: list[QueryPart] = field(default_factory=list)
    capped: bool = False  # counting stopped at the engine's count cap; only that many can be paged through

    def snippet(self, document: SearchDocument) -> str:
        return snippet(document, self.parts)


# Up to this many matches are ranked title hits → relevance → newest; beyond it, reading every
# match's text would cost more than the page is worth, and results go title hits → newest (ADR 0006).
RANK_LIMIT = 500
# A mention in the title counts this many mentions in the text.
TITLE_WEIGHT = 5


def compile_query(parts: list[QueryPart], filters: Filters) -> Compiled:
    scope = []
    # With one site every document is that site's: the filter would only add work to every query.
    if filters.site_id and Site.objects.exclude(pk=filters.site_id).exists():
        scope.append(f"s{filters.site_id}")
    if filters.kind:
        scope.append(kind_token(filters.kind))
    if filters.path:
        scope.append(f"p{filters.path}")
    # Rank keys start with the publication second: a date range is a key range (to the second).
    key_from = rank_key(filters.date_from, 0) if filters.date_from else None
    key_to = rank_key(filters.date_to, 0) + RANK_SPAN if filters.date_to else None
    return Compiled(parts=tuple(parts), scope=tuple(scope), key_from=key_from, key_to=key_to)


def search(query: str, filters: Filters | None = None, *, limit: int = 20, offset: int = 0) -> SearchResults:
    """Documents matching every part of ``query``: title hits first, then relevance, then newest."""
    parts = parse_query(query)
    if not parts:
        return SearchResults(total=0)
    compiled = compile_query(parts, filters or Filters())
    fulltext = engine()
    cap = fulltext.COUNT_CAP
    capped = False
    read_all = bool(compiled.string_checked) or not fulltext.cheap_tiers(compiled)
    if read_all:
        # Read every match once with its title (the string check decides, or the database
        # rechecks each match anyway and several passes would cost more than one). With a count
        # cap and no string check, stop after one more than the cap.
        read_limit = cap + 1 if cap and not compiled.string_checked else None
        candidates = fulltext.candidates(compiled, limit=read_limit)
        capped = read_limit is not None and len(candidates) > cap
        total = cap if capped else len(candidates)
        keys = [key for key, _title in candidates]
        title_hits = {key for key, title in candidates if _in_title(parts, title)}
    else:
        total = fulltext.count(compiled, cap=cap)
        if cap and total > cap:
            capped, total = True, cap
        title_hits = set()
        keys = fulltext.newest(compiled, ALL, RANK_LIMIT) if total <= RANK_LIMIT else []
    if not total or offset >= total:
        return SearchResults(total=total, parts=parts, capped=capped)
    # Many matches that each need a positional check: walk the rank-key index newest first (the
    # database would otherwise check every candidate before sorting).
    dense = capped and read_all
    limit = min(limit, total - offset)
    if total <= RANK_LIMIT:
        page = _ranked(keys, parts)[offset : offset + limit]
    elif read_all and not capped:
        ordered = sorted(keys, key=lambda key: (key not in title_hits, -key))
        page = ordered[offset : offset + limit]
    elif offset == 0:
        # The first page (most searches) needs no title count: title hits, then the rest.
        page = fulltext.newest(compiled, TITLE, limit)
        if len(page) < limit:
            page += fulltext.newest(compiled, REST, limit - len(page), dense=dense)
    else:
        # Exact up to the end of this page, which is all the arithmetic below needs.
        title_total = fulltext.count(compiled, TITLE, cap=offset + limit)
        page = fulltext.newest(compiled, TITLE, limit, offset) if offset < title_total else []
        if len(page) < limit:
            page += fulltext.newest(compiled, REST, limit - len(page), max(0, offset - title_total), dense=dense)
    by_key = {d.rank_key: d for d in SearchDocument.objects.filter(rank_key__in=page)}
    documents = [by_key[k] for k in page if k in by_key]
    return SearchResults(total=total, documents=documents, parts=parts, capped=capped)


def _in_title(parts: list[QueryPart], title_norm: str) -> bool:
    return all(matches(part, title_norm) for part in parts)


def relevance(parts: list[QueryPart], title_norm: str, text_norm: str) -> int:
    """How often the query's parts are mentioned, title mentions weighted: the same figure on every database."""
    return sum(TITLE_WEIGHT * title_norm.count(p.phrase) + text_norm.count(p.phrase) for p in parts)


def _ranked(keys: list[int], parts: list[QueryPart]) -> list[int]:
    """Title hits first, then relevance, then newest (a result set small enough to read)."""
    rows = SearchDocument.objects.filter(rank_key__in=keys).values_list("rank_key", "title_norm", "text_norm")
    order = {key: (not _in_title(parts, title), -relevance(parts, title, text), -key) for key, title, text in rows}
    return sorted((key for key in keys if key in order), key=order.__getitem__)


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
