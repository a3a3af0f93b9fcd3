"""Queue e-mails through the outbox (notifications.models.Email); notifications.sending sends them."""

from datetime import timedelta
from functools import partial

from django.conf import settings
from django.db import transaction

from . import selectors
from .attachments import attachment_name
from .links import link_build, link_name
from .models import Email
from .sending import email_render
from .tasks import email_enqueue, email_requeue


REDACTED_LINK = "[liên kết bảo mật — chỉ có trong thư đã gửi]"


def email_queue(
    *, to: str, template: str, context: dict, kind: str = "", attachment=None, reference: str = "", secret_link=None,
    language: str | None = None,
) -> Email:
    """Write an e-mail to the outbox and have it sent once the current transaction commits.

    `template` names `<template>_subject.txt`, `<template>.txt` and optionally `<template>.html`.
    `attachment` is `(builder, kwargs)`, the builder registered with attachments.attachment_builder; it runs
    when the e-mail is sent and returns (filename, bytes, mimetype).
    `reference` names what the e-mail is about (a dossier code), for the staff who may see it.
    `secret_link` is `(builder, kwargs)` for an e-mail whose link grants access, the builder registered with
    links.link_builder (see there). Only a redacted copy is stored; `context` must then be JSON-serialisable,
    as it is kept to render the e-mail again, with a fresh link, when it is sent or sent again.
    `language` is the recipient's (User.language); kept with the context for that second rendering.
    """
    secret_builder, link_args = secret_link or (None, {})
    link = link_name(secret_builder) if secret_builder else ""
    full_context = dict(context)
    if link:
        full_context.update(link_build(link, link_args, redacted=True))
    subject, body_text, body_html = email_render(template, full_context, language)
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
        context={"SITE_URL": settings.SITE_URL.rstrip("/"), "LANGUAGE": language or "", **context} if link else {},
        link_builder=link,
        link_args=link_args,
        attachment_builder=attachment_name(builder) if builder else "",
        attachment_args=builder_args,
    )
    transaction.on_commit(partial(email_enqueue, email.pk))
    return email


def email_resend(*, email_ids) -> int:
    """Queue the given unsent e-mails again (admin action, management command). Return how many."""
    return email_requeue(email_ids=selectors.email_ids_unsent(email_ids=email_ids))


def email_sweep_pending(*, older_than: timedelta | None = None) -> int:
    """Queue again the e-mails still unsent `older_than` (EMAIL_SWEEP_AFTER_SECONDS) after they were written."""
    return email_requeue(email_ids=selectors.email_ids_to_sweep(older_than=older_than))
