import smtplib

from celery import shared_task

from . import services

TRANSIENT = (smtplib.SMTPException, ConnectionError, TimeoutError, OSError)


@shared_task(
    bind=True,
    autoretry_for=TRANSIENT,
    retry_backoff=5,
    retry_backoff_max=600,
    retry_jitter=True,
    max_retries=12,
    acks_late=True,
)
def email_send(self, *, email_id: int) -> bool:
    """Send one outbox e-mail; SMTP and network errors are retried with backoff."""
    return services.email_send(email_id=email_id)


@shared_task
def email_sweep_pending() -> int:
    """Queue again e-mails left unsent (broker was down, retries ran out)."""
    return services.email_sweep_pending()
