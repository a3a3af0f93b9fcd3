"""A notice its sender left "sending" (the worker died between the claim and the provider's answer) is taken back
by the beat's sweep after NOTICE_SENDING_LEASE and reaches the citizen's phone once; a fresh claim is left alone;
parallel sweeps send it once (PostgreSQL, real threads, the SMS sandbox over real HTTP)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications import notice_sending, notices, tasks
from notifications.channels import channel_for
from notifications.models import Notice
from tests.notifications.notices_support import received
from tests.notifications.test_notices import _operator_client, opt_in
from tests.support.threads import run_times

pytestmark = pytest.mark.postgres


def _left_sending(monkeypatch, citizen, reference: str, *, age: timedelta, provider_accepted: bool) -> Notice:
    """A status notice as a dead worker leaves it: claimed (SENDING, counted today), maybe already handed to the
    provider, never finished; claimed `age` ago."""
    monkeypatch.setattr(notices, "notice_enqueue", lambda notice_id: None)
    (notice,) = notices.notice_queue(user=citizen, reference=reference, status="Đang xử lý", path="/")
    monkeypatch.undo()
    claimed = notice_sending._claim(notice.pk)  # the sender's own claim; then the worker is killed
    if provider_accepted:
        channel_for("sms").send(recipient=claimed.recipient, text=claimed.text, request_id=f"notice-{notice.pk}")
    Notice.objects.filter(pk=notice.pk).update(claimed_at=timezone.now() - age)
    notice.refresh_from_db()
    assert notice.status == "sending" and notice.attempts == 1
    return notice


@pytest.fixture
def citizen(client, build, providers):
    """A citizen who chose SMS notices on their verified number."""
    user = build.citizen()
    opt_in(client, providers, user, zalo=False)
    return user


def _on_phone(base_url: str, reference: str) -> int:
    return len([t for _, t in received(base_url, "sms") if reference in t])


@pytest.mark.parametrize("provider_accepted", [False, True], ids=["died-before-the-provider", "died-after-it"])
def test_a_notice_left_sending_past_its_lease_reaches_the_phone_once(citizen, providers, settings, monkeypatch,
                                                                     provider_accepted):
    settings.NOTICE_SENDING_LEASE = 600
    notice = _left_sending(monkeypatch, citizen, "H34-STUCK-01", age=timedelta(minutes=11),
                           provider_accepted=provider_accepted)

    assert tasks.notice_sweep_sending() == 1
    notice.refresh_from_db()
    assert notice.status == "sent" and notice.attempts == 2 and notice.last_error == ""
    assert _on_phone(providers, "H34-STUCK-01") == 1
    # Once sent, a later sweep has nothing to take back.
    assert tasks.notice_sweep_sending() == 0
    assert _on_phone(providers, "H34-STUCK-01") == 1


def test_a_notice_within_its_lease_is_left_to_its_sender(citizen, providers, settings, monkeypatch):
    settings.NOTICE_SENDING_LEASE = 600
    notice = _left_sending(monkeypatch, citizen, "H34-FRESH-01", age=timedelta(minutes=9), provider_accepted=False)

    assert tasks.notice_sweep_sending() == 0
    notice.refresh_from_db()
    assert notice.status == "sending" and notice.attempts == 1
    assert _on_phone(providers, "H34-FRESH-01") == 0


def test_a_notice_taken_back_respects_the_daily_cap_as_counted_today(citizen, providers, settings, monkeypatch):
    settings.NOTICE_DAILY_CAP = 1
    notice = _left_sending(monkeypatch, citizen, "H34-YDAY-01", age=timedelta(days=1), provider_accepted=False)
    Notice.objects.filter(pk=notice.pk).update(day=timezone.localdate() - timedelta(days=1))  # claimed yesterday
    (today,) = notices.notice_queue(user=citizen, reference="H34-TODAY-01", status="Đang xử lý", path="/")
    assert Notice.objects.get(pk=today.pk).status == "sent"

    tasks.notice_sweep_sending.apply()
    notice.refresh_from_db()
    assert notice.status == "capped"
    assert _on_phone(providers, "H34-YDAY-01") == 0


def test_a_notice_left_sending_too_often_is_failed_for_the_operator(citizen, providers, settings, monkeypatch):
    settings.NOTICE_MAX_ATTEMPTS = 3
    notice = _left_sending(monkeypatch, citizen, "H34-GIVEUP-01", age=timedelta(hours=1), provider_accepted=False)
    Notice.objects.filter(pk=notice.pk).update(attempts=3)

    assert tasks.notice_sweep_sending() == 0
    notice.refresh_from_db()
    assert notice.status == "failed" and notice.day is None
    assert _on_phone(providers, "H34-GIVEUP-01") == 0
    listing = _operator_client().get(reverse("admin:notifications_notice_changelist") + "?status=failed")
    assert "given up: left sending by its sender 3 times" in listing.content.decode()


def test_parallel_sweeps_send_a_stuck_notice_once(citizen, providers, monkeypatch):
    notices_left = [_left_sending(monkeypatch, citizen, f"H34-RACE-{i:02d}", age=timedelta(minutes=30),
                                  provider_accepted=False) for i in range(3)]
    swept = run_times(tasks.notice_sweep_sending, 4, raise_errors=True)

    assert sum(swept) == 3
    for notice in notices_left:
        notice.refresh_from_db()
        assert notice.status == "sent" and notice.attempts == 2
    assert [_on_phone(providers, f"H34-RACE-{i:02d}") for i in range(3)] == [1, 1, 1]
