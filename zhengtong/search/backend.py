"""Wagtail's search backend for staff search in the admin, speaking Zhengtong's analyzer.

The admin (page explorer search, page chooser, images, documents, snippets, users) searches through
``WAGTAILSEARCH_BACKENDS``. Its stock database backend indexes a run of Chinese characters as one token,
so 协同办公 misses 协同办公平台运行良好; staff search covers drafts, which the public index does not hold,
so the fix belongs in this backend rather than in ``zhengtong.search.query``.

This is the stock backend of the database in use (SQLite FTS5 or PostgreSQL tsvector) with these changes:

- At index time each field's text becomes ``analyzer.stream_tokens`` joined by spaces (Chinese bigrams
  then the run's last character, words whole), which FTS5's default tokenizer and PostgreSQL's ``simple``
  configuration split back into exactly those tokens.
- At query time every text in the query (``PlainText``, ``Phrase``) is parsed like the public search
  (``analyzer.parse_query``: space-separated parts all required, quoted phrases kept) and each part
  becomes a phrase of ``analyzer.phrase_tokens``: adjacent bigrams, so a query of two or more Chinese
  characters finds exactly the fields that contain it, never the same bigrams apart.
- On SQLite, relevance comes from one join with the FTS table instead of a MATCH per result.

There is no string check here, unlike the public search: punctuation between words is not indexed
(木政发2015 12号 matches 木政发〔2015〕12号), and a word at the start of a Chinese phrase must be whole.
On PostgreSQL a tsvector keeps at most 256 positions per token and none beyond 16383, so in very long
bodies a phrase far into the text can be missed; titles, which the admin searches, are not affected.
"""

import time
from functools import cache
from typing import NamedTuple

from django.db import connection, transaction
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Count, Max, Q, QuerySet, Sum
from django.db.models.functions import Length
from modelsearch.backends import database
from modelsearch.backends.base import BaseSearchBackend
from modelsearch.query import MATCH_NONE, And, Boost, Not, Or, Phrase, PlainText, SearchQuery

from .analyzer import normalise, parse_query, phrase_tokens, stream_tokens


class TitleTotals(NamedTuple):
    """Lengths of the non-empty titles in the admin index up to ``last_id``, as counted at ``counted_at``."""

    total: int
    count: int
    last_id: int
    counted_at: float


# Per database alias: the SQLite index keeps these to give new rows their title norm (see add_items).
_title_totals: dict[str, TitleTotals] = {}
TITLE_TOTALS_SECONDS = 600


def analysed_text(text: str) -> str:
    """What the index stores for ``text``: its analyzer tokens, separated by spaces."""
    return " ".join(stream_tokens(normalise(text)))


class TokenPhrase(Phrase):
    """Analyzer tokens that must follow each other in a field; the last may only start a token (``prefix``).

    A ``Phrase``, so modelsearch's query normalisation and ranking handle it as one; the compilers below
    turn it into FTS5 or tsquery syntax.
    """

    def __init__(self, tokens: list[str], prefix: bool) -> None:
        super().__init__(" ".join(tokens))
        self.tokens = tuple(tokens)
        self.prefix = prefix

    def __repr__(self) -> str:
        return f"<TokenPhrase {self.query_string!r} prefix={self.prefix}>"


def analyse_query(query: SearchQuery, *, autocomplete: bool = False) -> SearchQuery | None:
    """``query`` with each text replaced by ``TokenPhrase`` parts; ``None`` if nothing in it is searchable.

    A text with nothing searchable (punctuation only) is left out of ``And``/``Or``, as ``parse_query``
    leaves out such parts. In autocomplete, the last word of a text may be unfinished, as in the stock
    backend, so it becomes a prefix.
    """
    if isinstance(query, PlainText):
        parts = parse_query(query.query_string)
        phrases = [
            TokenPhrase(*phrase_tokens(part.phrase, prefix_word=autocomplete and i == len(parts) - 1))
            for i, part in enumerate(parts)
        ]
        return _combine(Or if query.operator == "or" else And, phrases)
    if isinstance(query, Phrase):
        tokens, prefix = phrase_tokens(normalise(query.query_string).strip())
        return TokenPhrase(tokens, prefix) if tokens else None
    if isinstance(query, And | Or):
        return _combine(type(query), [analyse_query(sub, autocomplete=autocomplete) for sub in query.subqueries])
    if isinstance(query, Not | Boost):
        inner = analyse_query(query.subquery, autocomplete=autocomplete)
        if inner is None:
            return None
        return Not(inner) if isinstance(query, Not) else Boost(inner, query.boost)
    return query  # MatchAll, Fuzzy: no text for the analyzer


def _combine(kind: type[And | Or], queries: list[SearchQuery | None]) -> SearchQuery | None:
    kept = [query for query in queries if query is not None]
    if len(kept) <= 1:
        return kept[0] if kept else None
    return kind(kept)


class PreparedOnceMixin:
    """For the stock object indexers: each field's value read once per object, each text analysed once.

    The stock indexer walks every search field again for each column it fills (three on SQLite,
    five on PostgreSQL), reading the value each time: a rich-text body is stripped of its tags
    three times. Top-level fields of the object are kept here after their first reading (related
    objects are read as before); a text that fills two columns (a page's title is also its
    autocomplete text) is analysed once.
    """

    obj: object

    def prepare_field(self, obj, field):
        if obj is not self.obj:
            return super().prepare_field(obj, field)
        prepared = self.__dict__.setdefault("_prepared", {})
        # The field objects are those of self.search_fields, alive as long as this indexer.
        if id(field) not in prepared:
            prepared[id(field)] = list(super().prepare_field(obj, field))
        return iter(prepared[id(field)])

    def analysed(self, text: str) -> str:
        texts = self.__dict__.setdefault("_analysed", {})
        if text not in texts:
            texts[text] = analysed_text(text)
        return texts[text]


class TitleNormsMixin:
    """For the stock indexes: the title norm of rows being written, without reading the whole index.

    The stock indexes write rows with ``title_norm`` 1.0 and then set it to the average title length
    of the index over the row's own (``_refresh_title_norms``): a scan of the table for the average,
    another for the rows at 1.0, and a second write of every new row, which on SQLite fires the
    trigger that tokenises the row into FTS5 again and on PostgreSQL adds its vectors to the GIN
    indexes again. Here the norms go into the rows as they are written, from kept totals.
    """

    entries: QuerySet
    write_connection: BaseDatabaseWrapper

    def _average_title_length(self, new_lengths: list[int]) -> float:
        """The average length of the non-empty titles in the index once rows with ``new_lengths`` are added.

        The totals are kept per database and only rows added since are read, with a full count again
        after ``TITLE_TOTALS_SECONDS`` to take in deletions and edits (and, on PostgreSQL, rows a
        concurrent transaction committed under a lower id). ``_keep_title_totals`` keeps them once the
        transaction commits, so a rolled-back batch is not counted.
        """
        new_lengths = [length for length in new_lengths if length]
        kept = _title_totals.get(self.write_connection.alias)
        if kept is None or time.monotonic() - kept.counted_at > TITLE_TOTALS_SECONDS:
            kept, rows = TitleTotals(0, 0, 0, time.monotonic()), self.entries
        else:
            rows = self.entries.filter(pk__gt=kept.last_id)
        added = rows.annotate(title_length=Length("title")).aggregate(
            total=Sum("title_length"), count=Count("pk", filter=Q(title_length__gt=0)), last_id=Max("pk")
        )
        total = kept.total + (added["total"] or 0) + sum(new_lengths)
        count = kept.count + added["count"] + len(new_lengths)
        self._totals_after_insert = TitleTotals(total, count, max(kept.last_id, added["last_id"] or 0), kept.counted_at)
        return total / count if count else 1.0

    def _keep_title_totals(self, last_id: int) -> None:
        """The rows written up to ``last_id`` are counted in the totals: keep them when the transaction commits."""
        totals = self._totals_after_insert._replace(last_id=max(last_id, self._totals_after_insert.last_id))
        alias = self.write_connection.alias
        transaction.on_commit(lambda: _title_totals.__setitem__(alias, totals), using=alias)


class AnalysedQueryMixin:
    """For query compilers: analyse the query once, before the stock compiler walks it."""

    LAST_TERM_IS_PREFIX: bool

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.query = analyse_query(self.query, autocomplete=self.LAST_TERM_IS_PREFIX) or MATCH_NONE


def SearchBackend(params: dict) -> BaseSearchBackend:
    """The backend for the default database, as ``wagtail.search.backends.database`` chooses it, analysed.

    (A function with a class's name: modelsearch looks up ``SearchBackend`` in a backend module.)

    Without FTS5 (never with Python's own SQLite) the stock fallback backend remains: it matches
    substrings with LIKE, which already finds Chinese sub-words.
    """
    if connection.vendor == "postgresql":
        return postgres_backend_class()(params)
    backend = database.SearchBackend(params)
    if connection.vendor == "sqlite" and database.USE_SQLITE_FTS:
        return sqlite_backend_class()(params)
    return backend


# The vendor modules are imported on first use: each declares models that exist only on its own database.


@cache
def sqlite_backend_class() -> type[BaseSearchBackend]:
    """The SQLite FTS5 backend with the analyzer at index and query time."""
    from modelsearch.backends.database.sqlite import sqlite as stock
    from modelsearch.backends.database.sqlite.query import Lexeme, SearchQueryExpression

    class Indexer(PreparedOnceMixin, stock.ObjectIndexer):
        # The stock indexer joins each column's field values with spaces; the analysed text keeps
        # them apart too, as a Chinese run cannot cross a space.
        @property
        def title(self) -> str:
            return self.analysed(stock.ObjectIndexer.title.func(self))

        @property
        def body(self) -> str:
            return self.analysed(stock.ObjectIndexer.body.func(self))

        @property
        def autocomplete(self) -> str:
            return self.analysed(stock.ObjectIndexer.autocomplete.func(self))

    class Index(TitleNormsMixin, stock.SQLiteIndex):
        indexer_class = Indexer

        def add_items(self, model, objs):
            """modelsearch 1.3.2's ``SQLiteIndex.add_items`` with our indexer, and writing each row once.

            New rows go in with their title norm (``TitleNormsMixin``), as the stock update would
            leave them (it keeps the norm of rows already indexed, which are updated in one
            ``executemany``).
            test_admin_search checks that the stock method has not changed.
            """
            search_fields = model.get_search_fields()
            if not search_fields:
                return
            indexers = [self.indexer_class(obj, self.backend) for obj in objs]
            if not indexers:
                return
            content_type_pk = stock.get_content_type_pk(model)
            ids_and_data = {indexer.id: (indexer.title, indexer.autocomplete, indexer.body) for indexer in indexers}
            index_entries_for_ct = self.entries.filter(content_type_id=content_type_pk)
            indexed_ids = frozenset(
                index_entries_for_ct.filter(object_id__in=ids_and_data.keys()).values_list("object_id", flat=True)
            )
            table = stock.IndexEntry._meta.db_table
            if indexed_ids:
                with self.write_connection.cursor() as cursor:
                    cursor.executemany(
                        f"UPDATE {table} SET title = %s, autocomplete = %s, body = %s"  # noqa: S608 - the table's name  # nosec B608
                        " WHERE content_type_id = %s AND object_id = %s",
                        [(*ids_and_data[object_id], content_type_pk, object_id) for object_id in indexed_ids],
                    )
            new = {object_id: data for object_id, data in ids_and_data.items() if object_id not in indexed_ids}
            if not new:
                return
            average = self._average_title_length([len(title) for title, _autocomplete, _body in new.values()])
            created = self.entries.bulk_create(
                stock.IndexEntry(
                    content_type_id=content_type_pk,
                    object_id=object_id,
                    title=title,
                    autocomplete=autocomplete,
                    body=body,
                    title_norm=average / len(title) if title else 1.0,
                )
                for object_id, (title, autocomplete, body) in new.items()
            )
            if created:
                self._keep_title_totals(max(entry.pk for entry in created))

    class QueryCompiler(AnalysedQueryMixin, stock.SQLiteSearchQueryCompiler):
        # Stock relevance: bm25 weighted by the title's norm (title column) plus bm25 (body column).
        score_sql = "bm25({fts}) * ({entries}.title_norm + 1.0)"

        def build_search_query_content(self, query, config=None):
            if isinstance(query, TokenPhrase):
                # An FTS5 phrase: "协同 同办 办公", with * when its last token is a prefix.
                return SearchQueryExpression(Lexeme(query.query_string, prefix=query.prefix))
            return super().build_search_query_content(query, config=config)

        def search(self, config, start, stop, score_field=None):
            """Results with their scores from one join with the FTS table.

            The stock method scores each result with a correlated subquery that runs the MATCH
            again, so its time grows with the square of the matches: a county's name, in nearly
            every title, took 5 s over 2,000 pages. Bigrams make such common matches the norm.
            """
            query = stock.normalize(self.query)
            wants_score = self.order_by_relevance or score_field is not None
            if not wants_score or isinstance(query, stock.MatchAll | stock.Not):  # nothing to score
                return super().search(config, start, stop, score_field)
            model, queryset = self.queryset.model, self.queryset
            match = stock.MatchExpression(self.fields or self.FTS_TABLE_FIELDS, self.build_search_query(query, config))
            match_sql, match_params = match.as_sql(queryset.query.get_compiler(using=queryset.db), None)
            fts, entries = stock.SQLiteFTSIndexEntry._meta.db_table, stock.IndexEntry._meta.db_table
            content_types = ", ".join(str(int(pk)) for pk in stock.get_descendants_content_types_pks(model))
            # extra(): the ORM joins index entries to objects on CAST(pk AS text), which no index
            # serves; comparing the text column with the integer key directly uses the primary key.
            queryset = queryset.extra(  # noqa: S610 - only table names and integers; the query is a parameter  # nosec B610
                tables=[entries, fts],
                where=[
                    f"{fts}.rowid = {entries}.id",
                    f"{entries}.content_type_id IN ({content_types})",
                    f"{entries}.object_id = {model._meta.db_table}.{model._meta.pk.column}",
                    match_sql,
                ],
                params=match_params,
                select={score_field or "_score": self.score_sql.format(fts=fts, entries=entries)},
            )
            if self.order_by_relevance:
                queryset = queryset.order_by(score_field or "_score", "-pk")  # bm25: lower is better
            elif not queryset.query.order_by:
                queryset = queryset.order_by("-pk")
            return queryset[start:stop]

    class AutocompleteQueryCompiler(QueryCompiler, stock.SQLiteAutocompleteQueryCompiler):
        score_sql = "bm25({fts})"  # the autocomplete column alone, as in the stock compiler

    class Backend(stock.SQLiteSearchBackend):
        query_compiler_class = QueryCompiler
        autocomplete_query_compiler_class = AutocompleteQueryCompiler
        index_class = Index

    return Backend


@cache
def postgres_backend_class() -> type[BaseSearchBackend]:
    """The PostgreSQL tsvector backend with the analyzer at index and query time."""
    from django.contrib.postgres.search import SearchQuery as TsQuery
    from modelsearch.backends.database.postgres import postgres as stock

    class Indexer(PreparedOnceMixin, stock.ObjectIndexer):
        def as_vector(self, texts, for_autocomplete=False):
            # Only the tsvector columns get tokens; title_text and body_text stay plain for fuzzy search.
            return super().as_vector([(self.analysed(text), weight) for text, weight in texts], for_autocomplete)

    class Index(TitleNormsMixin, stock.PostgresIndex):
        indexer_class = Indexer

        def add_items(self, model, objs):
            """modelsearch 1.3.2's ``PostgresIndex.add_items`` with our indexer, the rows written with their norm.

            The stock method sets ``title_norm`` 1.0 (new rows and rows it replaces) and then
            rewrites those rows with their norm; here the title's lexemes are counted first (one
            query) and each row goes in with its norm (``TitleNormsMixin``). test_admin_search checks
            that the stock method has not changed.
            """
            search_fields = model.get_search_fields()
            if not search_fields:
                return
            indexers = [self.indexer_class(obj, self.backend) for obj in objs]
            if not indexers:
                return
            content_type_pk = stock.get_content_type_pk(model)
            entry = stock.IndexEntry
            compiler = stock.InsertQuery(entry).get_compiler(connection=self.write_connection)
            rows = []  # per object: {column: (sql, params)}
            for indexer in indexers:
                row = {}
                for column in ("title", "autocomplete", "body"):
                    value = compiler.prepare_value(entry._meta.get_field(column), getattr(indexer, column))
                    row[column] = value.as_sql(compiler, self.write_connection)
                rows.append(row)
            indexed_ids = frozenset(
                self.entries.filter(
                    content_type_id=content_type_pk, object_id__in=[indexer.id for indexer in indexers]
                ).values_list("object_id", flat=True)
            )
            title_lengths = self._lexeme_counts([row["title"] for row in rows])
            average = self._average_title_length(
                [
                    length
                    for indexer, length in zip(indexers, title_lengths, strict=True)
                    if indexer.id not in indexed_ids
                ]
            )
            data_sql, data_params = [], []
            for indexer, row, length in zip(indexers, rows, title_lengths, strict=True):
                data_sql.append(f"(%s, %s, {row['title'][0]}, {row['autocomplete'][0]}, {row['body'][0]}, %s, %s, %s)")
                data_params += [content_type_pk, indexer.id, *row["title"][1], *row["autocomplete"][1], *row["body"][1]]
                data_params += [average / length if length else 1.0, indexer.title_text, indexer.body_text]
            with self.write_connection.cursor() as cursor:
                cursor.execute(
                    f"""
                    INSERT INTO {entry._meta.db_table} (content_type_id, object_id, title, autocomplete, body,
                                                       title_norm, title_text, body_text)
                    (VALUES {", ".join(data_sql)})
                    ON CONFLICT (content_type_id, object_id)
                    DO UPDATE SET title = EXCLUDED.title,
                                  title_norm = EXCLUDED.title_norm,
                                  autocomplete = EXCLUDED.autocomplete,
                                  body = EXCLUDED.body,
                                  title_text = EXCLUDED.title_text,
                                  body_text = EXCLUDED.body_text
                    RETURNING id
                    """,  # nosec B608 - table name from the model, values are parameters
                    data_params,
                )
                self._keep_title_totals(max(row_id for (row_id,) in cursor.fetchall()))

        def _lexeme_counts(self, vectors: list[tuple[str, list]]) -> list[int]:
            """``length()`` of each compiled tsvector expression: what the stock norm divides by."""
            sql = ", ".join(f"({i}, length({expression}))" for i, (expression, _params) in enumerate(vectors))
            params = [param for _expression, expression_params in vectors for param in expression_params]
            with self.write_connection.cursor() as cursor:
                cursor.execute(f"SELECT n FROM (VALUES {sql}) AS v(i, n) ORDER BY i", params)  # noqa: S608 - compiled expressions  # nosec B608
                return [n for (n,) in cursor.fetchall()]

    class QueryCompiler(AnalysedQueryMixin, stock.PostgresSearchQueryCompiler):
        def build_tsquery_content(self, query, config=None, invert=False):
            if isinstance(query, TokenPhrase):
                # '协同' <-> '同办' <-> '办公', with :* when the last token is a prefix.
                lexemes = " <-> ".join("'{}'".format(t.replace("'", "''").replace("\\", "\\\\")) for t in query.tokens)
                raw = lexemes + (":*" if query.prefix else "")
                return TsQuery(f"!({raw})" if invert else raw, search_type="raw", config=config)
            return super().build_tsquery_content(query, config=config, invert=invert)

    class AutocompleteQueryCompiler(QueryCompiler, stock.PostgresAutocompleteQueryCompiler):
        pass

    class Backend(stock.PostgresSearchBackend):
        query_compiler_class = QueryCompiler
        autocomplete_query_compiler_class = AutocompleteQueryCompiler
        index_class = Index

        def __init__(self, params):
            super().__init__(params)
            # The tokens are already normalised; a language configuration would stem them or drop
            # stop words, breaking the positions phrases rely on.
            self.config = "simple"

    return Backend
