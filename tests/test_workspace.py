"""The workspace and the resolver as a library: no subprocess, real list sets on disk."""

from __future__ import annotations

import shutil
from pathlib import Path
from types import MappingProxyType

import pytest

from conftest import REPO
from qingdan.kinds import Roles
from qingdan.model import Item, Origin
from qingdan.workspace import Workspace
from qingdan.yamldoc import YamlDocument

LISTS = REPO / "lists"


def test_each_set_and_base_is_opened_once_per_workspace() -> None:
    workspace = Workspace()
    listset = workspace.open(LISTS)
    assert workspace.open(LISTS / ".." / "lists") is listset
    (catalog,) = workspace.bases(listset)
    assert workspace.base_set(listset) is catalog
    assert Workspace().open(LISTS) is not listset  # nothing is shared between commands


def test_lists_are_resolved_with_frozen_items_and_their_origins() -> None:
    workspace = Workspace()
    listset = workspace.open(LISTS)
    lists = {lst.path.relative_to(LISTS).as_posix(): lst for lst in workspace.lists(listset)}
    district = lists["townships/qinglan/duty.yaml"]
    township = lists["townships/qingshui/duty.yaml"]
    assert district.derived and township.derived
    assert {i.source for i in township} == {"修改", "新增"}  # it fills in every phone number
    assert "继承" in {i.source for i in district}
    item = next(i for i in township if i.source == "修改")
    with pytest.raises(TypeError):
        item.values["name"] = "改名"  # type: ignore[index]
    index = township.items.index(item)
    where = township.location(index, *item.origin.fields)
    assert where.file.endswith("qingshui/duty.yaml") and where.line > 0
    assert not township.findings


def test_identity_fields_come_from_the_kinds_roles() -> None:
    roles = Roles.of({"code": "bm", "name": "mc"})
    item = Item(
        MappingProxyType({"bm": "X-1", "mc": "名称", "category": "01"}),
        Origin("本级", YamlDocument("t.yaml"), ("items", 0)),
        roles,
    )
    assert (item.code, item.name, item.category) == ("X-1", "名称", "01")
    assert Roles.of(["not", "a", "mapping"]) == Roles()


def test_a_set_that_is_its_own_base_ends_the_chain(tmp_path: Path) -> None:
    copy = tmp_path / "lists"
    shutil.copytree(LISTS, copy)
    config = copy / "qingdan.yaml"
    config.write_text(config.read_text("utf-8").replace("path: catalog", "path: ."), "utf-8")
    workspace = Workspace()
    assert workspace.bases(workspace.open(copy)) == []


def test_a_resolution_limited_to_codes_is_the_whole_one_cut_to_them() -> None:
    workspace = Workspace()
    listset = workspace.open(LISTS)
    path = LISTS / "townships" / "qingshui" / "territorial.yaml"
    (whole,) = workspace.lists(listset, [path])
    codes = frozenset({"SD-03-004", "SD-01-001", "SD-01-003"})
    doc = whole.document.overlay  # type: ignore[attr-defined]
    part = workspace.resolve(doc, path, listset, codes)
    expected = [dict(i.values) for i in whole if i.code in codes]
    assert part.items == expected
    assert [o.source for o in part.origins] == [i.source for i in whole if i.code in codes]
