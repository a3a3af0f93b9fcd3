from celery import shared_task

from . import services


@shared_task
def appointments_remind() -> int:
    """E-mail the reminders of the next working day's appointments (Celery beat)."""
    return services.bookings_remind()
