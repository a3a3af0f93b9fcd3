"""A paper's kind, matched across procedures by its name: "Bản sao Giấy khai sinh (có chứng thực)" and the
result "Giấy khai sinh" are one kind. The catalogue has no code per paper, so the name, folded, is the key."""

import re

from procedures.text import words

# Words that say which copy is wanted, not which paper: dropped from the key.
_COPY_WORDS = re.compile(r"^(0?1 |ban (sao|chinh|chup|dien tu|scan) |(hoac|va|co) )")
_BRACKETS = re.compile(r"\([^)]*\)")


def kind_key(name: str) -> str:
    """The folded words of a paper's name without the copy it asks for or what is in brackets; 120 chars."""
    text = " ".join(words(_BRACKETS.sub(" ", name or "")))
    previous = None
    while previous != text:
        previous, text = text, _COPY_WORDS.sub("", text + " ").strip()
    return text[:120]
