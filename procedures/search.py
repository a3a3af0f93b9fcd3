"""What a citizen's query means: its words, the everyday names it uses and the typos it makes.

The words of the catalogue (its vocabulary) are read once per catalogue version, shared by the
processes through the cache and kept in each process: a typo is forgiven by finding the catalogue's words one edit away (one letter missing,
added, changed or two letters swapped), with an index of one-letter deletions so the cost does
not grow with the catalogue.
"""

import bisect
import re
from collections import Counter
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db import connection

from .national import code_parts
from .text import words

MAX_WORDS = 12
# Shorter words are too often another word one letter away ("so" / "sổ", "do" / "đỏ").
MIN_TYPO_LENGTH = 3
# A word whose catalogue words (those it starts) are this few is looked up as those words, not as a prefix:
# the index then reads only the parts of their lists it needs, where a prefix reads all of each list
# (bench/results/search_prefix.md).
MAX_COMPLETIONS = 8
# The words and synonyms of a catalogue version, shared by the processes; a new version gets new keys.
SEARCH_DATA_SECONDS = 24 * 3600
_CODE_LIKE = re.compile(r"[\d.]")

# Numbers are written three or four ways in the names ("cấp III", "mức độ 02", "loại 1", "14 tuổi") and
# by citizens ("cấp 3", "mức 2", "loại một", "mười bốn tuổi"): a number in the query also finds its
# other spellings that the catalogue has. A number word ("ba", "năm", "sáu" are also ordinary words) or a
# Roman numeral ("vi", "x") counts as a number only next to a word that counts things.
_NUMBER_WORDS = ("", "mot", "hai", "ba", "bon", "nam", "sau", "bay", "tam", "chin", "muoi")
_ROMAN = ("", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x")
_COUNTING = {"cap", "hang", "loai", "nhom", "muc", "do", "lan", "bac", "thu", "duoi", "tren", "du", "so"}
_COUNTED = {"tuoi", "so", "thanh", "lan", "nam", "thang", "ngay", "tuan", "con", "nguoi"}
MAX_NUMBER = 99

# Words that make a procedure a rarer variant of the main one ("Cấp lại…", "… có yếu tố nước ngoài",
# "Trình báo mất…", "… lưu động"): a name with one ranks below the main procedure, unless the query
# asks for it (has one of the words that follow). As folded phrases; "^" marks a phrase that counts
# only at the start of the name ("Đổi…", "Khóa…": "đối với" and "khoa học" fold to the same letters).
VARIANTS: tuple[tuple[str, frozenset[str]], ...] = tuple((phrase, frozenset(cancel.split())) for phrase, cancel in (
    ("cap lai", "lai"), ("dang ky lai", "lai"), ("chap thuan lai", "lai"), ("cap doi", "doi"), ("^doi", "doi"), ("dieu chinh", "dieu chinh"), ("gia han", "han"),
    ("thu hoi", "hoi"), ("xoa", "xoa"), ("huy", "huy"), ("khoi phuc", "phuc"), ("cham dut", "cham dut"),
    ("bi mat", "mat"), ("trinh bao", "bao mat"), ("^khoa", "khoa"), ("mo khoa", "khoa"),
    ("nuoc ngoai", "nuoc ngoai"), ("luu dong", "luu dong"), ("bien gioi", "bien gioi"), ("ket hop", "hop"),
    ("duoi", "duoi"), ("di doi", "di doi"), ("tam thoi", "tam thoi"),
    ("ghi vao so", "ghi"), ("lien thong", "lien"), ("^dung thuc hien", "dung"),
    # Works of one sector whose names read like a citizen's: a railway crossing's or an irrigation
    # work's building permit, a foreign contractor's.
    ("duong sat", "sat"), ("duong ngang", "ngang"), ("thuy loi", "thuy loi"), ("nha thau", "thau"),
))


def variant_marks(name_folded: str) -> int:
    """The VARIANTS phrases a folded name (space-led and space-ended) has, as bits (1 << their index)."""
    marks = 0
    for i, (phrase, _) in enumerate(VARIANTS):
        if name_folded.startswith(f" {phrase[1:]} ") if phrase.startswith("^") else f" {phrase} " in name_folded:
            marks |= 1 << i
    return marks


# The marks of the procedures this process has ranked, per catalogue version (a name changes the version).
# Testing 27 phrases on each of 500 names cost a search 1 ms of Python; a lookup costs a twentieth.
_MARKS: dict[int, dict[int, int]] = {}
MAX_MARKS = 200_000  # about 15 MB at most


def marks_of(rows: list[tuple[int, str]], version: int) -> list[int]:
    """The variant marks of (id, folded name) rows, kept in this process for the catalogue's version."""
    kept = _MARKS.get(version)
    if kept is None or len(kept) >= MAX_MARKS:
        _MARKS.clear()
        kept = _MARKS[version] = {}
    out = []
    for pk, name in rows:
        marks = kept.get(pk)
        if marks is None:
            marks = kept[pk] = variant_marks(name)
        out.append(marks)
    return out


@dataclass
class Term:
    """One word of the query and the whole words of the catalogue it may be a typo of."""

    word: str
    corrections: list[str] = field(default_factory=list)
    # The catalogue's words that start with `word` (itself included when it is one), when they are few
    # and plain letters: the same rows as the prefix, found from the index without a prefix scan.
    completions: list[str] = field(default_factory=list)
    # The other spellings of a number that the catalogue has ("3": "iii", "03"): whole words, like the
    # corrections, but the word itself is what the citizen meant (the phrase keeps it).
    variants: list[str] = field(default_factory=list)

    @property
    def best(self) -> str:
        return self.corrections[0] if self.corrections else self.word

    @property
    def whole_words(self) -> list[str]:
        """The catalogue's whole words that also count as this term: its typos' words, a number's spellings."""
        return self.corrections + self.variants

    @property
    def is_code_like(self) -> bool:
        """A code or a part of one (1.001193, 000528): a short number (2, 14) is a word of the names."""
        if self.word.isdigit() and len(self.word) <= 2:
            return False
        return bool(_CODE_LIKE.search(self.word))


@dataclass
class Query:
    terms: list[Term]
    phrase: str  # every word in order, repeated words kept, typos corrected: compared with whole names
    typed_phrase: str = ""  # the words as typed, before everyday names were replaced
    # The VARIANTS phrases the query does not ask for: a name with one of them ranks lower.
    variants: list[str] = field(default_factory=list)

    @property
    def variant_mask(self) -> int:
        """The bits of `variants` in variant_marks."""
        return sum(1 << i for i, (phrase, _) in enumerate(VARIANTS) if phrase in self.variants)

    @property
    def words(self) -> list[str]:
        return [term.word for term in self.terms]


class Vocabulary:
    def __init__(self, counts: Counter):
        self.counts = counts
        self.sorted = sorted(counts)
        self.deletions: dict[str, list[str]] = {}
        for word in counts:
            if len(word) >= MIN_TYPO_LENGTH and not _CODE_LIKE.search(word):
                for variant in (word, *_deletions(word)):
                    self.deletions.setdefault(variant, []).append(word)

    def has_prefix(self, prefix: str) -> bool:
        index = bisect.bisect_left(self.sorted, prefix)
        return index < len(self.sorted) and self.sorted[index].startswith(prefix)

    def prefix_count(self, prefix: str) -> int:
        """Return how often the catalogue's words that start with `prefix` occur."""
        start, end = self._starting(prefix)
        return sum(self.counts[word] for word in self.sorted[start:end])

    def completions(self, prefix: str) -> list[str]:
        """Return the catalogue's words that start with `prefix`, if MAX_COMPLETIONS at most and all of
        letters a–z only (words the full-text index holds as they are); otherwise none."""
        start, end = self._starting(prefix)
        if end - start > MAX_COMPLETIONS:  # a short prefix: not even copied
            return []
        found = self.sorted[start:end]
        return found if all(w.isascii() and w.isalpha() for w in found) else []

    def _starting(self, prefix: str) -> tuple[int, int]:
        """The range of `sorted` that holds the words starting with `prefix`."""
        start = bisect.bisect_left(self.sorted, prefix)
        return start, bisect.bisect_left(self.sorted, prefix + "\uffff", start)

    def corrections(self, word: str) -> list[str]:
        """Return the catalogue's words one edit from `word`, the most frequent first."""
        found = set()
        for variant in (word, *_deletions(word)):
            found.update(self.deletions.get(variant, ()))
        found = {w for w in found if w != word and _one_edit(word, w)}
        return sorted(found, key=lambda w: (-self.counts[w], w))[:8]


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1:] for i in range(len(word))}


def _one_edit(a: str, b: str) -> bool:
    """True when b is a with one letter missing, added or changed, or two neighbours swapped."""
    if abs(len(a) - len(b)) > 1:
        return False
    if len(a) == len(b):
        diffs = [i for i in range(len(a)) if a[i] != b[i]]
        if len(diffs) == 1:
            return True
        return len(diffs) == 2 and diffs[1] == diffs[0] + 1 and a[diffs[0]] == b[diffs[1]] and a[diffs[1]] == b[diffs[0]]
    shorter, longer = sorted((a, b), key=len)
    return any(longer[:i] + longer[i + 1:] == shorter for i in range(len(longer)))


@dataclass
class Catalogue:
    """What the search reads of one catalogue version: its vocabulary and its everyday names."""

    vocabulary: Vocabulary
    synonyms: list[tuple[list[str], list[str]]]


_CATALOGUES: dict[int, Catalogue] = {}


def _vocabulary_counts() -> Counter:
    from .models import Procedure

    active = Procedure.objects.filter(is_active=True)
    if connection.vendor == "postgresql":
        # Counted in the database: only the distinct words travel, not every row's text.
        sql, params = active.values("search_text").query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT word, count(*) FROM (SELECT unnest(string_to_array(btrim(t.search_text), ' ')) AS word "
                f"FROM ({sql}) AS t) AS w WHERE word <> '' GROUP BY word",
                params,
            )
            return Counter(dict(cursor.fetchall()))
    counts: Counter = Counter()
    for text in active.values_list("search_text", flat=True).iterator(chunk_size=2000):
        counts.update(text.split())
    return counts


def _synonym_pairs() -> list[tuple[list[str], list[str]]]:
    from .models import SearchSynonym

    pairs = [(words(s.phrase), words(s.expansion)) for s in SearchSynonym.objects.filter(is_active=True)]
    return sorted([p for p in pairs if p[0]], key=lambda p: -len(p[0]))


def catalogue(version: int) -> Catalogue:
    """Return the catalogue's vocabulary and synonyms, read once per catalogue version for all processes.

    The first process to need a version reads the words and synonyms from the database and stores them
    in the cache; the others build their copy from there, and each keeps its copy until the version
    changes. Versions are never reused (procedures.selectors.catalogue_version), so a process never
    takes a copy built from other rows for the current one.
    """
    built = _CATALOGUES.get(version)
    if built is not None:
        return built
    key = f"catalogue:search-data:v{version}"
    stored = cache.get(key)
    if stored is None:
        stored = (_vocabulary_counts(), _synonym_pairs())
        cache.set(key, stored, SEARCH_DATA_SECONDS)
    counts, pairs = stored
    built = Catalogue(vocabulary=Vocabulary(counts), synonyms=pairs)
    _CATALOGUES.clear()  # one catalogue at a time: the old versions are never asked for again
    _CATALOGUES[version] = built
    return built


def forget() -> None:
    """Drop what this process keeps per catalogue version (the vocabulary and synonyms, the variant marks).

    A database that only moves forward never gives a version number twice; one whose transaction is rolled back
    does (each test's, or a restore from backup: restart the processes after one). A test that kept the
    vocabulary of another test's rows under the version its own import reaches searched the national catalogue
    with a few dozen words' completions, and its hit rate depended on which tests ran before it.
    """
    _CATALOGUES.clear()
    _MARKS.clear()


def vocabulary(version: int) -> Vocabulary:
    return catalogue(version).vocabulary


def synonyms(version: int) -> list[tuple[list[str], list[str]]]:
    """Return the active synonyms as (phrase words, expansion words), the longest phrase first."""
    return catalogue(version).synonyms


def expand_synonyms(query_words: list[str], pairs) -> list[str]:
    """Replace everyday names in the query by the words the procedures' names use."""
    out, i = [], 0
    while i < len(query_words):
        for phrase, expansion in pairs:
            if query_words[i:i + len(phrase)] == phrase:
                out.extend(expansion)
                i += len(phrase)
                break
        else:
            out.append(query_words[i])
            i += 1
    return out


def _number(words: list[str], i: int) -> int | None:
    """The number the i-th word writes, if it writes one here (see _NUMBER_WORDS)."""
    word = words[i]
    if word.isdecimal() and len(word) <= 2:  # not isdigit(): "¹" is a digit int() cannot read
        return int(word)
    beside = {words[i - 1] if i else "", words[i + 1] if i + 1 < len(words) else ""}
    if word in _NUMBER_WORDS[1:] and (words[i - 1:i] and words[i - 1] in _COUNTING or beside & _COUNTED):
        return _NUMBER_WORDS.index(word)
    if word in _ROMAN[1:] and i and words[i - 1] in _COUNTING:
        return _ROMAN.index(word)
    return None


def _tens(words: list[str]) -> list[str]:
    """"mười bốn" is 14, "hai mươi" 20: the words of a number said in full become its digits."""
    out: list[str] = []
    for word in words:
        if word == "muoi" and out and out[-1] in _NUMBER_WORDS[2:10]:  # hai mươi
            out[-1] = str(_NUMBER_WORDS.index(out[-1]) * 10)
        elif out and out[-1] in ("muoi", "10") and word in _NUMBER_WORDS[1:10]:  # mười bốn
            out[-1] = str(10 + _NUMBER_WORDS.index(word))
        elif out and out[-1].isdecimal() and out[-1].endswith("0") and len(out[-1]) == 2 and word in _NUMBER_WORDS[1:10]:
            out[-1] = str(int(out[-1]) + _NUMBER_WORDS.index(word))  # hai mươi bốn (not "lăm": "làm")
        else:
            out.append(word)
    return out


def number_spellings(value: int) -> list[str]:
    """The ways the names write a number: 2, 02, ii, hai."""
    spellings = [str(value), f"{value:02d}"]
    if value < len(_ROMAN):
        spellings += [_ROMAN[value], _NUMBER_WORDS[value]]
    return list(dict.fromkeys(spellings))


def _dotted(word: str) -> str:
    parts = code_parts(word) if "." not in word and word[:1].isdigit() else None
    if parts is None:
        return word
    return (parts[1] or parts[0]).lower()


def analyse(q: str, *, version: int) -> Query:
    """Read a query: fold it, expand everyday names, and find what each unknown word may be a typo of."""
    # A code typed without its dots (1001193) is the code.
    typed = [_dotted(word) for word in words(q)[:MAX_WORDS * 2]]
    known = catalogue(version)
    expanded = _tens(expand_synonyms(typed, known.synonyms)[:MAX_WORDS * 2])
    vocab = known.vocabulary
    terms: dict[str, Term] = {}
    for i, word in enumerate(expanded):
        if word in terms or len(terms) >= MAX_WORDS:
            continue
        term = Term(word=word)
        value = _number(expanded, i)
        if value is not None and value <= MAX_NUMBER:
            # Whole words only: "3" is not the start of "30" nor of the codes "3.000…".
            term.completions = [word] if word in vocab.counts else []
            term.variants = [w for w in number_spellings(value) if w != word and w in vocab.counts]
            if not term.completions and not term.variants:
                term.completions = [word]  # a number the catalogue never writes: nothing has it
        elif not term.is_code_like:
            if vocab.has_prefix(word):
                term.completions = vocab.completions(word)
            elif len(word) >= MIN_TYPO_LENGTH:  # not a word nor the start of one: a typo
                term.corrections = vocab.corrections(word)
        terms[word] = term
    phrase = " ".join(terms[w].best if w in terms else w for w in expanded)
    # "lái xe" folds as "lại xe": that "lai" does not ask for a "Cấp lại".
    asked = {w for i, w in enumerate(expanded) if w != "lai" or expanded[i + 1:i + 2] != ["xe"]}
    variants = [phrase for phrase, cancel in VARIANTS if not cancel & asked]
    return Query(terms=list(terms.values()), phrase=phrase, typed_phrase=" ".join(typed), variants=variants)
