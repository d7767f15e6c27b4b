"""Punctuation and white space become tokens of the public index; SQLite gets a one-character prefix index,
PostgreSQL keeps the title beside the vector.

The token streams change, so the index is emptied here and ``./zt upgrade`` rebuilds it
(``reindex --if-empty``). See ADR 0006.
"""

from django.db import migrations

FTS_TABLE = "zt_search_fts"
VECTOR_TABLE = "zt_search_vector"


def recreate(apps, schema_editor, prefix=True):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM zt_search_searchdocument")
        if connection.vendor == "sqlite":
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
            # prefix='1': a one-character query, or a phrase ending on one character, reads one
            # prefix list instead of merging every token that starts with that character.
            options = "tokenize='ascii', content=''" + (", prefix='1'" if prefix else "")
            cursor.execute(f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title, body, scope, {options})")
        elif connection.vendor == "postgresql":
            cursor.execute(f"TRUNCATE {VECTOR_TABLE}")
            if prefix:
                # The title beside the vector: a search reads every match once with its title (engines.py).
                cursor.execute(f"ALTER TABLE {VECTOR_TABLE} ADD COLUMN title_norm text NOT NULL")
            else:
                cursor.execute(f"ALTER TABLE {VECTOR_TABLE} DROP COLUMN title_norm")


def back(apps, schema_editor):
    recreate(apps, schema_editor, prefix=False)


class Migration(migrations.Migration):
    dependencies = [("zt_search", "0002_fulltext_tables")]

    operations = [migrations.RunPython(recreate, back)]
