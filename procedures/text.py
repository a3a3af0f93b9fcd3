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


def words(text: str) -> list[str]:
    """Split folded `text` into words, keeping dots inside codes and numbers (3.000, 1.004232…)."""
    return [word for word in (w.strip(".") for w in _NON_WORD.split(fold(text))) if word]


def tokens(text: str, *, limit: int = 12) -> list[str]:
    """Return the distinct search words of a query, at most `limit` of them."""
    seen: list[str] = []
    for word in words(text):
        if word not in seen:
            seen.append(word)
        if len(seen) >= limit:
            break
    return seen


def searchable(*texts: str) -> str:
    """Return the words of `texts` as one space-led string, so that " " + word matches a word start."""
    return " " + " ".join(word for text in texts for word in words(text))
