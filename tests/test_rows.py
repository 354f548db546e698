"""The table every export draws from: columns, sections per 领域, 序号, and each cell's text."""

from __future__ import annotations

from conftest import REPO
from qingdan.present.vocabulary import vocabulary
from qingdan.rows import Numbering, Table, table
from qingdan.workspace import Workspace

LISTS = REPO / "lists"
QINGSHUI = LISTS / "townships" / "qingshui" / "territorial.yaml"


def _table(numbering: Numbering = Numbering.CONTINUOUS) -> Table:
    workspace = Workspace()
    listset = workspace.open(LISTS)
    (listed,) = workspace.lists(listset, [QINGSHUI])
    found = table(listed, vocabulary(listset), numbering)
    assert found is not None
    return found


def test_a_derived_township_list_reads_as_its_resolved_table() -> None:
    """Columns and titles come from the kind; the township's own changes are in the cells."""
    found = _table()
    assert found.title == "清水镇属地管理事项清单"
    assert [c.title for c in found.columns][:4] == ["事项编码", "领域", "事项名称", "牵头部门"]
    row = next(r for r in found.rows if r.item.code == "SD-03-004")
    assert row.item.source == "修改"
    assert row.cells[3] == "清水镇"  # the township's own 牵头部门, not the district's
    assert row.cells[1] == "生态环境"  # the category by name, not its code


def test_sections_follow_the_category_tree_and_numbering_is_configurable() -> None:
    continuous = _table()
    names = [s.name for s in continuous.sections]
    assert names[:3] == ["应急管理", "自然资源", "生态环境"]
    numbers = [r.number for r in continuous.rows]
    assert numbers == list(range(1, len(numbers) + 1))
    per_section = _table(Numbering.PER_SECTION)
    assert all(s.rows[0].number == 1 for s in per_section.sections)
    assert [r.item.code for r in per_section.rows] == [r.item.code for r in continuous.rows]


def test_nested_entries_read_as_the_kind_writes_them() -> None:
    """A party reads "部门：职责", one a line; a basis reads "《名称》（文号）条款", parts it lacks
    left out (x-qingdan.texts), rather than "部门：…；职责：…"."""
    found = _table()
    titles = [c.title for c in found.columns]
    row = next(r for r in found.rows if r.item.code == "SD-01-004")
    main = row.cells[titles.index("主体责任")].split("\n")
    assert [line.split("：")[0] for line in main] == ["区林业局", "区应急局"]
    assert main[0].startswith("区林业局：负责森林火灾预防工作")
    basis = row.cells[titles.index("实施依据")].split("\n")
    assert basis == ["《森林防火条例》（国务院令第541号）", "《中华人民共和国森林法》"]
