"""Text folding shared by the stored search column and the query, so both sides match."""

import re
import unicodedata

_NON_WORD = re.compile(r"[^\w.]+", re.UNICODE)
# Vietnamese writes a lone final i/y either way after a consonant: kỹ/kĩ, lý/lí, quy/qui, mỹ/mĩ.
# Only that spelling varies; "tay", "huy", "giấy" keep their y (giấy is not giải).
_I_OR_Y = re.compile(r"^(ch|gh|kh|ng|nh|ph|qu|th|tr|[bcdghklmnpqrstvx])y$")


def fold(text: str) -> str:
    """Return `text` NFC-normalised, lower-cased, without diacritics, with đ folded to d."""
    text = unicodedata.normalize("NFC", text or "").lower().replace("đ", "d")
    decomposed = unicodedata.normalize("NFD", text)
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return unicodedata.normalize("NFC", stripped)


def spelling(word: str) -> str:
    """Return the one spelling search uses for a folded word: "ky" and "ki" are both "ki"."""
    return _I_OR_Y.sub(r"\1i", word)


def words(text: str) -> list[str]:
    """Split folded `text` into words, keeping dots inside codes and numbers (3.000, 1.004232…)."""
    return [spelling(word) for word in (w.strip(".") for w in _NON_WORD.split(fold(text))) if word]


def tokens(text: str, *, limit: int = 12) -> list[str]:
    """Return the distinct search words of a query, at most `limit` of them."""
    seen: list[str] = []
    for word in words(text):
        if word not in seen:
            seen.append(word)
        if len(seen) >= limit:
            break
    return seen


_FILLER = re.compile(r"^\s*th[uủ] t[uụ]c\s+", re.IGNORECASE)


def name_for_search(name: str) -> str:
    """Return the name without the leading "Thủ tục" the national database writes on some names only
    ("Thủ tục đăng ký khai sinh" but "Đăng ký thường trú"), so that names compare on what they say."""
    return _FILLER.sub("", unicodedata.normalize("NFC", name or ""), count=1)


def searchable(*texts: str) -> str:
    """Return the words of `texts` as one space-led and space-ended string: " " + word matches a word
    start, " " + word + " " a whole word."""
    return " " + " ".join(word for text in texts for word in words(text)) + " "
