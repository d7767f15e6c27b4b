"""Search benchmark: import N generated articles, then time queries drawn from their text.

Run through ./zt so the project's settings and venv are used, on a scratch data directory:

    ZT_DATA_DIR=$(mktemp -d) .venv/bin/python -m benchmarks.search_bench --count 100000
    ZT_DATA_DIR=$(mktemp -d) DATABASE_URL=postgres://postgres@127.0.0.1:5432/zt_bench \
        .venv/bin/python -m benchmarks.search_bench --count 100000 --seconds 900 --scratch-database

``--scratch-database`` (PostgreSQL) creates the database named in DATABASE_URL, which must not exist,
and drops it at the end.

It refuses a database that already holds pages beyond a fresh install (never point it at real data).
Figures are percentiles and rates from one run; see docs/PERFORMANCE.md.
"""

import argparse
import json
import os
import statistics
import tempfile
import time
from pathlib import Path
from types import SimpleNamespace

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "zhengtong.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--seconds", type=float, default=600, help="stop issuing queries after this long")
    parser.add_argument(
        "--queries-only", action="store_true", help="query a database this script filled before (after a change)"
    )
    parser.add_argument(
        "--scratch-database",
        action="store_true",
        help="PostgreSQL: create the database of DATABASE_URL (it must not exist) and drop it afterwards",
    )
    args = parser.parse_args()
    if args.scratch_database:
        url = os.environ.get("DATABASE_URL", "")
        if not url.startswith(("postgres://", "postgresql://")):
            raise SystemExit("--scratch-database needs DATABASE_URL pointing at PostgreSQL.")
        name = _admin_sql(url, "CREATE DATABASE {}")
        try:
            run(args)
        finally:
            from django.db import connections

            connections.close_all()
            _admin_sql(url, "DROP DATABASE {}")
            print(f"dropped scratch database {name}")
    else:
        run(args)


def _admin_sql(url: str, statement: str) -> str:
    """Run CREATE/DROP DATABASE for the database named in ``url``, connected to the server's postgres database."""
    from urllib.parse import urlsplit, urlunsplit

    import psycopg
    from psycopg import sql

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(urlunsplit(parts._replace(path="/postgres")), autocommit=True) as admin:
        admin.execute(sql.SQL(statement).format(sql.Identifier(name)))
    return name


def run(args) -> None:
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from wagtail.models import Page

    from benchmarks.corpus import ArticleGenerator
    from zhengtong.portal.testing import build_portal
    from zhengtong.search.engines import engine
    from zhengtong.search.models import SearchDocument
    from zhengtong.search.query import Filters, search

    call_command("migrate", verbosity=0)
    generator = ArticleGenerator()
    # The same articles either way, so the queries drawn afterwards are the same too.
    lines = [generator.article(n) for n in range(args.count)]
    raw_bytes = sum(len((line["title"] + line["body"]).encode()) for line in lines)
    import_seconds = reindex_seconds = 0.0
    if args.queries_only:
        from wagtail.models import Site

        portal = SimpleNamespace(site=Site.objects.get(hostname="bench.test"))
    else:
        if Page.objects.count() > 2:
            raise SystemExit("The database already has content: run the benchmark on a scratch database only.")
        portal = build_portal(hostname="bench.test")
        with tempfile.TemporaryDirectory() as scratch:
            path = Path(scratch) / "articles.jsonl"
            text = "\n".join(json.dumps(line, ensure_ascii=False) for line in lines) + "\n"
            path.write_text(text, encoding="utf-8")
            started = time.monotonic()
            call_command(
                "import_items", str(path), "--site", "bench.test", "--no-progress", stdout=open(os.devnull, "w")
            )
            import_seconds = time.monotonic() - started

        started = time.monotonic()
        call_command("reindex", "--no-progress", stdout=open(os.devnull, "w"), stderr=open(os.devnull, "w"))
        reindex_seconds = time.monotonic() - started

    texts = list(SearchDocument.objects.filter(site=portal.site, kind="信息").values_list("text", flat=True)[:5000])
    queries = generator.queries(texts, args.queries)
    # As the search page asks: this site's results, first page, with snippets.
    filters = Filters(site_id=portal.site.pk)
    latencies, totals, slowest = [], [], []
    deadline = time.monotonic() + args.seconds
    for query in queries:
        if time.monotonic() > deadline:
            break
        t = time.perf_counter()
        results = search(query, filters)
        [results.snippet(document) for document in results.documents]
        elapsed = (time.perf_counter() - t) * 1000
        latencies.append(elapsed)
        totals.append(results.total)
        slowest.append((elapsed, query, results.total))
    latencies.sort()

    def pct(p: float) -> float:
        return latencies[min(len(latencies) - 1, int(p * len(latencies)))]

    result = {
        "vendor": connection.vendor,
        "articles": args.count,
        "import_per_second": round(args.count / import_seconds, 1) if import_seconds else None,
        "reindex_per_second": round(SearchDocument.objects.count() / reindex_seconds, 1) if reindex_seconds else None,
        "queries": len(latencies),
        "p50_ms": round(pct(0.50), 1),
        "p95_ms": round(pct(0.95), 1),
        "p99_ms": round(pct(0.99), 1),
        "median_hits": statistics.median(totals) if totals else 0,
        "raw_text_mb": round(raw_bytes / 1e6, 1),
        "fulltext_index_mb": round(engine().size_bytes() / 1e6, 1),
        "documents_table_mb": round(documents_bytes(connection) / 1e6, 1),
        "slowest": [(round(ms, 1), q, n) for ms, q, n in sorted(slowest, reverse=True)[:5]],
    }
    print(json.dumps(result, ensure_ascii=False))


def documents_bytes(connection) -> int:
    """Bytes of the search documents table (text for snippets and string checks) and its indexes."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT pg_total_relation_size('zt_search_searchdocument')")
            return int(cursor.fetchone()[0] or 0)
        try:
            cursor.execute("SELECT sum(pgsize) FROM dbstat WHERE name LIKE 'zt_search_searchdocument%'")
            return int(cursor.fetchone()[0] or 0)
        except Exception:  # dbstat is not compiled into every SQLite
            return 0


if __name__ == "__main__":
    main()
