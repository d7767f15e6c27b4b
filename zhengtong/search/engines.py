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
from itertools import pairwise

from django.db import connection, transaction

from zhengtong.search.analyzer import QueryPart, stream_tokens

TREE_STEP = 4  # treebeard's steplen in Wagtail's page paths
FTS_TABLE = "zt_search_fts"
TITLE_TABLE = "zt_search_title_fts"  # SQLite: titles again, so title hits are found by reading titles only
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
    scope: tuple[str, ...] = ()  # filter tokens every result must have
    # A date range is a range of rank keys (publication second × span): part of the index lookup.
    key_from: int | None = None
    key_to: int | None = None  # exclusive

    @property
    def string_checked(self) -> tuple[QueryPart, ...]:
        """Parts the index narrows but only a string check decides (punctuation, several runs)."""
        return tuple(p for p in self.parts if not p.exact_in_index)


# Which matches a query asks for: all of them, those whose title has every part, or the others.
ALL, TITLE, REST = "all", "title", "rest"


class Engine:
    """The operations search needs from the database; one subclass per vendor.

    ``count`` and ``newest`` answer from the full-text index alone and need a query without
    string-checked parts; ``candidates`` serves the rest, reading each candidate's title.
    """

    KEY = ""  # the rank key column in the vendor's SQL
    FIND = ""  # the vendor's substring position function
    TITLE_COLUMN = "d.title_norm"  # where ``candidates`` reads a match's title

    def write(self, rows: list[Row], old: list[Row]) -> None:
        raise NotImplementedError

    # Counting stops after this many matches (None: counts are exact). See ``query.search``.
    COUNT_CAP: int | None = None

    def count(self, query: Compiled, tier: str = ALL, cap: int | None = None) -> int:
        """How many documents match; with ``cap``, at most ``cap + 1`` (enough to say "more than cap")."""
        sql, params = self._select("1" if cap is not None else "count(*)", query, tier)
        if cap is not None:
            sql, params = f"SELECT count(*) FROM ({sql} LIMIT %s) capped", [*params, cap + 1]  # nosec B608 - built from module constants, every value a parameter
        return self._fetch(sql, params)[0][0]

    def newest(self, query: Compiled, tier: str, limit: int, offset: int = 0, dense: bool = False) -> list[int]:
        """Rank keys of one tier, newest first: the index's own order, so only what is returned is read.

        ``dense``: the query has more matches than the count cap (a hint for the planner)."""
        sql, params = self._select(self.KEY, query, tier)
        sql += f" ORDER BY {self.KEY} DESC LIMIT %s OFFSET %s"
        return [key for (key,) in self._fetch(sql, [*params, limit, offset])]

    def cheap_tiers(self, query: Compiled) -> bool:
        """Whether ``count`` and ``newest`` are cheap enough to run once per tier.

        True on SQLite, where the matching is all in the index. PostgreSQL's GIN index keeps no
        positions, so each phrase match is rechecked against its row: a phrase query reads its
        matches once (``candidates``) instead of once per tier.
        """
        return True

    def candidates(self, query: Compiled, limit: int | None = None) -> list[tuple[int, str]]:
        """(rank key, normalised title) of every match, string checks applied, newest first.

        With ``limit``, at most that many matches, in no particular order: enough to learn that
        there are more than a count cap (``COUNT_CAP``) without reading every match.
        """
        join = bool(query.string_checked) or self.TITLE_COLUMN.startswith("d.")
        sql, params = self._select(f"{self.KEY}, {self.TITLE_COLUMN}", query, ALL, join=join)
        checks, check_params = self._string_checks(query.string_checked)
        sql = f"{sql} AND {checks}"
        if limit is not None:
            return self._fetch(f"{sql} LIMIT %s", [*params, *check_params, limit])
        return self._fetch(f"{sql} ORDER BY {self.KEY} DESC", params + check_params)

    def optimize(self) -> None:
        """Tidy the index after a bulk load (an import, a rebuild): queries read fewer, larger pieces."""
        raise NotImplementedError

    def size_bytes(self) -> int:
        """Bytes of the full-text index (tokens, positions and its own indexes), for the benchmarks."""
        raise NotImplementedError

    def _select(self, columns: str, query: Compiled, tier: str, join: bool = False) -> tuple[str, list]:
        raise NotImplementedError

    @staticmethod
    def _fetch(sql: str, params: list) -> list[tuple]:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchall()

    def _string_checks(self, parts) -> tuple[str, list]:
        """SQL that every part's phrase is in the title or the text of document ``d``."""
        function = self.FIND
        clauses, params = [], []
        for part in parts:
            clauses.append(f"({function}(d.title_norm, %s) > 0 OR {function}(d.text_norm, %s) > 0)")
            params += [part.phrase, part.phrase]
        return " AND ".join(clauses) or "TRUE", params

    def _key_range(self, query: Compiled) -> tuple[str, list]:
        clauses, params = [], []
        if query.key_from is not None:
            clauses.append(f"{self.KEY} >= %s")
            params.append(query.key_from)
        if query.key_to is not None:
            clauses.append(f"{self.KEY} < %s")
            params.append(query.key_to)
        return "".join(f" AND {c}" for c in clauses), params


def _may_be_scope_token(parts) -> bool:
    """Whether a query token could equal a scope token (ASCII letters and digits, see ``scope_tokens``).

    Chinese tokens and marks never can; a Latin word or number might.
    """
    return any(token.isascii() for part in parts for atom in part.atoms for token in atom.tokens)


def _fts_string(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


class SqliteEngine(Engine):
    """FTS5, contentless: the index holds tokens and positions only; the text stays in SearchDocument.

    A contentless table forgets a row only when told the tokens it held, so the old
    row is always recomputed from the stored normalised text with the same analyzer.
    """

    KEY = "f.rowid"
    FIND = "instr"

    def write(self, rows: list[Row], old: list[Row]) -> None:
        with connection.cursor() as cursor:
            for table, values in ((FTS_TABLE, "%s, %s, %s, %s"), (TITLE_TABLE, "%s, %s, %s")):
                columns = "rowid, title, body, scope" if table == FTS_TABLE else "rowid, title, scope"
                if old:
                    cursor.executemany(
                        f"INSERT INTO {table}({table}, {columns}) VALUES ('delete', {values})",  # nosec B608 - table names are module constants, every value a parameter
                        [self._values(row, table) for row in old],
                    )
                if rows:
                    cursor.executemany(
                        f"INSERT INTO {table}({columns}) VALUES ({values})",  # nosec B608 - table names are module constants, every value a parameter
                        [self._values(row, table) for row in rows],
                    )

    @staticmethod
    def _values(row: Row, table: str) -> tuple:
        title = " ".join(stream_tokens(row.title_norm, marks=True))
        if table == TITLE_TABLE:
            return (row.rank_key, title, " ".join(row.scope))
        return (row.rank_key, title, " ".join(stream_tokens(row.text_norm, marks=True)), " ".join(row.scope))

    def optimize(self) -> None:
        # Many small batches leave many segments, and every query visits each; merge them into one
        # (measured at 100,000 articles: median query time halved).
        with connection.cursor() as cursor:
            for table in (FTS_TABLE, TITLE_TABLE):
                cursor.execute(f"INSERT INTO {table}({table}) VALUES ('optimize')")  # nosec B608 - table names are module constants, every value a parameter

    @staticmethod
    def _atoms(parts) -> str:
        atoms = []
        for part in parts:
            for atom in part.atoms:
                text = _fts_string(" ".join(atom.tokens))
                atoms.append(text + "*" if atom.prefix else text)
        return " AND ".join(atoms)

    def _match(self, query: Compiled, tier: str) -> str:
        atoms = self._atoms(query.parts)
        if _may_be_scope_token(query.parts):
            atoms = f"{{title body}} : ({atoms})" if tier != TITLE else f"{{title}} : ({atoms})"
        # No column filter otherwise: no token of the query can be a scope token, and FTS5 then skips
        # checking which column each position is in (measured: a quarter off a count).
        if query.scope:
            atoms = f"({atoms}) AND scope : (" + " AND ".join(_fts_string(t) for t in query.scope) + ")"
        return atoms

    def _select(self, columns: str, query: Compiled, tier: str, join: bool = False) -> tuple[str, list]:
        # Title hits (every part in the title) come from the small table of titles; the rest are the
        # matches of the whole index that are not among them.
        table = TITLE_TABLE if tier == TITLE else FTS_TABLE
        sql = f"SELECT {columns} FROM {table} f"  # nosec B608 - table names are module constants, every value a parameter
        if join:
            sql += f" JOIN {DOCUMENT_TABLE} d ON d.rank_key = f.rowid"
        sql += f" WHERE f.{table} MATCH %s"
        params = [self._match(query, tier)]
        if tier == REST:
            sql += f" AND f.rowid NOT IN (SELECT rowid FROM {TITLE_TABLE} WHERE {TITLE_TABLE} MATCH %s)"  # nosec B608 - table names are module constants, every value a parameter
            params.append(self._match(query, TITLE))
        key_range, key_params = self._key_range(query)
        return sql + key_range, params + key_params

    def size_bytes(self) -> int:
        try:
            sql = "SELECT sum(pgsize) FROM dbstat WHERE name LIKE %s OR name LIKE %s"
            rows = self._fetch(sql, [f"{FTS_TABLE}%", f"{TITLE_TABLE}%"])
        except Exception:  # dbstat is not compiled into every SQLite
            return 0
        return int(rows[0][0] or 0)


# PostgreSQL keeps scope lexemes in the same tsvector as the text, so each starts with a private-use character
# the analyzer never puts at the start of a longer token (a private-use character in text is a one-character
# mark): a query "s1" cannot find every document of site 1. SQLite keeps scope in its own column instead.
SCOPE_MARK = "\ue100"
# Pair lexemes: every two tokens that follow each other in a title or a body, as one lexeme without
# positions (PAIR_MARK, first token, PAIR_SEP, second token; tokens cut to PAIR_CHARS characters so
# a lexeme stays far below PostgreSQL's 2 KB limit). A pair is exactly a two-token phrase, so the GIN
# index alone decides a phrase of up to two tokens (three Chinese characters) without reading a
# vector; for a longer phrase its pairs make the GIN candidates nearly exactly the matches, so few
# vectors are read back to check positions (ADR 0006, 2026-11-27).
PAIR_MARK = "\ue101"
PAIR_SEP = "\ue102"
PAIR_CHARS = 64
# Counting stops after this many matches on PostgreSQL: each match of a phrase costs a read of its vector,
# and "县政府办公室" has eighty thousand at 100,000 articles. Pages say "more than"; the API says so in
# ``total_exact``. Chosen by measurement (docs/PERFORMANCE.md).
PG_COUNT_CAP = 1000


def _pg_lexeme(token: str) -> str:
    return "'" + token.replace("\\", "\\\\").replace("'", "''") + "'"


def _pair(first: str, second: str) -> str:
    return PAIR_MARK + first[:PAIR_CHARS] + PAIR_SEP + second[:PAIR_CHARS]


def _pairs(tokens: list[str]) -> set[str]:
    return set(map(_pair, tokens[:-1], tokens[1:]))


def _needs_positions(atom) -> bool:
    """Whether an atom is more than its pair lexemes say: a phrase of three or more tokens (or with a token
    longer than a pair keeps)."""
    return len(atom.tokens) > 2 or (len(atom.tokens) == 2 and max(map(len, atom.tokens)) > PAIR_CHARS)


class PostgresEngine(Engine):
    """One row per document with three tsvectors: ``lex``, every token, pair and scope lexeme of the document
    without positions, under a GIN index; ``vec``, the tokens of title and body with their positions, read
    only to check a phrase the pairs do not decide; ``title_vec``, the title's tokens with positions and its
    pairs and scope lexemes, under a GIN index, for title hits.

    GIN decides a query on ``lex`` without reading any row (no phrases, no weights), and PostgreSQL keeps the
    short ``title_vec`` in the row itself; the large ``vec`` lives compressed in TOAST, and reading it back is
    what costs (ADR 0006). Body positions follow the title's after a gap (a phrase never runs from title into
    body).
    """

    KEY = "v.rank_key"
    FIND = "strpos"
    TITLE_COLUMN = "v.title_norm"  # kept beside the vector: reading all matches needs no join
    COUNT_CAP = PG_COUNT_CAP

    @staticmethod
    def _fetch(sql: str, params: list, plan: tuple[str, ...] = ()) -> list[tuple]:
        # For a token in nearly every document the planner prefers a sequential scan, which evaluates
        # the match on every row (10 万篇："政府" 837 ms); the GIN bitmap decides it without reading
        # the rows (33 ms). The settings last for this query only.
        with transaction.atomic(), connection.cursor() as cursor:
            for setting in ("enable_seqscan", *plan):
                cursor.execute(f"SET LOCAL {setting} = off")
            cursor.execute(sql, params)
            rows = cursor.fetchall()
            for setting in ("enable_seqscan", *plan):
                cursor.execute(f"SET LOCAL {setting} = DEFAULT")
            return rows

    def cheap_tiers(self, query: Compiled) -> bool:
        return not any(_needs_positions(atom) for part in query.parts for atom in part.atoms)

    def newest(self, query: Compiled, tier: str, limit: int, offset: int = 0, dense: bool = False) -> list[int]:
        sql, params = self._select(self.KEY, query, tier)
        sql += f" ORDER BY {self.KEY} DESC LIMIT %s OFFSET %s"
        # Many matches (more than the count cap): walking the rank-key index newest first meets a page of
        # them after a few rows, where the GIN bitmap would read and sort every match.
        plan = ("enable_bitmapscan",) if dense and tier != TITLE else ()
        return [key for (key,) in self._fetch(sql, [*params, limit, offset], plan)]

    def write(self, rows: list[Row], old: list[Row]) -> None:
        with connection.cursor() as cursor:
            if old:
                cursor.execute(
                    f"DELETE FROM {VECTOR_TABLE} WHERE document_id = ANY(%s)",  # nosec B608 - table name is a module constant
                    [[row.document_id for row in old]],
                )
            if rows:
                cursor.executemany(
                    f"INSERT INTO {VECTOR_TABLE} (document_id, rank_key, title_norm, long, vec, lex, title_vec) "  # nosec B608 - table names are module constants, every value a parameter
                    "VALUES (%s, %s, %s, %s, %s::tsvector, %s::tsvector, %s::tsvector)",
                    [(row.document_id, row.rank_key, row.title_norm, *self._vectors(row)) for row in rows],
                )

    @staticmethod
    def _vectors(row: Row) -> tuple[bool, str, str, str]:
        """Whether the body is too long for positions, and the vectors ``vec``, ``lex`` and ``title_vec``."""
        positions: dict[str, list[str]] = defaultdict(list)
        title = stream_tokens(row.title_norm, marks=True)
        for i, token in enumerate(title[:PG_MAX_POSITION], start=1):
            positions[token].append(str(i))
        scope = [_pg_lexeme(SCOPE_MARK + t) for t in row.scope]
        title_pairs = _pairs(title)
        title_vec = [f"{_pg_lexeme(t)}:{','.join(p[:PG_MAX_POSITIONS_PER_LEXEME])}" for t, p in positions.items()]
        title_vec += [_pg_lexeme(p) for p in title_pairs] + scope
        body = stream_tokens(row.text_norm, marks=True)
        start = min(len(title), PG_MAX_POSITION) + 2
        body_positions: dict[str, list[int]] = defaultdict(list)
        for i, token in enumerate(body, start=start):
            body_positions[token].append(i)
        long = start + len(body) > PG_MAX_POSITION or any(
            len(p) + len(positions.get(t, ())) > PG_MAX_POSITIONS_PER_LEXEME for t, p in body_positions.items()
        )
        for token, places in body_positions.items():
            # A long body's tokens sit at one far position: no phrase can be found in them, so the query
            # finds long documents by ``lex`` and checks the string.
            positions[token] += [str(PG_MAX_POSITION)] if long else [str(p) for p in places]
        vec = " ".join(f"{_pg_lexeme(t)}:{','.join(p[:PG_MAX_POSITIONS_PER_LEXEME])}" for t, p in positions.items())
        lex = [_pg_lexeme(t) for t in positions] + [_pg_lexeme(p) for p in title_pairs | _pairs(body)] + scope
        return long, vec, " ".join(lex), " ".join(title_vec)

    def optimize(self) -> None:
        # Move the GIN index's pending list into the index and give the planner fresh statistics
        # (lexeme frequencies decide between the GIN index and the rank_key order).
        with connection.cursor() as cursor:
            if connection.in_atomic_block:
                cursor.execute(f"ANALYZE {VECTOR_TABLE}")
            else:
                cursor.execute(f"VACUUM ANALYZE {VECTOR_TABLE}")

    @staticmethod
    def _tsquery(parts, *, phrases: bool = True) -> str:
        """Every part's atoms as lexemes of ``lex``: a token, or the pairs of a phrase; with ``phrases`` (for
        ``title_vec``) also the phrase itself where the pairs do not decide it."""
        atoms = []
        for part in parts:
            for atom in part.atoms:
                tokens = atom.tokens
                if len(tokens) == 1:
                    atoms.append(_pg_lexeme(tokens[0]) + (":*" if atom.prefix else ""))
                    continue
                # Only the phrase's last token may go on in the text (as in FTS5's "a b c"*).
                last = len(tokens) - 2
                terms = [
                    _pg_lexeme(_pair(a, b)) + (":*" if atom.prefix and i == last else "")
                    for i, (a, b) in enumerate(pairwise(tokens))
                ]
                if phrases and _needs_positions(atom):
                    terms.append(PostgresEngine._phrase(atom))
                atoms.append("(" + " & ".join(terms) + ")")
        return " & ".join(atoms)

    @staticmethod
    def _phrase(atom) -> str:
        lexemes = [_pg_lexeme(t) for t in atom.tokens[:-1]]
        lexemes.append(_pg_lexeme(atom.tokens[-1]) + (":*" if atom.prefix else ""))
        return "(" + " <-> ".join(lexemes) + ")"

    @staticmethod
    def _scoped(tsquery: str, query: Compiled) -> str:
        return " & ".join([f"({tsquery})", *(_pg_lexeme(SCOPE_MARK + t) for t in query.scope)])

    def _select(self, columns: str, query: Compiled, tier: str, join: bool = False) -> tuple[str, list]:
        fields = "v.document_id, v.rank_key, v.title_norm, v.title_vec"
        lexemes = self._scoped(self._tsquery(query.parts, phrases=False), query)
        phrases = [self._phrase(atom) for part in query.parts for atom in part.atoms if _needs_positions(atom)]
        if tier == TITLE:
            # Every part in the title: the small title vector alone (scope lexemes included) decides.
            matches = f"(SELECT {fields} FROM {VECTOR_TABLE} v WHERE v.title_vec @@ %s::tsquery)"  # nosec B608 - table names are module constants, every value a parameter
            params = [self._scoped(self._tsquery(query.parts), query)]
        elif not phrases:
            matches = f"(SELECT {fields} FROM {VECTOR_TABLE} v WHERE v.lex @@ %s::tsquery)"  # nosec B608 - table names are module constants, every value a parameter
            params = [lexemes]
        else:
            # The phrase is checked by the function behind @@, which no index serves, so the planner takes
            # the candidates from ``lex`` (pairs make them nearly exactly the matches) and reads ``vec`` only
            # for them. Long documents: their lexemes, then the string itself for every part that needs
            # positions. One SELECT (not a UNION of the two kinds), so a page of many matches can walk the
            # rank-key index newest first.
            positional = tuple(p for p in query.parts if p.exact_in_index and any(map(_needs_positions, p.atoms)))
            long_checks, long_params = self._string_checks(positional)
            matches = (
                f"(SELECT {fields} FROM {VECTOR_TABLE} v WHERE v.lex @@ %s::tsquery AND CASE WHEN v.long"  # nosec B608 - table names are module constants, every value a parameter
                f" THEN EXISTS (SELECT 1 FROM {DOCUMENT_TABLE} d WHERE d.id = v.document_id AND {long_checks})"
                " ELSE ts_match_vq(v.vec, %s::tsquery) END)"
            )
            params = [lexemes, *long_params, " & ".join(phrases)]
        sql = f"SELECT {columns} FROM {matches} v"  # nosec B608 - table names are module constants, every value a parameter
        if join:
            sql += f" JOIN {DOCUMENT_TABLE} d ON d.id = v.document_id"
        key_range, key_params = self._key_range(query)
        sql += " WHERE TRUE" + key_range
        params += key_params
        if tier == REST:
            sql += " AND NOT v.title_vec @@ %s::tsquery"
            params.append(self._tsquery(query.parts))
        return sql, params

    def size_bytes(self) -> int:
        rows = self._fetch("SELECT pg_total_relation_size(%s::regclass)", [VECTOR_TABLE])
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
                f"DELETE FROM {VECTOR_TABLE} v WHERE NOT EXISTS "  # nosec B608 - table names are module constants, every value a parameter
                f"(SELECT 1 FROM {DOCUMENT_TABLE} d WHERE d.id = v.document_id)"
            )
            return cursor.rowcount
        if db.vendor != "sqlite":
            return 0
        cursor.execute(f"SELECT count(*) FROM {FTS_TABLE}_docsize")  # nosec B608 - table names are module constants, every value a parameter
        indexed = cursor.fetchone()[0]
        if indexed == SearchDocument.objects.using(using).exclude(rank_key=None).count():
            return 0
        # A contentless row is removed with its tokens, which an orphan no longer has: start again
        # from the documents, which hold everything the index is made of.
        for table in (FTS_TABLE, TITLE_TABLE):
            cursor.execute(f"INSERT INTO {table}({table}) VALUES ('delete-all')")  # nosec B608 - table names are module constants, every value a parameter
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
