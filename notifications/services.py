"""Queue and send e-mails through the outbox (notifications.models.Email)."""

import logging
from datetime import timedelta
from email.utils import parseaddr
from functools import partial

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from .attachments import attachment_build, attachment_name
from .links import link_build, link_name
from .constants import EmailStatus
from .models import Email

logger = logging.getLogger(__name__)


REDACTED_LINK = "[liên kết bảo mật — chỉ có trong thư đã gửi]"


def _render(template: str, context: dict) -> tuple[str, str, str]:
    context = {"PORTAL_NAME": settings.PORTAL_NAME, "SITE_URL": settings.SITE_URL.rstrip("/"), **context}
    subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
    body_text = render_to_string(f"{template}.txt", context)
    try:
        body_html = render_to_string(f"{template}.html", context)
    except Exception:  # TemplateDoesNotExist: a text-only e-mail
        body_html = ""
    return subject[:255], body_text, body_html


def email_queue(
    *, to: str, template: str, context: dict, kind: str = "", attachment=None, reference: str = "", secret_link=None
) -> Email:
    """Write an e-mail to the outbox and have it sent once the current transaction commits.

    `template` names `<template>_subject.txt`, `<template>.txt` and optionally `<template>.html`.
    `attachment` is `(builder, kwargs)`, the builder registered with attachments.attachment_builder; it runs
    when the e-mail is sent and returns (filename, bytes, mimetype).
    `reference` names what the e-mail is about (a dossier code), for the staff who may see it.
    `secret_link` is `(builder, kwargs)` for an e-mail whose link grants access, the builder registered with
    links.link_builder (see there). Only a redacted copy is stored; `context` must then be JSON-serialisable,
    as it is kept to render the e-mail again, with a fresh link, when it is sent or sent again.
    """
    secret_builder, link_args = secret_link or (None, {})
    link = link_name(secret_builder) if secret_builder else ""
    full_context = dict(context)
    if link:
        full_context.update(link_build(link, link_args, redacted=True))
    subject, body_text, body_html = _render(template, full_context)
    builder, builder_args = attachment or (None, {})
    email = Email.objects.create(
        to=to,
        subject=subject,
        body_text=body_text,
        body_html=body_html,
        kind=kind,
        reference=reference[:64],
        template=template if link else "",
        # Rendered again by whichever process sends it: keep the address of the portal that queued it.
        context={"SITE_URL": settings.SITE_URL.rstrip("/"), **context} if link else {},
        link_builder=link,
        link_args=link_args,
        attachment_builder=attachment_name(builder) if builder else "",
        attachment_args=builder_args,
    )
    transaction.on_commit(partial(_enqueue, email.pk))
    return email


def _enqueue(email_id: int) -> None:
    """Hand the e-mail to Celery; if the broker is down the row stays pending for the sweep."""
    from .tasks import email_send

    try:
        email_send.delay(email_id=email_id)
    except Exception as exc:  # broker unreachable: email_sweep_pending sends it later
        logger.warning("e-mail %s not queued, broker unavailable: %s", email_id, exc)


def email_send(*, email_id: int) -> bool:
    """Send one outbox e-mail unless it was already sent. Return True if it was sent now.

    The row stays locked while the message goes out, so that two tasks for the same e-mail (a retry
    and a resend, a redelivery after a worker died) cannot both send it: the second waits for the lock,
    then finds the row sent. A failure is recorded on the row and raised again for the task to retry.

    What a crash costs: a worker killed before the SMTP server accepted the message leaves the row
    unsent (its transaction dies with it) and the task is delivered again: sent once. Killed after the
    server accepted but before the commit, the row is unsent too and the e-mail goes out a second time;
    SMTP gives no way to know (RFC 1047), and losing a citizen's e-mail is worse than a duplicate. Both
    copies carry the row's Message-ID (`message_id`), by which mail systems recognise the repeat.
    """
    error = None
    with transaction.atomic():
        email = Email.objects.select_for_update().filter(pk=email_id).first()
        if email is None or email.status == EmailStatus.SENT:
            return False
        try:
            _build_message(email).send()
        except Exception as exc:
            error = exc
            Email.objects.filter(pk=email.pk).update(
                status=EmailStatus.FAILED, attempts=email.attempts + 1, last_error=f"{type(exc).__name__}: {exc}"[:2000]
            )
        else:
            Email.objects.filter(pk=email.pk).update(
                status=EmailStatus.SENT, attempts=email.attempts + 1, last_error="", sent_at=timezone.now()
            )
    if error is not None:
        raise error
    return True


def message_id(email: Email) -> str:
    """The Message-ID of an outbox row: the same on every attempt, so a repeated delivery is recognisable."""
    domain = parseaddr(settings.DEFAULT_FROM_EMAIL)[1].rpartition("@")[2] or "localhost"
    return f"<outbox.{email.pk}.{email.created_at:%Y%m%d%H%M%S}@{domain}>"


def _build_message(email: Email) -> EmailMultiAlternatives:
    subject, body_text, body_html = email.subject, email.body_text, email.body_html
    if email.link_builder:
        # The live link exists only here, in the message handed to the mail server.
        context = {**email.context, **link_build(email.link_builder, email.link_args, redacted=False)}
        subject, body_text, body_html = _render(email.template, context)
    message = EmailMultiAlternatives(
        subject=subject,
        body=body_text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[email.to],
        headers={"Message-ID": message_id(email)},
    )
    if body_html:
        message.attach_alternative(body_html, "text/html")
    if email.attachment_builder:
        filename, content, mimetype = attachment_build(email.attachment_builder, email.attachment_args)
        message.attach(filename, content, mimetype)
    return message


def email_resend(*, email_ids) -> int:
    """Queue the given unsent e-mails again (admin action, management command). Return how many."""
    ids = list(Email.objects.filter(pk__in=list(email_ids)).exclude(status=EmailStatus.SENT).values_list("pk", flat=True))
    for email_id in ids:
        _enqueue(email_id)
    return len(ids)


def email_sweep_pending(*, older_than: timedelta | None = None) -> int:
    """Queue again the e-mails still unsent `older_than` (EMAIL_SWEEP_AFTER_SECONDS) after they were written."""
    if older_than is None:
        older_than = timedelta(seconds=settings.EMAIL_SWEEP_AFTER_SECONDS)
    cutoff = timezone.now() - older_than
    return email_resend(
        email_ids=Email.objects.filter(created_at__lt=cutoff).exclude(status=EmailStatus.SENT).values_list("pk", flat=True)
    )
