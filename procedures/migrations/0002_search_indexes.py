"""Trigram indexes for catalogue search on PostgreSQL; SQLite scans the folded column instead.

The indexed columns are folded in Python (procedures.text.fold) rather than with unaccent(),
which PostgreSQL does not accept in an index expression because it is not immutable.
"""

from django.db import migrations

INDEXES = {
    "procedures_search_text_trgm": "search_text",
    "procedures_name_folded_trgm": "name_folded",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, column in INDEXES.items():
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON procedures_procedure USING gin ({column} gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("procedures", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
