"""Replace the posting table with the database's own full-text index (ADR 0006).

The index is derived data: existing documents are dropped here and ``./zt upgrade``
rebuilds them (it runs ``reindex`` when pages are live and the index is empty).
"""

from django.db import migrations, models

FTS_TABLE = "zt_search_fts"
VECTOR_TABLE = "zt_search_vector"


def create_fulltext(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM zt_search_searchdocument")
        if connection.vendor == "sqlite":
            # ascii tokenizer: our tokens are space-separated and already normalised; SQLite must
            # not split or fold them again (every non-ASCII character is a token character).
            cursor.execute(
                f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(title, body, scope, tokenize='ascii', content='')"
            )
        elif connection.vendor == "postgresql":
            # No foreign key: Django's flush truncates the documents table alone; rows of deleted
            # documents go through engines.py (a pre_delete signal), stale ones after a flush are swept.
            cursor.execute(
                f"""CREATE TABLE {VECTOR_TABLE} (
                    document_id bigint PRIMARY KEY,
                    rank_key bigint NOT NULL UNIQUE,
                    long boolean NOT NULL,
                    vec tsvector NOT NULL
                )"""
            )
            cursor.execute(f"CREATE INDEX {VECTOR_TABLE}_vec ON {VECTOR_TABLE} USING gin (vec)")
            cursor.execute(f"CREATE INDEX {VECTOR_TABLE}_long ON {VECTOR_TABLE} (document_id) WHERE long")


def drop_fulltext(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM zt_search_searchdocument")
        if connection.vendor == "sqlite":
            cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")
        elif connection.vendor == "postgresql":
            cursor.execute(f"DROP TABLE IF EXISTS {VECTOR_TABLE}")


class Migration(migrations.Migration):
    dependencies = [("zt_search", "0001_initial")]

    operations = [
        migrations.DeleteModel(name="SearchPosting"),
        migrations.RunPython(create_fulltext, drop_fulltext),
        migrations.AddField(
            model_name="searchdocument",
            name="rank_key",
            field=models.BigIntegerField(null=True, unique=True),
        ),
    ]
