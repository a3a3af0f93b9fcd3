"""N identical POSTs at once on PostgreSQL (each thread its own connection): one draft, one dossier, one payment;
every answer is the first one's redirect or a 409, and a retry after the 409 gets the redirect."""

import pytest
from django.test import Client

from dossiers.constants import DossierAction, DossierStatus
from dossiers.models import Dossier, DossierEvent
from payments.models import Payment
from tests.idempotency.conftest import SUBMIT, fee_url, submit_url
from tests.support.threads import run_together

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

N = 8
KEY = "0123456789abcdef0123456789abcdef"


def post_together(user, path, data, *, n=N):
    """POST the same form from n clients of the same user, released at the same moment; return the answers."""
    clients = []
    for _ in range(n):
        client = Client()
        client.force_login(user)
        clients.append(client)
    answers = run_together(*[lambda client=client: client.post(path, data) for client in clients])
    assert not [a for a in answers if isinstance(a, Exception)], answers
    return answers, clients[0]


def one_outcome(answers) -> str:
    """Every answer is the same redirect or a 409 saying to retry; return the redirect."""
    locations = {a["Location"] for a in answers if a.status_code == 302}
    assert len(locations) == 1, [(a.status_code, a.get("Location")) for a in answers]
    busy = [a for a in answers if a.status_code == 409]
    assert len(busy) + sum(a.status_code == 302 for a in answers) == len(answers), [a.status_code for a in answers]
    assert all("vui lòng thử lại" in a.content.decode() for a in busy)
    return locations.pop()


def test_parallel_starts_with_one_key_make_one_draft(build):
    procedure = build.procedure()
    citizen = build.citizen()
    answers, client = post_together(citizen, f"/ho-so/nop/{procedure.code}/", {"idempotency_key": KEY})

    location = one_outcome(answers)
    draft = Dossier.objects.get(owner=citizen, procedure=procedure)
    assert location == f"/ho-so/soan/{draft.uuid}/buoc-1/"
    assert client.post(f"/ho-so/nop/{procedure.code}/", {"idempotency_key": KEY})["Location"] == location


def test_parallel_starts_without_a_key_still_make_one_draft(build):
    procedure = build.procedure()
    citizen = build.citizen()
    answers, _ = post_together(citizen, f"/ho-so/nop/{procedure.code}/", {})

    assert {a.status_code for a in answers} == {302} and len({a["Location"] for a in answers}) == 1
    assert Dossier.objects.filter(owner=citizen, procedure=procedure).count() == 1


def test_parallel_submissions_with_one_key_submit_once(build):
    draft = build.ready_draft()
    answers, client = post_together(draft.owner, submit_url(draft), {**SUBMIT, "idempotency_key": KEY})

    draft.refresh_from_db()
    assert draft.status == DossierStatus.SUBMITTED
    assert one_outcome(answers) == f"/ho-so/{draft.code}/"
    assert Dossier.objects.filter(owner=draft.owner).count() == 1
    assert DossierEvent.objects.filter(dossier=draft, action=DossierAction.SUBMIT).count() == 1
    retry = client.post(submit_url(draft), {**SUBMIT, "idempotency_key": KEY})
    assert (retry.status_code, retry["Location"]) == (302, f"/ho-so/{draft.code}/")


def test_parallel_payment_starts_with_one_key_open_one_payment(build):
    from tests.factories.payments import owed_dossier

    dossier = owed_dossier(build)
    answers, client = post_together(dossier.owner, fee_url(dossier), {"gateway": "vnpay", "idempotency_key": KEY})

    location = one_outcome(answers)
    payment = Payment.objects.get(dossier=dossier)
    assert f"vnp_TxnRef={payment.reference}" in location
    retry = client.post(fee_url(dossier), {"gateway": "vnpay", "idempotency_key": KEY})
    assert (retry.status_code, retry["Location"]) == (302, location)
    assert Payment.objects.filter(dossier=dossier).count() == 1
