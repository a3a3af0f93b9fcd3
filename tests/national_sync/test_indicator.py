"""Indicator 1.4 of the service index: the share of the month's dossiers whose latest record the national portal
CONFIRMED (its look-up holds it), not the share sent. Driven over HTTP against the sandbox."""

import pytest
from django.utils import timezone

from national_sync import delivery, tasks
from national_sync.constants import RecordState
from national_sync.models import OutboxRecord
from reports.service_index import service_index

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres, pytest.mark.integration]


def _synced(card) -> tuple:
    return next((v.numerator, v.denominator, v.share) for v in card.values if v.indicator.key == "synced")


def test_the_synced_share_counts_what_the_national_side_confirmed(national, walk, client):
    today = timezone.localdate()
    kept = walk()
    national.control("motcua", "lose", times=1)
    lost = walk()
    national.control("motcua", "fail")
    failed = walk()
    national.control("motcua", "normal")
    assert OutboxRecord.objects.get(dossier=lost).state == RecordState.DELIVERED  # sent, answered OK
    assert OutboxRecord.objects.get(dossier=failed).state == RecordState.FAILED

    assert _synced(service_index(year=today.year, month=today.month).province) == (0, 3, 0.0)  # nothing confirmed yet

    report = delivery.compare()  # the look-up alone: confirms what is held
    assert report["confirmed"] == 1 and len(report["missing"]) == 1
    assert _synced(service_index(year=today.year, month=today.month).province) == (1, 3, 33.3)
    html = client.get(f"/thong-ke/chi-so/?year={today.year}&month={today.month}").content.decode()
    assert "Tỷ lệ hồ sơ đồng bộ lên Cổng Dịch vụ công quốc gia" in html and "33,3" in html

    tasks.outbox_compare()  # the beat's comparison: the lost record is sent again
    tasks.outbox_sweep()  # the failed one goes once the sandbox answers again
    tasks.outbox_compare()
    assert _synced(service_index(year=today.year, month=today.month).province) == (3, 3, 100.0)
    html = client.get(f"/thong-ke/chi-so/?year={today.year}&month={today.month}").content.decode()
    assert "100" in html
    assert kept.code in national.lookup("motcua", kept.code)


def test_the_indicator_is_left_out_while_sync_is_off(db, client, settings):
    settings.NATIONAL_SYNC_ENABLED = False
    today = timezone.localdate()
    assert not [v for v in service_index(year=today.year, month=today.month).province.values
                if v.indicator.key == "synced"]
    html = client.get("/thong-ke/chi-so/").content.decode()
    assert "Đồng bộ với Cổng Dịch vụ công quốc gia chưa được bật" in html
