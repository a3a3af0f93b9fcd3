"""The beat's sweep queues again the e-mails left unsent after EMAIL_SWEEP_AFTER_SECONDS."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications import services, tasks
from notifications.models import Email

pytestmark = pytest.mark.django_db


def outbox_row(*, age: timedelta, status: str = "pending") -> Email:
    email = Email.objects.create(to="an@example.vn", subject="Thử", body_text="Nội dung", status=status)
    Email.objects.filter(pk=email.pk).update(created_at=timezone.now() - age)
    return email


def test_sweep_waits_for_the_configured_age_and_skips_sent_mail(settings, monkeypatch):
    queued = []
    monkeypatch.setattr(tasks, "email_enqueue", queued.append)
    old = outbox_row(age=timedelta(seconds=90))
    failed = outbox_row(age=timedelta(seconds=90), status="failed")
    outbox_row(age=timedelta(seconds=90), status="sent")
    outbox_row(age=timedelta(seconds=10))

    settings.EMAIL_SWEEP_AFTER_SECONDS = 60
    assert services.email_sweep_pending() == 2
    assert sorted(queued) == sorted([old.pk, failed.pk])
