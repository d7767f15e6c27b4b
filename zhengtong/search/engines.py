"""Full-text storage of the search index: SQLite FTS5 and PostgreSQL tsvector, fed the same tokens.

The analyzer (``analyzer.py``) decides what a token is; the database only stores
the token streams with their positions and finds phrases in them. Neither needs
an extension: FTS5 is compiled into Python's SQLite, and a tsvector is written
as a literal, so PostgreSQL's own parser and dictionaries never see the text.

Each search document has a ``rank_key`` (publication time, then the document
id), which is the FTS5 rowid and the tsvector row's key, so "newest first" is
the index order: a query with tens of thousands of matches reads only the page
it shows, not every match (ADR 0006).

Three columns of tokens per document: title, body, scope. Scope holds the
filter tokens (site, type, every ancestor path of a page), so the usual filters
are part of the full-text match and cost no join.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from dataclasses import dataclass

from django.db import connection

from zhengtong.search.analyzer import QueryPart, stream_tokens

TREE_STEP = 4  # treebeard's steplen in Wagtail's page paths
FTS_TABLE = "zt_search_fts"
VECTOR_TABLE = "zt_search_vector"
DOCUMENT_TABLE = "zt_search_searchdocument"

# PostgreSQL keeps at most 256 positions per lexeme and positions up to 16383. A longer body is
# stored with its lexemes at one far position: found by an AND of its tokens and a string check.
PG_MAX_POSITION = 16383
PG_MAX_POSITIONS_PER_LEXEME = 255


def scope_tokens(site_id: int, kind: str, path: str) -> list[str]:
    """Filter tokens: the site, the type, and the page's path with each ancestor's."""
    tokens = [f"s{site_id}", kind_token(kind)]
    if path:
        tokens += [f"p{path[:end]}" for end in range(TREE_STEP, len(path), TREE_STEP)]
        tokens.append(f"p{path}")
    return tokens


def kind_token(kind: str) -> str:
    # A hash keeps any type name (Chinese, spaces, quotes) a plain ASCII token.
    return "k" + hashlib.sha1(kind.encode(), usedforsecurity=False).hexdigest()[:12]


@dataclass(frozen=True)
class Row:
    """What the full-text index stores of one document."""

    rank_key: int
    document_id: int
    title_norm: str
    text_norm: str
    scope: tuple[str, ...]


@dataclass(frozen=True)
class Compiled:
    """A parsed query and filters, ready for an engine."""

    parts: tuple[QueryPart, ...]
    scope: tuple[str, ...]  # filter tokens every result must have
    date_from: object = None
    date_to: object = None

    @property
    def string_checked(self) -> tuple[QueryPart, ...]:
        return tuple(p for p in self.parts if not p.exact_in_index)

    @property
    def needs_join(self) -> bool:
        return bool(self.string_checked) or self.date_from is not None or self.date_to is not None


class Engine:
    """The operations search needs from the database; one subclass per vendor."""

    def write(self, rows: list[Row], old: list[Row]) -> None:
        raise NotImplementedError

    def clear(self) -> None:
        raise NotImplementedError

    def count(self, query: Compiled, tier: str = "all") -> int:
        """Matches; ``tier`` "title" counts only those whose title has every part."""
        sql, params = self._select("count(*)", query, tier)
        return self._fetch(sql, params)[0][0]

    def matches(self, query: Compiled) -> list[tuple[int, bool]]:
        """Every match as (rank_key, title hit); for result sets small enough to rank."""
        raise NotImplementedError

    def newest(self, query: Compiled, tier: str, limit: int, offset: int) -> list[int]:
        """Rank keys of one tier ("title" or "rest"), newest first: reads only what it returns."""
        raise NotImplementedError

    def size_bytes(self) -> int:
        raise NotImplementedError

    def _select(self, columns: str, query: Compiled, tier: str) -> tuple[str, list]:
        raise NotImplementedError

    @staticmethod
    def _fetch(sql: str, params: list) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    @staticmethod
    def _string_checks(parts, title_only: bool, function: str) -> tuple[str, list]:
        """SQL that every part's phrase is in the title (or in title or text) of document ``d``."""
        clauses, params = [], []
        for part in parts:
            if title_only:
                clauses.append(f"{function}(d.title_norm, %s) > 0")
                params.append(part.phrase)
            else:
                clauses.append(f"({function}(d.title_norm, %s) > 0 OR {function}(d.text_norm, %s) > 0)")
                params += [part.phrase, part.phrase]
        return " AND ".join(clauses), params

    @staticmethod
    def _date_filters(query: Compiled) -> tuple[str, list]:
        clauses, params = [], []
        if query.date_from is not None:
            clauses.append("d.published_at >= %s")
            params.append(query.date_from)
        if query.date_to is not None:
            clauses.append("d.published_at <= %s")
            params.append(query.date_to)
        return " AND ".join(clauses), params


def _fts_string(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


class SqliteEngine(Engine):
    """FTS5, contentless: the index holds tokens and positions only; the text stays in SearchDocument.

    A contentless table forgets a row only when told the tokens it held, so the old
    row is always recomputed from the stored normalised text with the same analyzer.
    """

    def write(self, rows: list[Row], old: list[Row]) -> None:
        with connection.cursor() as cursor:
            if old:
                cursor.executemany(
                    f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, title, body, scope) "
                    "VALUES ('delete', %s, %s, %s, %s)",
                    [self._values(row) for row in old],
                )
            if rows:
                cursor.executemany(
                    f"INSERT INTO {FTS_TABLE}(rowid, title, body, scope) VALUES (%s, %s, %s, %s)",
                    [self._values(row) for row in rows],
                )

    @staticmethod
    def _values(row: Row) -> tuple:
        return (
            row.rank_key,
            " ".join(stream_tokens(row.title_norm)),
            " ".join(stream_tokens(row.text_norm)),
            " ".join(row.scope),
        )

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')")

    @staticmethod
    def _expression(parts, columns: str) -> str:
        atoms = []
        for part in parts:
            for atom in part.atoms:
                text = _fts_string(" ".join(atom.tokens))
                atoms.append(text + "*" if atom.prefix else text)
        return f"{{{columns}}} : ({' AND '.join(atoms)})"

    def _match(self, query: Compiled) -> str:
        expression = self._expression(query.parts, "title body")
        if query.scope:
            expression += " AND scope : (" + " AND ".join(_fts_string(t) for t in query.scope) + ")"
        return expression

    def _title_condition(self, query: Compiled) -> tuple[str, list]:
        sql = f"f.rowid IN (SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s)"
        params: list = [self._expression(query.parts, "title")]
        if query.string_checked:
            checks, check_params = self._string_checks(query.string_checked, True, "instr")
            sql, params = f"({sql} AND {checks})", params + check_params
        return sql, params

    def _select(self, columns: str, query: Compiled, tier: str, tail: str = "", tail_params=()) -> tuple[str, list]:
        sql = f"SELECT {columns} FROM {FTS_TABLE} f"
        joined = query.needs_join or "d." in columns
        if joined:
            sql += f" JOIN {DOCUMENT_TABLE} d ON d.rank_key = f.rowid"
        sql += f" WHERE f.{FTS_TABLE} MATCH %s"
        params: list = [self._match(query)]
        if query.string_checked:
            checks, check_params = self._string_checks(query.string_checked, False, "instr")
            sql, params = f"{sql} AND {checks}", params + check_params
        dates, date_params = self._date_filters(query)
        if dates:
            sql, params = f"{sql} AND {dates}", params + date_params
        if tier != "all":
            condition, condition_params = self._title_condition(query)
            sql += f" AND {condition}" if tier == "title" else f" AND NOT {condition}"
            params += condition_params
        return sql + tail, params + list(tail_params)

    def matches(self, query: Compiled) -> list[tuple[int, bool]]:
        condition, condition_params = self._title_condition(query)
        sql, params = self._select(f"f.rowid, {condition}", query, "all")
        return [(key, bool(hit)) for key, hit in self._fetch(sql, condition_params + params)]

    def newest(self, query: Compiled, tier: str, limit: int, offset: int) -> list[int]:
        sql, params = self._select("f.rowid", query, tier, " ORDER BY f.rowid DESC LIMIT %s OFFSET %s", (limit, offset))
        return [key for (key,) in self._fetch(sql, params)]

    def size_bytes(self) -> int:
        try:
            rows = self._fetch(
                "SELECT sum(pgsize) FROM dbstat WHERE name LIKE %s OR name LIKE %s",
                [f"{FTS_TABLE}%", f"{DOCUMENT_TABLE}%"],
            )
        except Exception:  # dbstat is not compiled into every SQLite
            return 0
        return int(rows[0][0] or 0)


def _pg_lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


class PostgresEngine(Engine):
    """One tsvector per document, written as a literal with positions; one GIN index.

    Title tokens carry weight A (the title tier asks for A), body tokens follow after a
    gap (a phrase never runs from title into body), scope tokens carry no position.
    """

    def write(self, rows: list[Row], old: list[Row]) -> None:
        with connection.cursor() as cursor:
            if old:
                cursor.execute(
                    f"DELETE FROM {VECTOR_TABLE} WHERE document_id = ANY(%s)", [[row.document_id for row in old]]
                )
            if rows:
                cursor.executemany(
                    f"INSERT INTO {VECTOR_TABLE} (document_id, rank_key, long, vec) VALUES (%s, %s, %s, %s::tsvector)",
                    [(row.document_id, row.rank_key, *self._vector(row)) for row in rows],
                )

    @staticmethod
    def _vector(row: Row) -> tuple[bool, str]:
        positions: dict[str, list[str]] = defaultdict(list)
        title = stream_tokens(row.title_norm)
        for i, token in enumerate(title[:PG_MAX_POSITION], start=1):
            positions[token].append(f"{i}A")
        body = stream_tokens(row.text_norm)
        start = min(len(title), PG_MAX_POSITION) + 2
        body_positions: dict[str, list[int]] = defaultdict(list)
        for i, token in enumerate(body, start=start):
            body_positions[token].append(i)
        long = start + len(body) > PG_MAX_POSITION or any(
            len(p) + len(positions.get(t, ())) > PG_MAX_POSITIONS_PER_LEXEME for t, p in body_positions.items()
        )
        for token, places in body_positions.items():
            # A long body's lexemes sit at one far position: no phrase can be found in them,
            # so the query finds long documents by their tokens and checks the string.
            positions[token] += [str(PG_MAX_POSITION)] if long else [str(p) for p in places]
        lexemes = [f"{_pg_lexeme(t)}:{','.join(p[:PG_MAX_POSITIONS_PER_LEXEME])}" for t, p in positions.items()]
        lexemes += [_pg_lexeme(t) for t in row.scope if t not in positions]
        return long, " ".join(lexemes)

    def clear(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {VECTOR_TABLE}")

    @staticmethod
    def _tsquery(parts, *, weight: str = "", phrases: bool = True) -> str:
        atoms = []
        for part in parts:
            for atom in part.atoms:
                marks = ("*" if atom.prefix else "") + weight
                lexemes = [_pg_lexeme(t) + (f":{marks}" if marks else "") for t in atom.tokens]
                atoms.append("(" + (" <-> " if phrases else " & ").join(lexemes) + ")")
        return " & ".join(atoms)

    def _scope(self, query: Compiled) -> str:
        return " & ".join(_pg_lexeme(t) for t in query.scope)

    def _with_scope(self, tsquery: str, query: Compiled) -> str:
        return f"({tsquery}) & {self._scope(query)}" if query.scope else tsquery

    def _select(self, columns: str, query: Compiled, tier: str, tail: str = "", tail_params=()) -> tuple[str, list]:
        match = self._with_scope(self._tsquery(query.parts), query)
        # Long bodies: their tokens present, then the string itself for every part that needs positions.
        long_match = self._with_scope(self._tsquery(query.parts, phrases=False), query)
        positional = tuple(p for p in query.parts if p.positional and p.exact_in_index)
        long_checks, long_params = self._string_checks(positional + query.string_checked, False, "strpos")
        long_clause = (
            f"v.long AND v.vec @@ %s::tsquery AND EXISTS "
            f"(SELECT 1 FROM {DOCUMENT_TABLE} d WHERE d.id = v.document_id AND {long_checks or 'TRUE'})"
        )
        sql = f"SELECT {columns} FROM {VECTOR_TABLE} v"
        if query.needs_join or "d." in columns:
            sql += f" JOIN {DOCUMENT_TABLE} d ON d.id = v.document_id"
        sql += f" WHERE ((NOT v.long AND v.vec @@ %s::tsquery) OR ({long_clause}))"
        params: list = [match, long_match, *long_params]
        if query.string_checked:
            checks, check_params = self._string_checks(query.string_checked, False, "strpos")
            sql, params = f"{sql} AND {checks}", params + check_params
        dates, date_params = self._date_filters(query)
        if dates:
            sql, params = f"{sql} AND {dates}", params + date_params
        if tier != "all":
            condition, condition_params = self._title_condition(query)
            sql += f" AND {condition}" if tier == "title" else f" AND NOT {condition}"
            params += condition_params
        return sql + tail, params + list(tail_params)

    def _title_condition(self, query: Compiled) -> tuple[str, list]:
        sql, params = "v.vec @@ %s::tsquery", [self._tsquery(query.parts, weight="A")]
        if query.string_checked:
            checks, check_params = self._string_checks(query.string_checked, True, "strpos")
            sql, params = f"({sql} AND {checks})", params + check_params
        return sql, params

    def matches(self, query: Compiled) -> list[tuple[int, bool]]:
        condition, condition_params = self._title_condition(query)
        sql, params = self._select(f"v.rank_key, {condition}", query, "all")
        return [(key, bool(hit)) for key, hit in self._fetch(sql, condition_params + params)]

    def newest(self, query: Compiled, tier: str, limit: int, offset: int) -> list[int]:
        sql, params = self._select(
            "v.rank_key", query, tier, " ORDER BY v.rank_key DESC LIMIT %s OFFSET %s", (limit, offset)
        )
        return [key for (key,) in self._fetch(sql, params)]

    def size_bytes(self) -> int:
        rows = self._fetch(
            "SELECT sum(pg_total_relation_size(c.oid)) FROM pg_class c WHERE c.relname IN (%s, %s)",
            [VECTOR_TABLE, DOCUMENT_TABLE],
        )
        return int(rows[0][0] or 0)


def engine() -> Engine:
    """The engine for the database in use."""
    if connection.vendor == "postgresql":
        return PostgresEngine()
    if connection.vendor == "sqlite":
        return SqliteEngine()
    raise NotImplementedError(f"search has no engine for {connection.vendor}")


def sweep_orphans(using: str = "default") -> int:
    """Remove full-text rows whose document is gone (after a flush); returns how many went."""
    from django.db import connections

    from zhengtong.search.models import SearchDocument

    db = connections[using]
    with db.cursor() as cursor:
        if db.vendor == "postgresql":
            cursor.execute(
                f"DELETE FROM {VECTOR_TABLE} v WHERE NOT EXISTS "
                f"(SELECT 1 FROM {DOCUMENT_TABLE} d WHERE d.id = v.document_id)"
            )
            return cursor.rowcount
        if db.vendor != "sqlite":
            return 0
        cursor.execute(f"SELECT count(*) FROM {FTS_TABLE}_docsize")
        indexed = cursor.fetchone()[0]
        if indexed == SearchDocument.objects.using(using).exclude(rank_key=None).count():
            return 0
        # A contentless row is removed with its tokens, which an orphan no longer has: start again
        # from the documents, which hold everything the index is made of.
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')")
    from zhengtong.search.index import row_of

    documents = SearchDocument.objects.using(using).exclude(rank_key=None)
    batch = []
    for document in documents.iterator(chunk_size=500):
        batch.append(row_of(document))
        if len(batch) == 500:
            SqliteEngine().write(batch, [])
            batch = []
    SqliteEngine().write(batch, [])
    return max(0, indexed - documents.count())
