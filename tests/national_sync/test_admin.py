"""The operator's view of the outbox: failed records with their error, the filters, and the resend."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from accounts.roles import ROLES_BY_KEY
from national_sync.constants import RecordState
from national_sync.models import OutboxRecord
from tests.support.otp import login_verified

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres, pytest.mark.integration]


def _staff(key: str):
    from accounts.models import User

    user = User.objects.create_user(f"{key}-sync@kontum.gov.vn", "x-Secret-123", is_active=True, is_staff=True)
    user.groups.add(Group.objects.get(name=ROLES_BY_KEY[key].group))
    return user


def test_the_operator_sees_the_failed_records_and_resends_them(national, walk, client):
    national.control("motcua", "fail")
    dossier = walk()
    record = OutboxRecord.objects.get(dossier=dossier)
    assert record.state == RecordState.FAILED
    login_verified(client, _staff("operator"))
    url = reverse("admin:national_sync_outboxrecord_changelist")
    page = client.get(url, {"state__exact": "failed"}).content.decode()
    assert dossier.code in page and "error_code 99" in page
    assert dossier.code not in client.get(url, {"state__exact": "delivered"}).content.decode()

    national.control("motcua", "normal")
    response = client.post(url, {"action": "resend", "_selected_action": [record.pk]}, follow=True)
    assert "Đã xếp 1 bản ghi vào hàng đợi gửi lại." in response.content.decode()
    record.refresh_from_db()
    assert record.state == RecordState.DELIVERED and record.attempts == 2  # the resend went through (eager)
    assert dossier.code in client.get(url, {"state__exact": "delivered"}).content.decode()


@pytest.mark.parametrize("key", ["receive", "process", "approve", "accountant"])
def test_no_dossier_role_opens_the_outbox(client, key):
    login_verified(client, _staff(key))
    assert client.get(reverse("admin:national_sync_outboxrecord_changelist")).status_code == 403
