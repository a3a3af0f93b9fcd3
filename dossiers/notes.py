"""Notes the system writes into a dossier's history, shown in the reader's language.

A person's note is kept as typed. A note the system writes is stored as its Vietnamese sentence (what older
rows already hold, and what a clerk reads in the database) and is translated when shown: each known note is
one message with named placeholders; a stored note that matches the message's Vietnamese form is rendered
again, in the active language, from the values it holds. A value that is itself a message (a gateway's name)
is translated too.
"""

import re
from dataclasses import dataclass
from functools import cached_property

from django.utils import translation
from django.utils.translation import gettext, gettext_noop


@dataclass(frozen=True)
class SystemNote:
    message: str  # the source (Vietnamese) message, with %(name)s placeholders
    translated_params: tuple[str, ...] = ()

    @cached_property
    def pattern(self) -> re.Pattern:
        parts = re.split(r"%\((\w+)\)s", self.message)
        regex = "".join(re.escape(part) if i % 2 == 0 else f"(?P<{part}>.+?)" for i, part in enumerate(parts))
        return re.compile(regex, re.S)

    def render(self, params: dict) -> str:
        values = {k: gettext(v) if k in self.translated_params else v for k, v in params.items()}
        return gettext(self.message) % values


SYSTEM_NOTES = {
    "paid_online": SystemNote(
        gettext_noop("Thanh toán trực tuyến qua %(gateway)s, mã giao dịch %(reference)s."), ("gateway",)
    ),
}


def system_note(key: str, **params) -> str:
    """Return the note to store: the message in Vietnamese, whatever language the request that wrote it."""
    with translation.override("vi"):
        return SYSTEM_NOTES[key].message % {k: str(v) for k, v in params.items()}


def note_display(note: str) -> str:
    """Return a stored note in the active language: a system note translated, a person's note as written."""
    for known in SYSTEM_NOTES.values():
        found = known.pattern.fullmatch(note)
        if found:
            return known.render(found.groupdict())
    return note
