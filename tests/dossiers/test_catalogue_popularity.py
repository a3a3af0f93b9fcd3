"""A submitted dossier counts for its procedure's place in the catalogue (procedures' popularity)."""

from dossiers.services import dossier_submit
from procedures.popularity import decayed_count


def test_a_submission_counts_once_even_when_pressed_twice(build):
    draft = build.ready_draft()
    procedure = draft.procedure
    assert procedure.popularity == 0

    dossier_submit(dossier=draft, user=draft.owner)
    dossier_submit(dossier=draft, user=draft.owner)  # a second press returns the same dossier

    procedure.refresh_from_db()
    assert round(decayed_count(procedure.popularity), 3) == 1.0
