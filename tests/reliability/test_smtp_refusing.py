"""SMTP refusing for a while: the worker retries, staff see the failure and resend it, it is sent once.

tests/accounts/test_integration.py shows the retry of a confirmation e-mail; here the refusal lasts
through several attempts, staff act on it in the admin, and a resend races the task's own retries.
"""

import re

import pytest
from django.conf import settings
from django.test import Client

from accounts.models import User
from notifications.models import Email
from tests.factories.dossiers import Builder
from tests.support.otp import login_verified
from tests.support.wizard import submit_dossier

from .conftest import wait_until

pytestmark = [pytest.mark.reliability, pytest.mark.integration, pytest.mark.django_db(transaction=True)]

ADMIN = f"/{settings.ADMIN_URL}"
OUTBOX = f"{ADMIN}notifications/email/"
TO = "nguoi-nop@example.vn"


@pytest.fixture
def staff():
    user = User.objects.create_user("quantri@kontum.gov.vn", "mat-khau-rat-dai-2026", full_name="Quản trị viên",
                                    is_staff=True, is_superuser=True, is_active=True)
    client = Client()
    login_verified(client, user)
    return client


def resend_from_admin(staff, email, *, status: str):
    changelist = staff.get(f"{OUTBOX}?status__exact={status}").content.decode()
    assert 'value="resend"' in changelist and "Gửi lại các thư chưa gửi được" in changelist
    response = staff.post(f"{OUTBOX}?status__exact={status}", {"action": "resend", "_selected_action": [email.pk]},
                          follow=True)
    assert response.status_code == 200
    return response.content.decode()


def send_tasks_received(worker) -> set[str]:
    """Ids of the email_send tasks the worker took; a retry keeps its task's id, a resend is a new task."""
    return set(re.findall(r"Task notifications\.tasks\.email_send\[([0-9a-f-]+)\] received", worker.output()))


def test_refused_mail_is_retried_shown_to_staff_resent_and_delivered_once(
    on_private_redis, start_worker, smtp_sink, staff
):
    worker = start_worker()
    smtp_sink.refusing = True
    build = Builder()
    citizen = Client()
    citizen.force_login(build.citizen())
    page = submit_dossier(citizen, build.procedure(), email=TO)
    assert citizen.get(page).status_code == 200  # the citizen's submission does not wait for the mail

    # The worker's own retries, with backoff: each refusal is written on the row.
    wait_until(lambda: Email.objects.filter(to=TO, status="failed", attempts__gte=2).exists(), timeout=120,
               message=lambda: worker.output()[-3000:])
    email = Email.objects.get(to=TO)
    assert "451" in email.last_error and "Temporarily refusing mail" in email.last_error
    assert len(send_tasks_received(worker)) == 1

    changelist = staff.get(f"{OUTBOX}?status__exact=failed").content.decode()
    assert TO in changelist and "Gửi lỗi" in changelist and "Temporarily refusing mail" in changelist
    detail = staff.get(f"{OUTBOX}{email.pk}/change/").content.decode()
    assert "SMTPDataError" in detail

    # Staff resend while the server still refuses: a new task is queued and tries (and is refused).
    page = resend_from_admin(staff, email, status="failed")
    assert "Đã xếp 1 thư vào hàng đợi gửi lại." in page
    wait_until(lambda: len(send_tasks_received(worker)) == 2, timeout=60, message=lambda: worker.output()[-3000:])
    assert smtp_sink.messages == []

    # The server accepts again; the task's retries and the resent task both try: exactly one sends it.
    smtp_sink.refusing = False
    wait_until(lambda: Email.objects.get(pk=email.pk).status == "sent", timeout=120,
               message=lambda: worker.output()[-3000:])
    assert [m["To"] for m in smtp_sink.messages] == [TO]
    sent = staff.get(f"{OUTBOX}?status__exact=sent").content.decode()
    assert TO in sent and "Đã gửi" in sent
    # Resending a sent e-mail queues nothing.
    assert "Đã xếp 0 thư vào hàng đợi gửi lại." in resend_from_admin(staff, email, status="sent")
    assert len(send_tasks_received(worker)) == 2
