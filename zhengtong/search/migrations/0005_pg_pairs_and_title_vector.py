"""PostgreSQL: pair lexemes in the vector and a small title vector with its own GIN index (ADR 0006,
2026-11-27), so phrase queries read few vectors back. SQLite's index does not change.

Filling the new layout needs the analyzer, so on PostgreSQL the index is emptied here and ``./zt upgrade``
rebuilds it (``reindex --if-empty``), as after 0004.
"""

from django.db import migrations

VECTOR_TABLE = "zt_search_vector"


def forwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM zt_search_searchdocument")
        cursor.execute(f"TRUNCATE {VECTOR_TABLE}")
        cursor.execute(f"ALTER TABLE {VECTOR_TABLE} ADD COLUMN title_vec tsvector NOT NULL")
        cursor.execute(f"CREATE INDEX {VECTOR_TABLE}_title_vec ON {VECTOR_TABLE} USING gin (title_vec)")


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM zt_search_searchdocument")
        cursor.execute(f"TRUNCATE {VECTOR_TABLE}")
        cursor.execute(f"ALTER TABLE {VECTOR_TABLE} DROP COLUMN title_vec")


class Migration(migrations.Migration):
    dependencies = [("zt_search", "0004_sqlite_title_index")]

    operations = [migrations.RunPython(forwards, backwards)]
