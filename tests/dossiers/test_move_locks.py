"""A move locks the dossier's row alone, so that two submissions to the same agency or procedure never deadlock.

The cluster test (bench/cluster.py) met PostgreSQL's "deadlock detected … while locking tuple in
procedures_agency": the move's SELECT … FOR UPDATE also locked the joined procedure, agency and citizen rows, in
whatever order the plan visited them, and two citizens submitting at once locked them in opposite orders.
"""

import psycopg
import pytest
from django.conf import settings

from dossiers.constants import DossierAction
from dossiers.services import dossier_move
from tests.factories.dossiers import Builder

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _other_connection():
    db = settings.DATABASES["default"]
    return psycopg.connect(host=db.get("HOST") or "127.0.0.1", port=db.get("PORT") or 5432,
                           user=db.get("USER") or "postgres", password=db.get("PASSWORD") or None, dbname=db["NAME"],
                           autocommit=True, connect_timeout=5)


def test_a_submission_locks_neither_its_agency_nor_its_procedure_nor_its_citizen():
    draft = Builder().ready_draft()
    seen = {}

    def guard(locked):
        """Run under the move's lock: can another connection lock the rows the dossier points at?"""
        rows = {"agency": ("procedures_agency", locked.agency_id), "procedure": ("procedures_procedure",
                locked.procedure_id), "citizen": ("accounts_user", locked.owner_id)}
        with _other_connection() as other:
            for name, (table, pk) in rows.items():
                try:
                    other.execute(f"SELECT 1 FROM {table} WHERE id = %s FOR UPDATE NOWAIT", [pk])
                    seen[name] = "free"
                except psycopg.errors.LockNotAvailable:
                    seen[name] = "locked by the move"

    dossier_move(dossier=draft, action=DossierAction.SUBMIT, actor=draft.owner, guard=guard)
    assert seen == {"agency": "free", "procedure": "free", "citizen": "free"}
