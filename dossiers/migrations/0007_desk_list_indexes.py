"""Indexes for the clerk's dossier list in the admin at a million dossiers (issue #15).

Each usual filter reads its first page of 50 from an index already in the list's order
(DossierAdmin.ordering, then Django's -pk) and stops there:

- dossier_desk_order and dossier_desk_status_order (0005) now carry the status and the agency as INCLUDE
  columns, so a deep page's keys (common.pagination) come from the index without reading the table;
- dossier_desk_pending_order, the same order over the dossiers received and not yet done (the clock runs or
  waits on a supplement): the overdue filter and every bucket of the work queue but "to receive" and "to
  return" (one status each, dossier_desk_status_order). Without it PostgreSQL walks the whole list in order
  looking for them: they are all recent, at the end of it;
- trigram indexes on the upper-cased code, name and identity number, the expressions Django's icontains
  compares (UPPER(col::text) LIKE UPPER('%…%')), for the search box;
- dossier_agency_status, a plain index, so a clerk's count by status is read from the index alone.

PostgreSQL only but the last: SQLite has neither NULLS FIRST in an index nor pg_trgm, and the test database
there does without them. Built CONCURRENTLY (hence atomic = False): a province's table stays writable while
they build.
"""

from django.contrib.postgres.indexes import GinIndex, OpClass
from django.db import migrations, models
from django.db.models import F, Q
from django.db.models.functions import Upper

PENDING = [2, 4, 5, 6, 7]  # RECEIVED, PROCESSING, SUPPLEMENT, PAYMENT, WITHDRAWAL
DESK_ORDER = [F("is_online").desc(), F("due_date").asc(nulls_first=True), F("submitted_at").asc(), F("id").desc()]
# (name, key expressions, INCLUDE columns); 0005 built them without INCLUDE.
REPLACED = [
    ("dossier_desk_order", DESK_ORDER, ["status", "agency"]),
    ("dossier_desk_status_order", [F("status"), *DESK_ORDER], ["agency"]),
]
ADDED = [
    models.Index(*DESK_ORDER, condition=Q(status__in=PENDING), name="dossier_desk_pending_order"),
    *(
        GinIndex(OpClass(Upper(column), name="gin_trgm_ops"), name=f"dossier_{short}_trgm")
        for short, column in (("code", "code"), ("name", "applicant_name"), ("identity", "applicant_identity"))
    ),
]


def _forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("dossiers", "Dossier")
    for name, keys, include in REPLACED:
        # Built beside the old one, then swapped: the list keeps an index in its order meanwhile.
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}_new")
        schema_editor.add_index(model, models.Index(*keys, include=include, name=f"{name}_new"), concurrently=True)
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
        schema_editor.execute(f"ALTER INDEX {name}_new RENAME TO {name}")
    for index in ADDED:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {index.name}")  # a build that failed half-way
        schema_editor.add_index(model, index, concurrently=True)
    # The planner's statistics of the indexed expressions (UPPER(applicant_name)…) are gathered by ANALYZE, which
    # autovacuum runs only after a tenth of the table has changed. Without them it takes a common name for a
    # rare one and sorts every match: seconds instead of the first 50 read in order.
    schema_editor.execute("ANALYZE dossiers_dossier")


def _backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    model = apps.get_model("dossiers", "Dossier")
    for index in ADDED:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {index.name}")
    for name, keys, _include in REPLACED:
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
        schema_editor.add_index(model, models.Index(*keys, name=name), concurrently=True)


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("dossiers", "0006_applicant_units_postal_tracking_supplement_components"),
        # pg_trgm: created there for the catalogue's search (not here: going back must not drop it from under it).
        ("procedures", "0002_search_indexes"),
    ]

    operations = [
        migrations.AddIndex(
            model_name="dossier",
            index=models.Index(fields=["agency", "status"], name="dossier_agency_status"),
        ),
        migrations.RunPython(_forwards, _backwards, elidable=True),
    ]
