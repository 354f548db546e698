"""``qingdan export site``: a static website of the resolved set, searchable without a server.

The pages come from the search index (``search.index``): an index page with a search box and
filters, a page per item and a page per department (its items grouped 牵头 / 主体 / 配合, then by
township and list). The index itself is shipped as ``data.js`` (the texts once each, the folding
table, the names' pinyin, the set's synonyms), so the browser only runs the cheap part of the
same matching ``qingdan find`` does (``search.js`` is ``search.match`` in JavaScript). A script
file rather than JSON, so the site opens from a folder (``file://``) as well as from any web
server; nothing is loaded from the internet.

The site is written into a temporary folder beside the target and renamed into place, so a
reader sees the old site or the new one; an existing folder is replaced only when it holds a
site qingdan wrote (its ``qingdan-site.txt``).
"""

from __future__ import annotations

import html
import json
import shutil
from dataclasses import dataclass
from pathlib import Path
from string import Template

from qingdan import atomic
from qingdan.duties import Duty
from qingdan.errors import QingdanError
from qingdan.listset import display_path
from qingdan.search.index import CODE, COUNT, FIXED, KIND_TITLE, NAME, Index

MARKER = "qingdan-site.txt"
"""In every site qingdan writes: an existing folder with it may be replaced."""
ROLES = tuple(duty.value for duty in Duty)
PER_FOLDER = 1000
"""Item pages per folder: a hundred thousand files in one folder is slow to open on Windows."""
STATIC = ("site.css", "search.js")
TEMPLATES = Path(__file__).parent / "data" / "site"
"""The pages' HTML, CSS and script: files, read as they are."""


@dataclass(frozen=True, slots=True)
class About:
    """What the pages say about the set."""

    title: str
    edition: str
    date: str
    """As offices write it: 2026年3月2日."""
    synonyms: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True, slots=True)
class Written:
    items: int
    pages: int
    """Item pages: one per distinct item text, which lists the units whose lists have it."""
    departments: int


def item_path(number: int) -> str:
    """The page of shape ``number``: townships that inherit an item unchanged share its page."""
    return f"items/{number // PER_FOLDER}/{number}.html"


def _template(name: str) -> Template:
    return Template((TEMPLATES / name).read_text("utf-8"))


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _lines(text: str) -> str:
    return "<br>".join(_e(line) for line in text.split("\n"))


class _Pages:
    """The pages of one site, from one index."""

    def __init__(self, index: Index, about: About) -> None:
        self.index, self.about = index, about
        self.page = _template("page.html")
        self.departments = _department_numbers(index)
        self.escaped: dict[int, str] = {}

    def shell(self, title: str, body: str, root: str) -> str:
        about = self.about
        return self.page.substitute(
            title=_e(title),
            site=_e(about.title),
            edition=_e(about.edition),
            date=_e(about.date),
            body=body,
            root=root,
        )

    def text(self, number: int) -> str:
        """String ``number`` of the index as HTML, escaped once however many pages show it."""
        found = self.escaped.get(number)
        if found is None:
            found = self.escaped[number] = _lines(self.index.strings[number])
        return found

    def item(self, shape: list[int], units: list[int]) -> str:
        """The page of one shape (what an item says), with every unit whose list has it."""
        t = self.text
        rows = [("事项编码", t(shape[CODE])), ("清单", t(shape[KIND_TITLE]))]
        rows.append(("镇（街道）", "、".join(t(u) for u in units)))
        pairs = shape[FIXED:]
        count = shape[COUNT]
        rows += [
            (t(a), t(b))
            for a, b in zip(pairs[: 2 * count : 2], pairs[1 : 2 * count : 2], strict=True)
        ]
        table = "".join(f"<tr><th>{a}</th><td>{b}</td></tr>" for a, b in rows)
        parties = "".join(
            f'<li><span class="role">{t(role)}</span> '
            f'<a href="../../{self.department_path(name)}">{t(name)}</a></li>'
            for role, name in zip(pairs[2 * count :: 2], pairs[2 * count + 1 :: 2], strict=True)
        )
        body = (
            f'<article class="item"><h2>{t(shape[NAME])}</h2>'
            f'<table class="fields">{table}</table>'
            + (f'<h3>责任部门</h3><ul class="parties">{parties}</ul>' if parties else "")
            + "</article>"
        )
        title = self.index.strings[shape[NAME]]
        return self.shell(f"{title}（{self.index.strings[shape[CODE]]}）", body, "../../")

    def department_path(self, name: int) -> str:
        return f"departments/{self.departments[self.index.strings[name]]}.html"

    def department(self, name: int, numbered: list[tuple[int, int]]) -> str:
        """A department's items: (role, entry number) pairs, grouped by role, unit and list."""
        index, t = self.index, self.text
        sections = []
        for role in ROLES:
            mine = [n for r, n in numbered if index.strings[r] == role]
            if not mine:
                continue
            groups: dict[tuple[int, int], list[int]] = {}
            for n in mine:
                shape = index.shapes[index.shape_of[n]]
                groups.setdefault((index.units[n], shape[KIND_TITLE]), []).append(n)
            parts = [f"<h3>{_e(role)}（{len(mine)} 项）</h3>"]
            for (unit, kind), listed in groups.items():
                links = "".join(self._link(n) for n in listed)
                parts.append(f"<h4>{t(unit)} · {t(kind)}（{len(listed)} 项）</h4><ul>{links}</ul>")
            sections.append(f'<section class="role-{ROLES.index(role)}">{"".join(parts)}</section>')
        body = f'<article class="department"><h2>{t(name)}</h2>{"".join(sections)}</article>'
        return self.shell(index.strings[name], body, "../")

    def _link(self, number: int) -> str:
        shape_number = self.index.shape_of[number]
        shape = self.index.shapes[shape_number]
        code, name = self.text(shape[CODE]), self.text(shape[NAME])
        return f'<li><a href="../{item_path(shape_number)}">{code} {name}</a></li>'

    def home(self) -> str:
        body = _template("index.html").substitute()
        return self.shell(self.about.title, body, "")

    def data(self) -> str:
        """``data.js``: the index as the page's script reads it."""
        payload = {
            **self.index.to_cache(),
            "departments": self.departments,
            "synonyms": [list(g) for g in self.about.synonyms],
            "perFolder": PER_FOLDER,
        }
        text = json.dumps(payload, ensure_ascii=False, separators=(",", ":"))
        # inside a <script> a "</" could end it early: written as an escape, it reads the same
        return "window.QINGDAN_DATA = " + text.replace("</", "<\\/") + ";\n"


def _department_numbers(index: Index) -> dict[str, int]:
    """Each department an item names, numbered in the order the items first name them."""
    strings, seen = index.strings, {}
    for shape in index.shapes:
        departments = shape[FIXED + 2 * shape[COUNT] + 1 :: 2]
        seen.update(dict.fromkeys(strings[n] for n in departments))
    return {name: number for number, name in enumerate(seen)}


def write_site(index: Index, about: About, out: Path) -> Written:
    """Write the site into ``out`` (replaced as a whole); the caller checked the place."""
    existing = out.exists()
    if existing and any(out.iterdir()) and not (out / MARKER).is_file():
        raise QingdanError(
            f"文件夹 {display_path(out)} 中已有其他文件，而它不是 qingdan 导出的网站："
            "为免覆盖这些文件，请换一个新的文件夹名。"
        )
    with atomic.staged_folder(out) as folder:
        return _fill(folder, index, about)


def _fill(folder: Path, index: Index, about: About) -> Written:
    pages = _Pages(index, about)
    for static in STATIC:
        shutil.copyfile(TEMPLATES / static, folder / static)
    (folder / "data.js").write_text(pages.data(), "utf-8")
    (folder / "index.html").write_text(pages.home(), "utf-8")
    units: list[list[int]] = [[] for _ in index.shapes]
    by_department: dict[int, list[tuple[int, int]]] = {}
    for number, (unit, shape_number) in enumerate(zip(index.units, index.shape_of, strict=True)):
        units[shape_number].append(unit)
        shape = index.shapes[shape_number]
        parties = shape[FIXED + 2 * shape[COUNT] :]
        for role, name in zip(parties[::2], parties[1::2], strict=True):
            by_department.setdefault(name, []).append((role, number))
    for number, shape in enumerate(index.shapes):
        if number % PER_FOLDER == 0:
            (folder / "items" / str(number // PER_FOLDER)).mkdir(parents=True)
        _write(folder / item_path(number), pages.item(shape, units[number]))
    (folder / "departments").mkdir()
    for name, numbered in by_department.items():
        _write(folder / pages.department_path(name), pages.department(name, numbered))
    (folder / MARKER).write_text(f"qingdan 导出的网站：{about.title} {about.edition}\n", "utf-8")
    return Written(len(index), len(index.shapes), len(by_department))


def _write(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        fh.write(text)
