"""A registration is never lost when the e-mail cannot go out (in-process task, as `make run`)."""

import smtplib

import pytest
from django.core.mail.backends.base import BaseEmailBackend

from accounts.models import User
from notifications.models import Email

from .conftest import citizen_post

pytestmark = pytest.mark.django_db


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("SMTP server is down (test)")


def test_smtp_down_keeps_the_registration_and_the_email_to_send_later(register, settings):
    settings.EMAIL_BACKEND = "tests.accounts.test_delivery.RefusingBackend"
    response = register(citizen_post())
    assert response.status_code == 302 and response.url == "/tai-khoan/dang-ky/da-gui/"
    assert User.objects.filter(email="hoa.nguyen@example.vn", is_active=False).exists()
    email = Email.objects.get()
    assert email.status == "failed" and email.attempts >= 1 and "SMTPServerDisconnected" in email.last_error


def test_broker_down_keeps_the_registration_and_the_email_pending(register, monkeypatch):
    from notifications import tasks

    def broker_down(**kwargs):
        raise ConnectionError("broker unreachable (test)")

    monkeypatch.setattr(tasks.email_send, "delay", broker_down)
    response = register(citizen_post())
    assert response.status_code == 302
    assert User.objects.filter(email="hoa.nguyen@example.vn").exists()
    assert Email.objects.get().status == "pending"  # email_sweep_pending sends it later
