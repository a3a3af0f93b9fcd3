"""Create the three staff groups with the permissions that exist so far.

Later apps (dossiers) add their own permissions to these groups, by name, in their migrations.
"""

from django.db import migrations

# Frozen here on purpose: a migration must not change when accounts.constants does.
GROUP_PERMISSIONS = {
    "Cán bộ tiếp nhận": ["accounts.view_user", "notifications.view_email"],
    "Chuyên viên xử lý": ["accounts.view_user", "notifications.view_email"],
    "Lãnh đạo phê duyệt": ["accounts.view_user", "notifications.view_email"],
}


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran; make sure these exist now.
    for label in ("accounts", "notifications"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        for dotted in codenames:
            app_label, codename = dotted.split(".")
            group.permissions.add(Permission.objects.get(content_type__app_label=app_label, codename=codename))


def delete_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=GROUP_PERMISSIONS).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_confirmation_and_pending_email"),
        ("notifications", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, delete_groups)]
