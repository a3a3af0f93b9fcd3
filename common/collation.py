"""Vietnamese alphabetical order for names (agencies, fields, procedures, people).

Byte or code-point order puts "Đ" after "Z" and "Á" after "Z"; the Vietnamese alphabet is
a ă â b c d đ e ê g h i k l m n o ô ơ p q r s t u ư v x y, and the five tone marks only break ties after
the letters (ICU's "vi" tailoring: unmarked, grave, hook, tilde, acute, dot below).

- In queries: ``order_by(vi_order("name"))`` sorts with PostgreSQL's ICU collation "vi-x-icu"; on SQLite
  (``make run``, the SQLite test run) with the same rules through a collation registered on each connection.
- In Python: ``sorted(items, key=lambda x: vi_sort_key(x.name))``.
"""

import unicodedata

from django.db.backends.signals import connection_created
from django.db.models import Func

POSTGRES_COLLATION = "vi-x-icu"
SQLITE_COLLATION = "vi_portal"

_ALPHABET = "aăâbcdđeêghiklmnoôơpqrstuưvxy"
# Latin letters Vietnamese does not use (f, j, w, z in loanwords) sort as in English, among the others.
_LETTERS = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {letter: index for index, letter in enumerate(_LETTERS)}
# Combining marks that make a different letter (ă â ê ô ơ ư) versus tone marks, which rank after the letters.
_LETTER_MARKS = {"\u0306", "\u0302", "\u031b"}
_TONES = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}


def _letters(text: str):
    """Yield (letter, tone, is_upper) for each base character of ``text``."""
    decomposed = unicodedata.normalize("NFD", text)
    base, tone, upper = None, 0, False
    for char in decomposed:
        if unicodedata.combining(char):
            if base is None:
                continue
            if char in _LETTER_MARKS:
                base = unicodedata.normalize("NFC", base + char)
            else:
                tone = _TONES.get(char, tone)
            continue
        if base is not None:
            yield base, tone, upper
        upper = char != char.lower()
        base, tone = char.lower(), 0
    if base is not None:
        yield base, tone, upper


def vi_sort_key(text: str | None) -> tuple:
    """A sort key giving Vietnamese dictionary order, the same as PostgreSQL's "vi-x-icu" for names."""
    primary, secondary, tertiary = [], [], []
    for letter, tone, upper in _letters(text or ""):
        if letter in _RANK:
            primary.append((3, _RANK[letter]))
        elif letter.isdigit():
            primary.append((2, ord(letter)))
        elif letter.isalpha():
            primary.append((3, len(_LETTERS) + ord(letter)))
        else:
            # Spaces and punctuation come before digits and letters, as in ICU's root order.
            primary.append((1, ord(letter)))
        secondary.append(tone)
        tertiary.append(1 if upper else 0)
    return tuple(primary), tuple(secondary), tuple(tertiary)


def _sqlite_compare(left: str, right: str) -> int:
    a, b = vi_sort_key(left), vi_sort_key(right)
    return (a > b) - (a < b)


class vi_order(Func):  # noqa: N801 - reads as a function in order_by(...)
    """``expression COLLATE <Vietnamese>`` for ORDER BY, whichever database the portal runs on."""

    template = "%(expressions)s"
    arity = 1

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template=f'%(expressions)s COLLATE "{POSTGRES_COLLATION}"', **extra)

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template=f"%(expressions)s COLLATE {SQLITE_COLLATION}", **extra)


def register_sqlite_collation(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_collation(SQLITE_COLLATION, _sqlite_compare)


connection_created.connect(register_sqlite_collation, dispatch_uid="common.collation.sqlite")
