"""Sending an outbox row: once, under its lock, with the same Message-ID on every attempt."""

import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from notifications import sending
from notifications.models import Email

pytestmark = pytest.mark.django_db


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPDataError(451, b"Temporarily refusing mail (test)")


def outbox_row() -> Email:
    return Email.objects.create(to="an@example.vn", subject="Hồ sơ đã được tiếp nhận", body_text="Nội dung")


def test_a_sent_row_is_not_sent_again():
    email = outbox_row()
    assert sending.email_send(email_id=email.pk) is True
    assert sending.email_send(email_id=email.pk) is False  # a redelivered task
    assert len(mail.outbox) == 1
    email.refresh_from_db()
    assert email.status == "sent" and email.attempts == 1 and email.sent_at


def test_every_attempt_carries_the_rows_message_id(settings):
    settings.DEFAULT_FROM_EMAIL = "Cổng Dịch vụ công <no-reply@dichvucong.kontum.gov.vn>"
    email = outbox_row()
    settings.EMAIL_BACKEND = "tests.notifications.test_send.RefusingBackend"
    with pytest.raises(smtplib.SMTPDataError):
        sending.email_send(email_id=email.pk)
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    # A crash after the server accepted leaves the row unsent: the next attempt repeats the same Message-ID.
    sending.email_send(email_id=email.pk)
    Email.objects.filter(pk=email.pk).update(status="pending")
    sending.email_send(email_id=email.pk)
    first, second = mail.outbox
    assert first.message()["Message-ID"] == second.message()["Message-ID"] == sending.message_id(email)
    assert sending.message_id(email).endswith("@dichvucong.kontum.gov.vn>")
    assert sending.message_id(outbox_row()) != sending.message_id(email)
    email.refresh_from_db()
    assert email.attempts == 3
