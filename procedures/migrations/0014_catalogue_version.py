import time

from django.db import migrations, models


def first_version(apps, schema_editor):
    # From the clock: a new database never starts from a number the cache may hold pages under.
    apps.get_model("procedures", "CatalogueVersion").objects.create(pk=1, value=time.time_ns() // 1000)


class Migration(migrations.Migration):

    dependencies = [
        ("procedures", "0013_verbose_names_in_admin"),
    ]

    operations = [
        migrations.CreateModel(
            name="CatalogueVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("value", models.BigIntegerField()),
            ],
        ),
        migrations.RunPython(first_version, migrations.RunPython.noop),
    ]
