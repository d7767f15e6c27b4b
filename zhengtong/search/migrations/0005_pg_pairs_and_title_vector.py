"""PostgreSQL: the GIN index moves from the positional vector to a vector of lexemes without positions that
also holds pair lexemes, and a small title vector gets its own GIN index (ADR 0006, 2026-11-27), so phrase
queries read few positional vectors back. SQLite's index does not change.

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
        cursor.execute(f"DROP INDEX {VECTOR_TABLE}_vec")
        cursor.execute(f"ALTER TABLE {VECTOR_TABLE} ADD COLUMN lex tsvector NOT NULL, ADD COLUMN title_vec tsvector NOT NULL")
        cursor.execute(f"CREATE INDEX {VECTOR_TABLE}_lex ON {VECTOR_TABLE} USING gin (lex)")
        cursor.execute(f"CREATE INDEX {VECTOR_TABLE}_title_vec ON {VECTOR_TABLE} USING gin (title_vec)")


def backwards(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM zt_search_searchdocument")
        cursor.execute(f"TRUNCATE {VECTOR_TABLE}")
        cursor.execute(f"ALTER TABLE {VECTOR_TABLE} DROP COLUMN lex, DROP COLUMN title_vec")
        cursor.execute(f"CREATE INDEX {VECTOR_TABLE}_vec ON {VECTOR_TABLE} USING gin (vec)")


class Migration(migrations.Migration):
    dependencies = [("zt_search", "0004_sqlite_title_index")]

    operations = [migrations.RunPython(forwards, backwards)]
