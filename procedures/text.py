"""Text folding shared by the stored search column and the query, so both sides match."""

import re
import unicodedata

_NON_WORD = re.compile(r"[^\w.]+", re.UNICODE)


def fold(text: str) -> str:
    """Return `text` NFC-normalised, lower-cased, without diacritics, with đ folded to d."""
    text = unicodedata.normalize("NFC", text or "").lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


def tokens(text: str, *, limit: int = 12) -> list[str]:
    """Split folded `text` into distinct search words, keeping dots inside codes."""
    seen: list[str] = []
    for word in _NON_WORD.split(fold(text)):
        word = word.strip(".")
        if word and word not in seen:
            seen.append(word)
        if len(seen) >= limit:
            break
    return seen
