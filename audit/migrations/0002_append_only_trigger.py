"""On PostgreSQL, the database itself refuses to change or delete an access record.

Only a transaction that ran `SET LOCAL audit.prune = 'on'` (audit.services.access_prune) may delete.
SQLite (development) relies on the model and queryset guards alone.
"""

from django.db import migrations

CREATE = """
CREATE OR REPLACE FUNCTION audit_accessrecord_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('audit.prune', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'audit_accessrecord is append-only (% refused)', TG_OP;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_accessrecord_append_only BEFORE UPDATE OR DELETE ON audit_accessrecord
    FOR EACH ROW EXECUTE FUNCTION audit_accessrecord_append_only();
"""
DROP = """
DROP TRIGGER IF EXISTS audit_accessrecord_append_only ON audit_accessrecord;
DROP FUNCTION IF EXISTS audit_accessrecord_append_only();
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE, params=None)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP, params=None)


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_access_record")]

    operations = [migrations.RunPython(create, drop)]
