from django.db import migrations


def create(apps, schema_editor):
    """The feed's numbers, and every dossier already submitted in it (oldest change first), so that a client
    starting from the beginning of the feed gets them all."""
    Dossier = apps.get_model("dossiers", "Dossier")
    DossierChange = apps.get_model("api", "DossierChange")
    change, dossier = DossierChange._meta.db_table, Dossier._meta.db_table
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("CREATE SEQUENCE IF NOT EXISTS api_dossierchange_seq")
        schema_editor.execute(
            f"INSERT INTO {change} (dossier_id, agency_id, txid, seq, changed_at) "
            f"SELECT id, agency_id, pg_current_xact_id()::text::bigint, nextval('api_dossierchange_seq'), updated_at "
            f"FROM (SELECT id, agency_id, updated_at FROM {dossier} WHERE status <> 0 ORDER BY updated_at, id) AS d")
    else:  # SQLite numbers changes with MAX(seq) + 1 (one writer at a time)
        schema_editor.execute(
            f"INSERT INTO {change} (dossier_id, agency_id, txid, seq, changed_at) "
            f"SELECT id, agency_id, 0, ROW_NUMBER() OVER (ORDER BY updated_at, id), updated_at "
            f"FROM {dossier} WHERE status <> 0")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP SEQUENCE IF EXISTS api_dossierchange_seq")


class Migration(migrations.Migration):
    """The changes feed's numbers (api.services.dossier_change_record)."""

    dependencies = [("api", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
