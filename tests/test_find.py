"""``qingdan find`` through the real entry point: what a person types finds what they mean."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import run_qingdan, settle

BASE = Path(__file__).parent / "cases" / "validate" / "_base"
SYNONYMS = "search:\n  synonyms: [[窨井盖, 井盖], [占道经营, 马路市场]]\n"

TERRITORIAL = """kind: territorial
unit: {unit}
items:
  - code: SD-01-001
    name: 道路设施巡查
    category: "01"
    lead: D01
    main:
      - department: D01
        duty: 负责道路设施的养护管理。
    township_duty: 巡查发现井盖缺失、破损的，及时报告区应急局。
    basis:
      - title: 《城市道路管理条例》
  - code: SD-01-002
    name: {name}
    category: "01"
    lead: D01
    main:
      - department: D01
        duty: 负责检查井的安全监管。
    township_duty: 开展日常巡查，发现隐患及时报告。
    basis:
      - title: 《城市道路管理条例》
  - code: SD-02-001
    name: 占道经营整治
    category: "02"
    lead: D04
    main:
      - department: D04
        duty: 负责查处占道经营行为。
    township_duty: 劝阻占道经营并报告。
    basis:
      - title: 《城市市容和环境卫生管理条例》
  - code: SD-02-002
    name: "秸秆\\e[31m焚烧"
    category: "02"
    lead: D04
    main:
      - department: D04
        duty: 负责秸秆焚烧的监督管理。
    township_duty: 发现焚烧行为及时劝阻。
    basis:
      - title: 《中华人民共和国大气污染防治法》
"""

DUTY = """kind: duty
unit: 清水镇
items:
  - code: ZR-01-001
    name: 井盖隐患排查
    category: "01"
    duty: 排查辖区井盖隐患。
    basis:
      - title: 《城市道路管理条例》
    office: 党政综合办公室
"""


def make_set(root: Path, *, synonyms: bool = True, name: str = "井盖破损处置") -> Path:
    shutil.copytree(BASE, root)
    registry = root / "departments.yaml"
    text = registry.read_text("utf-8")
    assert "short: 区生态环境局," in text
    registry.write_text(
        text.replace("short: 区生态环境局,", "short: 区生态环境局, aliases: [区环保局],"), "utf-8"
    )
    config = root / "qingdan.yaml"
    if synonyms:
        config.write_text(config.read_text("utf-8") + SYNONYMS, "utf-8")
    for folder, unit in (("qs", "清水镇"), ("bh", "白鹤镇")):
        (root / "townships" / folder).mkdir(parents=True)
        text = TERRITORIAL.format(unit=unit, name=name)
        (root / "townships" / folder / "territorial.yaml").write_text(text, "utf-8")
    (root / "townships" / "qs" / "duty.yaml").write_text(DUTY, "utf-8")
    return root


@pytest.fixture
def listset(tmp_path: Path) -> Path:
    return make_set(tmp_path / "set")


def find_json(root: Path, *args: str) -> dict[str, object]:
    run = run_qingdan("find", *args, str(root), "--format", "json", cwd=root.parent)
    assert run.code == 0, run.stdout + run.stderr
    data = json.loads(run.stdout)
    assert isinstance(data, dict)
    return data


def results(data: dict[str, object]) -> list[dict[str, object]]:
    found = data["results"]
    assert isinstance(found, list)
    return found


def test_traditional_and_full_width_query_finds_simplified_name(listset: Path) -> None:
    """井蓋 (traditional) finds 井盖, with the two characters of the name marked."""
    first = results(find_json(listset, "井蓋", "--kind", "territorial"))[0]
    assert (first["name"], first["match"], first["name_spans"]) == (
        "井盖破损处置",
        "name",
        [[0, 2]],
    )
    full = results(find_json(listset, "ＳＤ－０２－００１"))
    assert {r["code"] for r in full} == {"SD-02-001"}


@pytest.mark.parametrize("typed", ["jg", "jinggai", "JingGai", "jinggaipo"])
def test_pinyin_without_an_ime_finds_the_name(listset: Path, typed: str) -> None:
    """Initials, full pinyin (any case, the last syllable cut short) find 井盖破损处置."""
    first = results(find_json(listset, typed, "--kind", "territorial"))[0]
    assert first["name"] == "井盖破损处置"
    assert first["match"] == "pinyin"
    assert first["name_spans"][0][0] == 0  # type: ignore[index]


def test_declared_synonym_finds_its_partner(listset: Path, tmp_path: Path) -> None:
    """马路市场 finds 占道经营整治 when the config declares them synonyms, and not otherwise."""
    first = results(find_json(listset, "马路市场"))[0]
    assert (first["name"], first["match"]) == ("占道经营整治", "synonym")
    plain = make_set(tmp_path / "plain", synonyms=False)
    run = run_qingdan("find", "马路市场", str(plain), cwd=tmp_path)
    assert run.code == 1
    assert "没有找到与“马路市场”相关的事项" in run.stdout


def test_one_wrong_character_still_finds_the_item(listset: Path) -> None:
    """井该 (one wrong IME candidate) finds 井盖破损处置 as a near miss."""
    found = results(find_json(listset, "井该", "--kind", "territorial"))
    assert found[0]["name"] == "井盖破损处置"
    assert found[0]["match"] == "near"


def test_name_matches_rank_above_duty_matches(listset: Path) -> None:
    """井盖 in a name comes before 井盖 in the township's duty of another item."""
    found = results(find_json(listset, "井盖", "--unit", "清水镇", "--kind", "territorial"))
    assert [r["code"] for r in found] == ["SD-01-002", "SD-01-001"]
    assert found[1]["match"] == "text"
    assert found[1]["field"] == "镇（街道）配合职责"
    text = found[1]["text"]
    assert isinstance(text, str)
    start, end = found[1]["text_spans"][0]  # type: ignore[index]
    assert text[start:end] == "井盖"


def test_unit_and_kind_filters(listset: Path) -> None:
    """--unit takes any registered name; --kind keeps one list kind."""
    every = results(find_json(listset, "井盖"))
    assert {(r["unit"], r["kind"]) for r in every} == {
        ("清水镇", "territorial"),
        ("白鹤镇", "territorial"),
        ("清水镇", "duty"),
    }
    by_full_name = results(find_json(listset, "井盖", "--unit", "测试区白鹤镇人民政府"))
    assert {r["unit"] for r in by_full_name} == {"白鹤镇"}
    duty = results(find_json(listset, "井盖", "--kind", "duty"))
    assert [(r["code"], r["list"]) for r in duty] == [("ZR-01-001", "职责任务清单")]


def test_json_shape_for_a_territorial_item(listset: Path) -> None:
    """Each result names the item, its township and list, and who does what."""
    data = find_json(listset, "占道经营整治", "--unit", "清水镇", "--limit", "1")
    assert data["query"] == "占道经营整治"
    assert data["total"] == 1
    (first,) = results(data)
    assert first["code"] == "SD-02-001"
    assert first["unit"] == "清水镇"
    assert first["list"] == "属地管理事项清单"
    assert first["file"].endswith("territorial.yaml")  # type: ignore[union-attr]
    assert first["lead"] == "区生态环境局"
    assert first["main"] == "区生态环境局"
    assert first["township_duty"] == "劝阻占道经营并报告。"


def test_text_output_marks_matches_and_shows_control_characters(listset: Path) -> None:
    """An escape sequence in an item name is shown (␛), never sent to the terminal."""
    run = run_qingdan("find", "秸秆", str(listset), "--unit", "清水镇", cwd=listset.parent)
    assert run.code == 0, run.stderr
    assert "\x1b" not in run.stdout
    assert "秸秆␛[31m焚烧" in run.stdout
    assert "牵头部门：区生态环境局" in run.stdout
    coloured = run_qingdan(
        "find", "秸秆", str(listset), "--unit", "清水镇", "--color", "always", cwd=listset.parent
    )
    assert "\x1b[31m焚烧" not in coloured.stdout  # only qingdan's own colours
    assert "␛[31m" in coloured.stdout


def test_markdown_escapes_and_bolds(listset: Path) -> None:
    run = run_qingdan(
        "find", "占道", str(listset), "--unit", "白鹤镇", "-f", "markdown", cwd=listset.parent
    )
    assert run.code == 0, run.stderr
    row = next(line for line in run.stdout.splitlines() if "SD-02-001" in line)
    assert "**占道**经营整治" in row


def test_unknown_unit_is_an_error_with_suggestions(listset: Path) -> None:
    """A mistyped township stops with exit 2 and names the one meant."""
    run = run_qingdan("find", "井盖", str(listset), "--unit", "白河镇", cwd=listset.parent)
    assert run.code == 2
    assert "错误：清单集中没有“白河镇”的清单" in run.stderr
    assert "您是不是要找 白鹤镇" in run.stderr
    bad_kind = run_qingdan("find", "井盖", str(listset), "--kind", "dutty", cwd=listset.parent)
    assert bad_kind.code == 2
    assert "territorial" in bad_kind.stderr


def test_nothing_found_exits_1(listset: Path) -> None:
    run = run_qingdan("find", "低保", str(listset), cwd=listset.parent)
    assert run.code == 1
    assert run.stdout.strip() == "没有找到与“低保”相关的事项。"


def test_warm_cache_follows_an_edited_file(listset: Path, tmp_path: Path) -> None:
    """A second run reads the cached index; editing a list file is seen at once."""
    env = {"QINGDAN_CACHE_DIR": str(tmp_path / "cache")}
    first = run_qingdan("find", "井盖", str(listset), "-f", "json", cwd=tmp_path, env=env)
    assert any((tmp_path / "cache").iterdir())
    again = run_qingdan("find", "井盖", str(listset), "-f", "json", cwd=tmp_path, env=env)
    assert again.stdout == first.stdout
    path = listset / "townships" / "bh" / "territorial.yaml"
    path.write_text(path.read_text("utf-8").replace("井盖破损处置", "窨井盖更换"), "utf-8")
    after = run_qingdan("find", "窨井盖更换", str(listset), "-f", "json", cwd=tmp_path, env=env)
    assert after.code == 0
    assert [r["unit"] for r in json.loads(after.stdout)["results"]] == ["白鹤镇"]


def test_a_list_with_errors_is_named_on_stderr_cold_and_warm(listset: Path, tmp_path: Path) -> None:
    """A list that cannot be read: find still answers from the others with grep's exit codes,
    and says on stderr which list may be missing items; a warm run (from the cached index)
    says the same."""
    from qingdan.search.index import cached
    from qingdan.workspace import Workspace

    broken = listset / "townships" / "broken.yaml"
    broken.write_text("kind: duty\nitems:\n  - code: [\n", "utf-8")
    settle(listset)
    env = {"QINGDAN_CACHE_DIR": str(tmp_path / "cache")}
    warning = (
        "注意：set/townships/broken.yaml 有错误，其中的事项可能不全；请运行 qingdan validate 查看。"
    )
    for _ in range(2):
        run = run_qingdan("find", "井盖", str(listset), cwd=tmp_path, env=env)
        assert run.code == 0
        assert "井盖破损处置" in run.stdout
        assert run.stderr.strip() == warning
    none = run_qingdan("find", "低保", str(listset), cwd=tmp_path, env=env)
    assert none.code == 1
    assert none.stderr.strip() == warning
    workspace = Workspace()
    index, warm = cached(workspace, workspace.open(listset), tmp_path / "core-cache")
    again, warm_again = cached(workspace, workspace.open(listset), tmp_path / "core-cache")
    assert (warm, warm_again) == (False, True)
    assert (
        [Path(f).name for f in again.faulty]
        == ["broken.yaml"]
        == [Path(f).name for f in index.faulty]
    )


def test_clean_lists_give_no_warning(listset: Path) -> None:
    run = run_qingdan("find", "井盖", str(listset), cwd=listset.parent)
    assert run.code == 0
    assert run.stderr == ""


def test_warm_cache_folds_the_texts_as_a_cold_run(listset: Path, tmp_path: Path) -> None:
    """A name written in traditional characters is found by its simplified form as a name
    match from the cached index too, not as a near miss."""
    path = listset / "townships" / "bh" / "territorial.yaml"
    path.write_text(path.read_text("utf-8").replace("占道经营整治", "佔道經營整治"), "utf-8")
    env = {"QINGDAN_CACHE_DIR": str(tmp_path / "cache")}
    runs = [
        run_qingdan("find", "占道经营", str(listset), "-f", "json", cwd=tmp_path, env=env)
        for _ in range(2)
    ]
    assert runs[0].stdout == runs[1].stdout
    found = [(r["unit"], r["match"]) for r in json.loads(runs[1].stdout)["results"]]
    assert ("白鹤镇", "name") in found


@pytest.mark.parametrize("typed", ["测试区生态环境局", "区生态环境局", "区环保局", "生态环境局"])
def test_a_department_by_any_name_finds_the_items_it_answers_for(listset: Path, typed: str) -> None:
    """The registry's full name, short name, an alias, or most of one: the items whose 牵头 or
    主体 department it is, as department matches shown where the item names it."""
    found = results(find_json(listset, typed, "--unit", "清水镇"))
    assert [(r["code"], r["match"]) for r in found] == [
        ("SD-02-001", "department"),
        ("SD-02-002", "department"),
    ]
    assert (found[0]["field"], found[0]["text"], found[0]["text_spans"]) == (
        "牵头部门",
        "区生态环境局",
        [[0, 6]],
    )


def test_names_rank_above_departments_and_a_short_word_is_no_department(
    tmp_path: Path,
) -> None:
    """生态环境 in a name comes first, then the items of 区生态环境局; 环境, a third of its
    name, finds those items by their text, not as the department."""
    root = make_set(tmp_path / "set", name="生态环境巡查")
    found = results(find_json(root, "生态环境", "--unit", "清水镇", "--kind", "territorial"))
    assert [(r["code"], r["match"]) for r in found] == [
        ("SD-01-002", "name"),
        ("SD-02-001", "department"),
        ("SD-02-002", "department"),
    ]
    found = results(find_json(root, "环境", "--unit", "清水镇", "--kind", "territorial"))
    assert [(r["code"], r["match"]) for r in found] == [
        ("SD-01-002", "name"),
        ("SD-02-001", "text"),
        ("SD-02-002", "text"),
    ]
