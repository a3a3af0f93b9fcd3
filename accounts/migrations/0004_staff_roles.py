"""The five staff roles of accounts.roles, as groups holding exactly their role's permissions.

Replaces what 0003 and dossiers 0002 granted (every group could read every account and every e-mail)
and removes the demo's catalogue-only clerk group. The matrix is read from accounts.roles on purpose:
the scheme is defined once; later changes to it are applied by the post-migrate sync as well.
"""

from django.db import migrations

APPS = ("accounts", "auth", "notifications", "procedures", "dossiers", "payments", "audit", "axes")


def sync(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    from accounts.staff import staff_roles_sync

    # Permissions are normally created after all migrations ran; make sure those of the matrix exist now.
    for label in APPS:
        try:
            app_config = apps.get_app_config(label)
        except LookupError:
            continue
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0, using=schema_editor.connection.alias)
    staff_roles_sync(
        group_model=apps.get_model("auth", "Group"),
        permission_model=apps.get_model("auth", "Permission"),
        using=schema_editor.connection.alias,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_staff_groups"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("notifications", "0003_redact_stored_links"),
        ("procedures", "0007_agency_staff_accountant"),
        ("dossiers", "0004_dossierfile_sha256"),
        ("payments", "0004_refund_flow"),
        ("audit", "0002_append_only_trigger"),
        ("axes", "0010_accessattemptexpiration"),
    ]

    operations = [migrations.RunPython(sync, migrations.RunPython.noop)]
