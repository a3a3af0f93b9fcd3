"""Give the staff groups the admin permissions they need for dossiers.

The groups are created by an accounts migration too; get_or_create by their exact names makes
the order of the two migrations irrelevant. What each member may do to a dossier is decided
by procedures.AgencyStaff and the transition table, not by these permissions.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUPS = ["Cán bộ tiếp nhận", "Chuyên viên xử lý", "Lãnh đạo phê duyệt"]
PERMISSIONS = ["view_dossier", "change_dossier", "view_dossierevent", "view_dossierfile", "view_calendarday"]


def grant(apps, schema_editor):
    app_config = apps.get_app_config("dossiers")
    app_config.models_module = True  # let create_permissions run inside a migration
    create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = list(Permission.objects.filter(content_type__app_label="dossiers", codename__in=PERMISSIONS))
    for name in GROUPS:
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.add(*permissions)


def revoke(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="dossiers", codename__in=PERMISSIONS)
    for group in Group.objects.filter(name__in=GROUPS):
        group.permissions.remove(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, revoke)]
