"""Store the search columns as space-led word lists (word-start matching); recompute every row."""

from django.db import migrations


def refold(apps, schema_editor):
    from procedures.text import searchable

    Procedure = apps.get_model("procedures", "Procedure")
    for procedure in Procedure.objects.select_related("field").prefetch_related("agencies").iterator(chunk_size=500):
        procedure.name_folded = searchable(procedure.name)
        procedure.search_text = searchable(
            procedure.code,
            procedure.code.replace(".", " "),
            procedure.name,
            procedure.field.name,
            *[agency.name for agency in procedure.agencies.all()],
        )
        procedure.save(update_fields=["name_folded", "search_text"])


class Migration(migrations.Migration):
    dependencies = [("procedures", "0003_agency_staff")]
    operations = [migrations.RunPython(refold, migrations.RunPython.noop)]
