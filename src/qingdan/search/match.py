"""What a query finds in an index, best first, and which characters matched.

A query is folded like the texts (``fold``) and then found as:

1. a code: the item code starts with the query (``SD-07``);
2. in the name, as written;
3. in the name, spelt in pinyin: full syllables (``jinggai``) or initials (``jg``), for queries
   of two or more ASCII letters;
4. in the name, through a synonym the set declares (``search.synonyms``: 窨井盖 = 井盖): the part
   of the query that is one of a group is replaced by each other member of the group;
5. in any other text of the item (duties, basis, departments), as written or through a synonym;
6. a near miss in the name: a stretch of the name one character away from the query (one
   character replaced; for queries of three or more characters also one more or one less).

Results are ranked in that order, then names that begin with the match, then shorter names,
then the order the lists print in. Near misses use edit distance rather than character n-grams
because the typos people make are one wrong IME candidate in a two- to four-character word
(井该 for 井盖): such a query shares no bigram with the word it meant. They are only tried on
names and on queries of 2 to 8 characters; on a one-character query every name would be near.
The site's page (``qingdan export site``) runs this same procedure in JavaScript.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum

from qingdan.search.index import Entry, Index
from qingdan.search.pinyin import pinyin_span

Span = tuple[int, int]
_LETTERS = re.compile(r"[a-z]{2,}")
NEAR_LENGTHS = range(2, 9)
Found = tuple["How", tuple[Span, ...]]


class How(IntEnum):
    """How an item was found; lower ranks first."""

    CODE = 0
    NAME = 1
    PINYIN = 2
    SYNONYM = 3
    TEXT = 4
    NEAR = 5

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    How.CODE: "编码",
    How.NAME: "名称",
    How.PINYIN: "拼音",
    How.SYNONYM: "同义词",
    How.TEXT: "内容",
    How.NEAR: "近似",
}


@dataclass(frozen=True, slots=True)
class Hit:
    entry: Entry
    how: How
    name_spans: tuple[Span, ...] = ()
    field: str = ""
    """For a match in another text: that column's title."""
    text: str = ""
    """For a match in another text: that text, and where in it."""
    text_spans: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class Query:
    """A query as the index compares it: folded, with its synonym variants."""

    text: str
    folded: str
    variants: tuple[str, ...]
    """The folded query with a synonym in place of a group member it contains."""

    @classmethod
    def of(cls, text: str, index: Index, synonyms: Sequence[Sequence[str]] = ()) -> Query:
        folded = " ".join(index.fold(text).split())
        return cls(text, folded, variants(folded, [[index.fold(w) for w in g] for g in synonyms]))


def variants(folded: str, groups: Iterable[Sequence[str]]) -> tuple[str, ...]:
    found: dict[str, None] = {}
    for group in groups:
        for word in group:
            if word and word in folded:
                found.update(
                    (folded.replace(word, other), None) for other in group if other != word
                )
    found.pop(folded, None)
    return tuple(found)


def search(index: Index, query: Query, keep: Iterable[Entry] | None = None) -> list[Hit]:
    """Every entry (of ``keep``, default all) the query finds, best first."""
    if not query.folded:
        return []
    names = _Memo(index, query, _name_hit)
    texts = _Memo(index, query, _text_hit)
    code = query.folded
    hits = []
    for order, entry in enumerate(index.entries if keep is None else keep):
        hit = _hit(entry, code, names, texts)
        if hit is not None:
            hits.append((_rank(hit), order, hit))
    hits.sort(key=lambda h: (h[0], h[1]))
    return [h for _, _, h in hits]


_Matcher = Callable[[Index, "Query", str], "Found | None"]


class _Memo:
    """A match per distinct text: townships share most of theirs."""

    def __init__(self, index: Index, query: Query, match: _Matcher) -> None:
        self.index, self.query, self.match = index, query, match
        self.known: dict[str, Found | None] = {}

    def __call__(self, text: str) -> Found | None:
        if text not in self.known:
            self.known[text] = self.match(self.index, self.query, text)
        return self.known[text]


def _hit(entry: Entry, code: str, names: _Memo, texts: _Memo) -> Hit | None:
    if entry.code.lower().startswith(code):
        return Hit(entry, How.CODE)
    in_name = names(entry.name)
    if in_name is not None and in_name[0] < How.TEXT:
        return Hit(entry, in_name[0], in_name[1])
    for title, text in entry.texts:
        found = texts(text)
        if found is not None:
            return Hit(entry, How.TEXT, field=title, text=text, text_spans=found[1])
    if in_name is not None:
        return Hit(entry, in_name[0], in_name[1])
    return None


def _rank(hit: Hit) -> tuple[int, int, int]:
    starts = bool(hit.name_spans) and hit.name_spans[0][0] == 0
    return (hit.how, not starts, len(hit.entry.name))


def _name_hit(index: Index, query: Query, name: str) -> Found | None:
    folded = index.fold(name)
    spans = occurrences(folded, query.folded)
    if spans:
        return How.NAME, spans
    if _LETTERS.fullmatch(query.folded.replace(" ", "")):
        spelling = index.spellings.get(folded)
        found = pinyin_span(query.folded.replace(" ", ""), spelling) if spelling else None
        if found is not None:
            return How.PINYIN, (found,)
    for variant in query.variants:
        spans = occurrences(folded, variant)
        if spans:
            return How.SYNONYM, spans
    near = near_span(query.folded, folded)
    return (How.NEAR, (near,)) if near is not None else None


def _text_hit(index: Index, query: Query, text: str) -> Found | None:
    folded = index.fold(text)
    for wanted in (query.folded, *query.variants):
        spans = occurrences(folded, wanted)
        if spans:
            return How.TEXT, spans
    return None


def occurrences(text: str, part: str) -> tuple[Span, ...]:
    """Every place ``part`` stands in ``text``, left to right, not overlapping."""
    spans = []
    at = text.find(part)
    while part and at >= 0:
        spans.append((at, at + len(part)))
        at = text.find(part, at + len(part))
    return tuple(spans)


def near_span(query: str, text: str) -> Span | None:
    """The first stretch of ``text`` one edit from ``query`` (see the module's docstring)."""
    size = len(query)
    if size not in NEAR_LENGTHS or query.isascii():
        return None
    half = size // 2
    if query[:half] not in text and query[half:] not in text:
        return None  # one edit leaves one half of the query whole
    lengths = (size,) if size < 3 else (size, size - 1, size + 1)
    for start in range(len(text)):
        for length in lengths:
            window = text[start : start + length]
            if len(window) == length and _one_edit(query, window):
                return start, start + length
    return None


def _one_edit(a: str, b: str) -> bool:
    """Whether ``b`` is ``a`` with exactly one character replaced, added or left out."""
    if len(a) == len(b):
        return sum(x != y for x, y in zip(a, b, strict=True)) == 1
    short, long = (a, b) if len(a) < len(b) else (b, a)
    if len(long) - len(short) != 1:
        return False
    i = next((i for i, (x, y) in enumerate(zip(short, long, strict=False)) if x != y), len(short))
    return short[i:] == long[i + 1 :]


def snippet(text: str, spans: tuple[Span, ...], width: int = 30) -> tuple[str, tuple[Span, ...]]:
    """The part of a long text around its first match (``…`` where it was cut), spans moved."""
    if not spans or len(text) <= 2 * width + (spans[0][1] - spans[0][0]):
        return text, spans
    start = max(0, spans[0][0] - width)
    end = min(len(text), spans[0][1] + width)
    lead = "…" if start else ""
    tail = "…" if end < len(text) else ""
    moved = tuple(
        (s - start + len(lead), e - start + len(lead)) for s, e in spans if s >= start and e <= end
    )
    return lead + text[start:end] + tail, moved


def pieces(text: str, spans: tuple[Span, ...]) -> list[tuple[str, bool]]:
    """``text`` as (piece, matched) runs, for a reporter to mark the matched ones."""
    out, at = [], 0
    for start, end in spans:
        if start > at:
            out.append((text[at:start], False))
        out.append((text[start:end], True))
        at = end
    if at < len(text):
        out.append((text[at:], False))
    return out
