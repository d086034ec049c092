"""The engine-specific half of the index: an FTS5 table on SQLite, pg_trgm on PostgreSQL."""

from django.db import migrations


def forwards(apps, schema_editor):
    c = schema_editor.connection
    with c.cursor() as cur:
        if c.vendor == "sqlite":
            # Stems are written by Python (search.text), so the tokenizer only splits.
            cur.execute(
                "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(title, body, "
                "tokenize='unicode61 remove_diacritics 2')"
            )
        elif c.vendor == "postgresql":
            cur.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")


def backwards(apps, schema_editor):
    c = schema_editor.connection
    if c.vendor == "sqlite":
        with c.cursor() as cur:
            cur.execute("DROP TABLE IF EXISTS search_fts")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(forwards, backwards)]
