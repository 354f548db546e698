"""What a query finds in an index, best first, and which characters matched.

A query is folded like the texts (``fold``) and then found as:

1. a code: the item code starts with the query (``SD-07``);
2. in the name, as written;
3. in the name, spelt in pinyin: full syllables (``jinggai``) or initials (``jg``), for queries
   of two or more ASCII letters;
4. in the name, through a synonym the set declares (``search.synonyms``: 窨井盖 = 井盖): the part
   of the query that is one of a group is replaced by each other member of the group;
5. a department the item names (牵头, 主体 or 配合), by any name the registry has for it (full
   name, short name, alias): the query, as written or through a synonym, is at least half of one
   of those names (``住建局`` for 区住建局, ``住房和城乡建设局`` for 青岚区住房和城乡建设局), so
   that a word like 建设 in a long full name does not make every item of that department a
   department match;
6. in any other text of the item (duties, basis, departments), as written or through a synonym;
7. a near miss in the name: a stretch of the name one character away from the query (one
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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import IntEnum

from qingdan.search.index import CODE, COUNT, FIXED, KIND, NAME, Entry, Index
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
    DEPARTMENT = 4
    TEXT = 5
    NEAR = 6

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {
    How.CODE: "编码",
    How.NAME: "名称",
    How.PINYIN: "拼音",
    How.SYNONYM: "同义词",
    How.DEPARTMENT: "部门",
    How.TEXT: "内容",
    How.NEAR: "近似",
}


@dataclass(frozen=True, slots=True)
class Match:
    """How one shape (what an item says) was found, whichever townships have it."""

    how: How
    name_spans: tuple[Span, ...] = ()
    field: str = ""
    """For a match in another text or a department: that column's title."""
    text: str = ""
    """For a match in another text: that text, and where in it."""
    text_spans: tuple[Span, ...] = ()


@dataclass(frozen=True, slots=True)
class Hit:
    number: int
    """The entry's place in the index."""
    entry: Entry
    found: Match

    @property
    def how(self) -> How:
        return self.found.how

    @property
    def name_spans(self) -> tuple[Span, ...]:
        return self.found.name_spans

    @property
    def field(self) -> str:
        return self.found.field

    @property
    def text(self) -> str:
        return self.found.text

    @property
    def text_spans(self) -> tuple[Span, ...]:
        return self.found.text_spans


@dataclass(frozen=True, slots=True)
class Results:
    """Every entry a query found, best first; entries are read from the index only for the
    ones shown."""

    index: Index
    keys: list[int]
    """Sorted: ``rank * len(index) + entry number``."""
    matches: list[Match | None]
    """Per shape."""

    @property
    def total(self) -> int:
        return len(self.keys)

    def top(self, limit: int | None = None) -> list[Hit]:
        size, index = len(self.index), self.index
        hits = []
        for key in self.keys[:limit]:
            number = key % size
            match = self.matches[index.shape_of[number]]
            assert match is not None
            hits.append(Hit(number, index.entry(number), match))
        return hits


@dataclass(frozen=True, slots=True)
class Keep:
    """Which entries to look at: one unit (as people name it) and one kind, or all."""

    unit: str | None = None
    kind: str | None = None


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


def search(index: Index, query: Query, keep: Keep = Keep()) -> Results:
    """Every entry of ``keep`` the query finds, best first.

    Each distinct text is matched once (``in`` over the folded strings, at C speed), each shape
    (what an item says, shared by the townships that inherit it) is judged once from those, and
    the entries only look their shape's verdict up."""
    if not query.folded:
        return Results(index, [], [])
    strings = index.strings
    folded = index.folded()
    wanted = (query.folded, *query.variants)
    if query.variants:
        in_text = {i for i, t in enumerate(folded) if any(w in t for w in wanted)}
    else:
        in_text = {i for i, t in enumerate(folded) if query.folded in t}
    names = {shape[NAME] for shape in index.shapes}
    in_name = {n: _name_hit(query, folded[n], index.spellings) for n in names}
    held = {n for n, keys in index.department_keys.items() if _names_department(wanted, keys)}
    matches = [
        _shape_hit(shape, index, query, in_name=in_name, in_text=in_text, held=held, folded=folded)
        for shape in index.shapes
    ]
    ranks = [
        -1 if m is None else _rank(m, strings[shape[NAME]])
        for m, shape in zip(matches, index.shapes, strict=True)
    ]
    wanted_unit = _id(strings, keep.unit)
    wanted_kind = _id(strings, keep.kind)
    size = len(index)
    keys = []
    for number, (unit, shape) in enumerate(zip(index.units, index.shape_of, strict=True)):
        rank = ranks[shape]
        if rank < 0 or (keep.unit is not None and unit != wanted_unit):
            continue
        if keep.kind is not None and index.shapes[shape][KIND] != wanted_kind:
            continue
        keys.append(rank * size + number)
    keys.sort()
    return Results(index, keys, matches)


def _id(strings: list[str], text: str | None) -> int:
    """The number of ``text`` in the index's strings, -1 when it is not there."""
    if text is None:
        return -1
    try:
        return strings.index(text)
    except ValueError:
        return -1


def _shape_hit(
    shape: list[int],
    index: Index,
    query: Query,
    *,
    in_name: dict[int, Found | None],
    in_text: set[int],
    held: set[int],
    folded: list[str],
) -> Match | None:
    if index.strings[shape[CODE]].lower().startswith(query.folded):
        return Match(How.CODE)
    name = in_name[shape[NAME]]
    if name is not None and name[0] < How.DEPARTMENT:
        return Match(name[0], name[1])
    if held:  # most queries name no department
        parties = shape[FIXED + 2 * shape[COUNT] :]
        department = next((k for k in range(1, len(parties), 2) if parties[k] in held), None)
        if department is not None:
            return _department_hit(shape, index, parties[department - 1 : department + 1], folded)
    texts = shape[FIXED + 1 : FIXED + 2 * shape[COUNT] : 2]
    if not in_text.isdisjoint(texts):
        place = next(k for k, t in enumerate(texts) if t in in_text)
        text = texts[place]
        wanted = (query.folded, *query.variants)
        spans = next(found for w in wanted if (found := occurrences(folded[text], w)))
        title = index.strings[shape[FIXED + 2 * place]]
        return Match(How.TEXT, (), title, index.strings[text], spans)
    if name is not None:
        return Match(name[0], name[1])
    return None


def _names_department(wanted: tuple[str, ...], keys: list[str]) -> bool:
    """Whether a query (or a synonym variant) is at least half of one of a department's names."""
    return any(w in key and 2 * len(w) >= len(key) for w in wanted for key in keys)


def _department_hit(shape: list[int], index: Index, party: list[int], folded: list[str]) -> Match:
    """A department match, shown in the first column that names the department (牵头部门,
    主体部门, …), or as its role when no column shows it."""
    role, department = party
    label = folded[department]
    for k in range(shape[COUNT]):
        title, text = shape[FIXED + 2 * k], shape[FIXED + 2 * k + 1]
        spans = occurrences(folded[text], label)
        if spans:
            return Match(How.DEPARTMENT, (), index.strings[title], index.strings[text], spans)
    shown = index.strings[department]
    return Match(How.DEPARTMENT, (), index.strings[role], shown, ((0, len(shown)),))


def _rank(found: Match, name: str) -> int:
    """How found, then names that begin with the match, then shorter names, as one number."""
    starts = bool(found.name_spans) and found.name_spans[0][0] == 0
    return (found.how * 2 + (not starts)) * 1000 + min(len(name), 999)


def _name_hit(query: Query, folded: str, spellings: dict[str, str]) -> Found | None:
    spans = occurrences(folded, query.folded)
    if spans:
        return How.NAME, spans
    if _LETTERS.fullmatch(query.folded.replace(" ", "")):
        spelling = spellings.get(folded)
        found = pinyin_span(query.folded.replace(" ", ""), spelling) if spelling else None
        if found is not None:
            return How.PINYIN, (found,)
    for variant in query.variants:
        spans = occurrences(folded, variant)
        if spans:
            return How.SYNONYM, spans
    near = near_span(query.folded, folded)
    return (How.NEAR, (near,)) if near is not None else None


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
