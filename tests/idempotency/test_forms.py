"""A form sent twice with its key does the work once and answers the same; the key's life and refusals."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from dossiers.constants import DossierAction, DossierStatus
from dossiers.models import Dossier, DossierEvent
from idempotency.constants import KeyState
from idempotency.models import IdempotencyKey
from idempotency.tasks import idempotency_keys_purge
from payments.models import Payment
from tests.idempotency.conftest import SUBMIT, fee_url, submit_url

pytestmark = pytest.mark.django_db

KEY_INPUT = re.compile(r'<input type="hidden" name="idempotency_key" value="([0-9a-f]{32})">')


def form_key(client, url) -> str:
    page = client.get(url).content.decode()
    found = KEY_INPUT.findall(page)
    assert len(found) == 1, "the form carries exactly one idempotency key"
    return found[0]


def test_submit_and_pay_forms_carry_a_fresh_key_each_time(client, ready, owed):
    client.force_login(ready.owner)
    assert form_key(client, submit_url(ready)) != form_key(client, submit_url(ready))
    client.force_login(owed.owner)
    assert form_key(client, fee_url(owed)) != form_key(client, fee_url(owed))


def test_submitting_twice_with_the_key_submits_once_and_answers_the_same_page(client, ready):
    client.force_login(ready.owner)
    key = form_key(client, submit_url(ready))
    first = client.post(submit_url(ready), {**SUBMIT, "idempotency_key": key})
    again = client.post(submit_url(ready), {**SUBMIT, "idempotency_key": key})

    ready.refresh_from_db()
    assert ready.status == DossierStatus.SUBMITTED
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] == f"/ho-so/{ready.code}/"
    assert DossierEvent.objects.filter(dossier=ready, action=DossierAction.SUBMIT).count() == 1


def test_starting_a_payment_twice_with_the_key_opens_one_payment_at_the_same_address(client, owed):
    client.force_login(owed.owner)
    key = form_key(client, fee_url(owed))
    first = client.post(fee_url(owed), {"gateway": "vnpay", "idempotency_key": key})
    # A retry of the same form, even with another choice sent, is the same request: it gets the first answer.
    again = client.post(fee_url(owed), {"gateway": "momo", "idempotency_key": key})

    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"] and "vnp_TxnRef=" in first["Location"]
    assert list(Payment.objects.filter(dossier=owed).values_list("gateway", flat=True)) == ["vnpay"]


def test_the_header_is_a_key_too(client, build):
    procedure = build.procedure()
    citizen = build.citizen()
    client.force_login(citizen)
    answers = [client.post(f"/ho-so/nop/{procedure.code}/", headers={"Idempotency-Key": "retry-0001"})
               for _ in range(2)]

    assert [a.status_code for a in answers] == [302, 302] and answers[0]["Location"] == answers[1]["Location"]
    assert Dossier.objects.filter(owner=citizen, procedure=procedure).count() == 1
    assert IdempotencyKey.objects.get(user=citizen, key="retry-0001").location == answers[0]["Location"]


def test_a_refused_form_frees_its_key_for_the_corrected_retry(client, ready):
    client.force_login(ready.owner)
    key = form_key(client, submit_url(ready))
    refused = client.post(submit_url(ready), {**SUBMIT, "confirm": "", "idempotency_key": key})
    assert refused.status_code == 200 and not IdempotencyKey.objects.exists()

    accepted = client.post(submit_url(ready), {**SUBMIT, "idempotency_key": key})
    assert accepted.status_code == 302
    ready.refresh_from_db()
    assert ready.status == DossierStatus.SUBMITTED


def test_while_the_first_request_runs_a_repeat_is_told_to_retry(client, ready):
    client.force_login(ready.owner)
    IdempotencyKey.objects.create(user=ready.owner, key="a" * 32, scope=submit_url(ready))
    response = client.post(submit_url(ready), {**SUBMIT, "idempotency_key": "a" * 32})

    assert response.status_code == 409 and response["Retry-After"] == "1"
    assert "đang được xử lý, vui lòng thử lại" in response.content.decode()
    ready.refresh_from_db()
    assert ready.status == DossierStatus.DRAFT


def test_an_attempt_that_died_running_is_taken_over_by_the_retry(client, ready, settings):
    client.force_login(ready.owner)
    long_ago = timezone.now() - timedelta(seconds=settings.IDEMPOTENCY_RUNNING_SECONDS + 1)
    IdempotencyKey.objects.create(user=ready.owner, key="b" * 32, scope=submit_url(ready), claimed_at=long_ago)
    response = client.post(submit_url(ready), {**SUBMIT, "idempotency_key": "b" * 32})

    ready.refresh_from_db()
    assert response.status_code == 302 and ready.status == DossierStatus.SUBMITTED
    assert IdempotencyKey.objects.get(key="b" * 32).state == KeyState.DONE


def test_a_key_sent_to_another_form_or_malformed_is_refused(client, ready, owed):
    client.force_login(ready.owner)
    key = form_key(client, submit_url(ready))
    client.post(submit_url(ready), {**SUBMIT, "idempotency_key": key})
    elsewhere = client.post(f"/ho-so/nop/{ready.procedure.code}/", {"idempotency_key": key})
    malformed = client.post(f"/ho-so/nop/{ready.procedure.code}/", {"idempotency_key": "<script>"})

    assert elsewhere.status_code == 422 and "đã được gửi cho một yêu cầu khác" in elsewhere.content.decode()
    assert malformed.status_code == 400
    assert Dossier.objects.filter(owner=ready.owner).count() == 1


def test_keys_are_per_user(client, build):
    procedure = build.procedure()
    first, second = build.citizen(), build.citizen()
    for citizen in (first, second):
        client.force_login(citizen)
        assert client.post(f"/ho-so/nop/{procedure.code}/", {"idempotency_key": "shared-key-1"}).status_code == 302
    assert Dossier.objects.filter(procedure=procedure, owner__in=[first, second]).count() == 2


def test_without_a_key_the_forms_work_as_before(client, ready):
    client.force_login(ready.owner)
    response = client.post(submit_url(ready), SUBMIT)
    ready.refresh_from_db()
    assert response.status_code == 302 and ready.status == DossierStatus.SUBMITTED
    assert not IdempotencyKey.objects.exists()


def test_sending_a_submitted_draft_again_lands_on_its_dossier_with_a_message(client, ready):
    client.force_login(ready.owner)
    client.post(submit_url(ready), SUBMIT)
    ready.refresh_from_db()
    again = client.post(submit_url(ready), {**SUBMIT, "idempotency_key": "c" * 32}, follow=True)

    assert again.redirect_chain[0] == (f"/ho-so/{ready.code}/", 302) and again.status_code == 200
    assert f"Hồ sơ này đã được nộp. Mã hồ sơ: {ready.code}." in again.content.decode()
    assert DossierEvent.objects.filter(dossier=ready, action=DossierAction.SUBMIT).count() == 1


def test_the_beat_purges_keys_past_their_retention(build, settings):
    citizen = build.citizen()
    old = timezone.now() - timedelta(hours=settings.IDEMPOTENCY_RETENTION_HOURS, minutes=1)
    IdempotencyKey.objects.create(user=citizen, key="old-key-1", scope="/x/", created_at=old)
    IdempotencyKey.objects.create(user=citizen, key="new-key-1", scope="/x/")

    assert idempotency_keys_purge() == 1
    assert list(IdempotencyKey.objects.values_list("key", flat=True)) == ["new-key-1"]
    assert "idempotency.tasks.idempotency_keys_purge" in {
        entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert settings.IDEMPOTENCY_RETENTION_HOURS >= 24
