"""SQLite: a second, small FTS5 table of titles, so the title tier (title hits first) reads titles only.
PostgreSQL: filter lexemes get a mark of their own, so a query can never match them.

Filling either needs the analyzer, so the index is emptied here and ``./zt upgrade`` rebuilds it
(``reindex --if-empty``). See ADR 0006.
"""

from django.db import migrations

FTS_TABLE = "zt_search_fts"
TITLE_TABLE = "zt_search_title_fts"
OPTIONS = "tokenize='ascii', content='', prefix='1'"


def empty_index(connection) -> None:
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM zt_search_searchdocument")
        if connection.vendor == "postgresql":
            cursor.execute("TRUNCATE zt_search_vector")
        elif connection.vendor == "sqlite":
            cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('delete-all')")


def create(apps, schema_editor):
    connection = schema_editor.connection
    empty_index(connection)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE VIRTUAL TABLE {TITLE_TABLE} USING fts5(title, scope, {OPTIONS})")


def drop(apps, schema_editor):
    connection = schema_editor.connection
    empty_index(connection)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {TITLE_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("zt_search", "0003_marks_and_prefix_index")]

    operations = [migrations.RunPython(create, drop)]
