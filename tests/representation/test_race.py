"""A request already in flight when the principal revokes does nothing (PostgreSQL, two real connections).

The revocation holds the authorisation's row (SELECT … FOR UPDATE, then the UPDATE) in another connection; the
representative's submission has passed the page's check and waits inside the move, under the dossier's row lock,
for the authorisation's row; once the revocation commits it reads the row again, sees it revoked, and refuses.
"""

import threading
import time

import psycopg
import pytest
from django.conf import settings

from dossiers.constants import DossierAction, DossierStatus
from dossiers.models import Dossier
from dossiers.services import dossier_move
from dossiers.workflow import MoveNotAllowed
from notifications.models import Email
from tests.factories.dossiers import Builder

from .conftest import authorisation, draft_for

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _other_connection():
    db = settings.DATABASES["default"]
    return psycopg.connect(host=db.get("HOST") or "127.0.0.1", port=db.get("PORT") or 5432,
                           user=db.get("USER") or "postgres", password=db.get("PASSWORD") or None, dbname=db["NAME"],
                           connect_timeout=5)


def _revoking(authorisation_id: int, *, hold: float):
    """Start revoking in another connection; commit after `hold` seconds (in a thread)."""
    other = _other_connection()
    other.execute("SELECT id FROM representation_authorisation WHERE id = %s FOR UPDATE", [authorisation_id])
    other.execute("UPDATE representation_authorisation SET revoked_at = now() WHERE id = %s", [authorisation_id])

    def commit_later():
        time.sleep(hold)
        other.commit()
        other.close()

    thread = threading.Thread(target=commit_later)
    thread.start()
    return thread


def test_a_submission_in_flight_waits_for_the_revocation_and_is_refused():
    build = Builder()
    a, b = build.citizen(), build.citizen()
    procedure = build.procedure()
    granted = authorisation(a, b)
    draft = draft_for(a, b, procedure)
    thread = _revoking(granted.pk, hold=0.6)
    started = time.monotonic()
    with pytest.raises(MoveNotAllowed):
        dossier_move(dossier=draft, action=DossierAction.SUBMIT, actor=b)
    waited = time.monotonic() - started
    thread.join()
    assert waited >= 0.5  # it did wait for the revocation's row lock
    assert Dossier.objects.get(pk=draft.pk).status == DossierStatus.DRAFT
    assert not Email.objects.filter(kind="dossier_submit").exists()


def test_a_submission_that_takes_the_row_first_is_done_and_the_revocation_waits_for_it():
    build = Builder()
    a, b = build.citizen(), build.citizen()
    procedure = build.procedure()
    granted = authorisation(a, b)
    draft = draft_for(a, b, procedure)
    seen = {}

    def guard(locked):
        """Under the move's locks: the principal's revocation cannot take the authorisation's row now."""
        with _other_connection() as other:
            try:
                other.execute("SELECT 1 FROM representation_authorisation WHERE id = %s FOR UPDATE NOWAIT",
                              [granted.pk])
                seen["authorisation"] = "free"
            except psycopg.errors.LockNotAvailable:
                seen["authorisation"] = "locked by the submission"

    dossier_move(dossier=draft, action=DossierAction.SUBMIT, actor=b, guard=guard)
    assert seen == {"authorisation": "locked by the submission"}
    assert Dossier.objects.get(pk=draft.pk).status == DossierStatus.SUBMITTED


def test_a_payment_start_in_flight_is_refused_after_the_revocation():
    from payments.services import payment_start
    from django.core.exceptions import ValidationError

    build = Builder()
    a, b = build.citizen(), build.citizen()
    procedure = build.procedure(fees=[50000])
    granted = authorisation(a, b)
    draft = draft_for(a, b, procedure)
    dossier = dossier_move(dossier=draft, action=DossierAction.SUBMIT, actor=b)
    thread = _revoking(granted.pk, hold=0.4)
    with pytest.raises(ValidationError) as refused:
        payment_start(dossier=dossier, user=b, gateway="vnpay", return_url="http://127.0.0.1/r", ipn_url="http://x/i",
                      client_ip="127.0.0.1")
    thread.join()
    assert refused.value.code == "owner"  # refused for who asks, not for the dossier's state
    assert not dossier.payments.exists()
