"""The daily cap per citizen holds when many senders work at once (PostgreSQL, real threads, real HTTP), and a
provider is never sent more than its rate a minute."""

import pytest

from notifications import notices, tasks
from notifications.models import Notice
from tests.notifications.notices_support import received
from tests.notifications.test_notices import opt_in
from tests.support.threads import run_together

pytestmark = pytest.mark.postgres


def _queued_unsent(monkeypatch, user, count: int) -> list[int]:
    """`count` status notices written while the broker is away (nothing sent yet)."""
    monkeypatch.setattr(notices, "notice_enqueue", lambda notice_id: None)
    ids = [n.pk for i in range(count)
           for n in notices.notice_queue(user=user, reference=f"H34-CAP-{i:02d}", status="Đang xử lý", path="/")]
    monkeypatch.undo()
    return ids


def _send_in_parallel(ids: list[int]) -> None:
    # The task's own code, retries included.
    run_together(*[lambda notice_id=notice_id: tasks.notice_send.apply(kwargs={"notice_id": notice_id})
                   for notice_id in ids], raise_errors=True)


def test_the_daily_cap_holds_under_parallel_sends(client, build, providers, settings, monkeypatch):
    citizen = build.citizen()
    opt_in(client, providers, citizen, zalo=False)
    settings.NOTICE_DAILY_CAP = 3
    ids = _queued_unsent(monkeypatch, citizen, 10)
    assert Notice.objects.filter(pk__in=ids, status="pending").count() == 10
    _send_in_parallel(ids)
    statuses = sorted(Notice.objects.filter(pk__in=ids).values_list("status", flat=True))
    assert statuses == ["capped"] * 7 + ["sent"] * 3
    assert len([t for _, t in received(providers, "sms") if "H34-CAP-" in t]) == 3
    # A notice queued once the day's cap is reached is held back at once (the operator sees why).
    late = notices.notice_queue(user=citizen, reference="H34-CAP-LATE", status="Đang xử lý", path="/")
    assert [n.status for n in late] == ["capped"]


def test_a_provider_is_sent_no_more_than_its_rate(client, build, providers, settings, monkeypatch):
    citizen = build.citizen()
    opt_in(client, providers, citizen, zalo=False)  # the code's SMS is the minute's first
    settings.NOTICE_RATE_PER_MINUTE = 3
    settings.NOTICE_DAILY_CAP = 10
    ids = _queued_unsent(monkeypatch, citizen, 4)
    for notice_id in ids:
        tasks.notice_send.apply(kwargs={"notice_id": notice_id})
    statuses = sorted(Notice.objects.filter(pk__in=ids).values_list("status", flat=True))
    # Two fit in the minute; the others wait (pending, retried by the task with backoff in the next minutes).
    assert statuses == ["pending", "pending", "sent", "sent"]
