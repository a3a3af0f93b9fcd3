"""Read the e-mails Django's file backend wrote (the demo mailbox of `make run`, /tai-khoan/hop-thu/)."""

import email
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from email import policy
from email.utils import parsedate_to_datetime
from pathlib import Path

from django.conf import settings

# The file backend ends every message with a line of 79 dashes.
_SEPARATOR = re.compile(rb"\r?\n-{79}\r?\n")
_NAME = re.compile(r"[\w.-]+\.log")


@dataclass(frozen=True)
class MailboxMessage:
    name: str
    index: int
    subject: str
    to: str
    date: datetime | None
    text: str
    html: str
    attachments: tuple[str, ...] = ()  # the attached files' names (a booking's calendar file, a receipt)


def _folder() -> Path | None:
    path = getattr(settings, "EMAIL_FILE_PATH", None)
    return Path(path) if path else None


def _date(header) -> datetime | None:
    """The Date header as an aware datetime, so templates show it in the portal's time zone, not the
    sender's UTC offset."""
    if not header:
        return None
    try:
        value = parsedate_to_datetime(str(header))
    except (TypeError, ValueError):
        return None
    # "-0000" (what Django's file backend writes) is UTC with no word on the sender's zone: a naive value.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _parse(name: str, index: int, raw: bytes) -> MailboxMessage:
    message = email.message_from_bytes(raw.lstrip(), policy=policy.default)
    text_part = message.get_body(preferencelist=("plain",))
    html_part = message.get_body(preferencelist=("html",))
    return MailboxMessage(
        name=name,
        index=index,
        subject=" ".join(str(message.get("Subject", "")).split()),
        to=str(message.get("To", "")),
        date=_date(message.get("Date")),
        text=text_part.get_content() if text_part is not None else "",
        html=html_part.get_content() if html_part is not None else "",
        attachments=tuple(part.get_filename() or "" for part in message.iter_attachments()),
    )


def _messages_in(path: Path) -> list[bytes]:
    return [chunk for chunk in _SEPARATOR.split(path.read_bytes()) if chunk.strip()]


def mailbox_messages(*, limit: int = 200) -> list[MailboxMessage]:
    """Return the latest e-mails written to EMAIL_FILE_PATH, newest first."""
    folder = _folder()
    if folder is None or not folder.is_dir():
        return []
    files = sorted(folder.glob("*.log"), key=lambda p: (p.stat().st_mtime, p.name), reverse=True)
    found = []
    for path in files:
        chunks = _messages_in(path)
        for index in reversed(range(len(chunks))):
            found.append(_parse(path.name, index, chunks[index]))
            if len(found) >= limit:
                return found
    return found


def mailbox_message(*, name: str, index: int) -> MailboxMessage | None:
    """Return one e-mail by file name and position, or None; names outside the folder are refused."""
    folder = _folder()
    if folder is None or not _NAME.fullmatch(name):
        return None
    path = folder / name
    if not path.is_file():
        return None
    chunks = _messages_in(path)
    if not 0 <= index < len(chunks):
        return None
    return _parse(name, index, chunks[index])
