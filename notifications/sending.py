"""Send one e-mail of the outbox (notifications.models.Email), and render what the outbox writes and sends."""

from email.utils import parseaddr

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from .attachments import attachment_build
from .constants import EmailStatus
from .links import link_build
from .models import Email


def email_render(template: str, context: dict, language: str | None = None) -> tuple[str, str, str]:
    """Render in the recipient's language, whatever the current request's (or the worker's) is."""
    context = {"PORTAL_NAME": settings.PORTAL_NAME, "SITE_URL": settings.SITE_URL.rstrip("/"), **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = " ".join(render_to_string(f"{template}_subject.txt", context).split())
        body_text = render_to_string(f"{template}.txt", context)
        try:
            body_html = render_to_string(f"{template}.html", context)
        except Exception:  # TemplateDoesNotExist: a text-only e-mail
            body_html = ""
    return subject[:255], body_text, body_html


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
        subject, body_text, body_html = email_render(email.template, context, context.get("LANGUAGE"))
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
