"""Reads of the outbox: which e-mails are still to be sent."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from .constants import EmailStatus
from .models import Email


def email_ids_unsent(*, email_ids) -> list[int]:
    """Return the ids of these e-mails that have not been sent."""
    return list(Email.objects.filter(pk__in=list(email_ids)).exclude(status=EmailStatus.SENT).values_list("pk", flat=True))


def email_ids_to_sweep(*, older_than: timedelta | None = None) -> list[int]:
    """Return the ids of the e-mails still unsent `older_than` (EMAIL_SWEEP_AFTER_SECONDS) after they were written."""
    if older_than is None:
        older_than = timedelta(seconds=settings.EMAIL_SWEEP_AFTER_SECONDS)
    cutoff = timezone.now() - older_than
    return list(Email.objects.filter(created_at__lt=cutoff).exclude(status=EmailStatus.SENT).values_list("pk", flat=True))
