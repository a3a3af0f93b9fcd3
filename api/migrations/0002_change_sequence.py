from django.db import migrations


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":  # SQLite numbers changes with MAX(seq) + 1 (one writer)
        schema_editor.execute("CREATE SEQUENCE IF NOT EXISTS api_dossierchange_seq")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP SEQUENCE IF EXISTS api_dossierchange_seq")


class Migration(migrations.Migration):
    """The changes feed's numbers (api.services.dossier_change_record)."""

    dependencies = [("api", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
