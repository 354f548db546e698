"""The resolve writer: what it writes reads back as the same data in both readers, laid out as
people write list files."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
import yaml_rs
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qingdan.yamlwrite import dump

WORDS = ["y", "n", "yes", "no", "on", "off", "true", "false", "null", "inf", "infinity", "nan"]
TRICKY = [
    *"-?:,[]{}#&*!|>'\"%@`~=.+ \t\n\r\\",
    *("\x00", "\x07", "\x1b", "\x7f", "\x85", "\xa0", "\xad", "\u061c", "\u200b", "\u200e"),
    *("\u2028", "\u2029", "\u202e", "\u2066", "\u3000", "\ufeff", "\ufffe", "\U0001f600"),
    *("08386212345", "0838-6235026", "0o17", "0x1F", "0b101", "1e3", "1.", ".5", "+1", "-2"),
    *(
        "1_000",
        "2024-01-01",
        "2001-12-14 21:59:43.10 -5",
        "9:00",
        "190:20:30",
        ".inf",
        "-.Inf",
        "_1",
    ),
    *(".NaN", "<<", "---", "...", ": ", " #", "- ", "? ", "\n\n", " \n", "\n ", "|", "|-"),
    *("党建工作", "（一）", "：", "，", "ZR-01-001", "《条例》第三条", "〔2024〕1号", "办公时间"),
]


@st.composite
def _cased_word(draw: st.DrawFn) -> str:
    word = draw(st.sampled_from(WORDS))
    upper = draw(st.lists(st.booleans(), min_size=len(word), max_size=len(word)))
    return "".join(c.upper() if u else c for c, u in zip(word, upper, strict=True))


TEXT = st.one_of(
    st.sampled_from(TRICKY),
    _cased_word(),
    st.lists(
        st.one_of(st.sampled_from(TRICKY), _cased_word(), st.text(max_size=4)), max_size=6
    ).map("".join),
    st.text(),
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**63 - 1),
    st.floats(allow_nan=False),
    TEXT,
)
DATA = st.recursive(
    SCALARS,
    lambda children: st.lists(children, max_size=4) | st.dictionaries(TEXT, children, max_size=4),
    max_leaves=12,
)


def shape(value: Any) -> Any:
    """Value with types and key order made part of equality (True == 1 and {a, b} == {b, a})."""
    if isinstance(value, dict):
        return ("dict", [(shape(k), shape(v)) for k, v in value.items()])
    if isinstance(value, list):
        return ("list", [shape(v) for v in value])
    return (type(value).__name__, value)


def read_back(text: str) -> tuple[Any, Any]:
    """The data PyYAML with libyaml and yaml-rs read.

    yaml-rs is asked not to parse dates: with ``parse_datetime=True`` it types even quoted
    ``"2024-01-01"``, which no writer can prevent; qingdan.fastyaml then finds a date in its
    data and leaves the file to PyYAML."""
    return (
        yaml.load(text, Loader=yaml.CSafeLoader),
        yaml_rs.loads(text, parse_datetime=False),
    )


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(TEXT, DATA, max_size=4))
def test_any_list_file_data_reads_back_the_same_in_both_readers(data: dict[str, Any]) -> None:
    text = dump(data)
    by_libyaml, by_yaml_rs = read_back(text)
    assert shape(by_libyaml) == shape(data), text
    assert shape(by_yaml_rs) == shape(data), text


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_any_text_reads_back_as_key_and_value_in_a_sequence(text: str) -> None:
    data = {text: [text, {text: text}, [text]]}
    by_libyaml, by_yaml_rs = read_back(dump(data))
    assert shape(by_libyaml) == shape(by_yaml_rs) == shape(data), dump(data)


def test_an_item_is_written_as_people_write_list_files() -> None:
    item = {
        "code": "ZR-01-001",
        "name": "党员发展和教育管理工作",
        "tasks": ["制定年度发展党员计划", "做好入党积极分子培养、考察工作"],
        "basis": [{"title": "《中国共产党发展党员工作细则》", "article": "第三条"}],
        "phone": "0838-6235026",
        "dates": {"2024-01-01": "9:00", "yes": "NO", "<<": "~"},
        "note": "第一行\n第二行\n",
        "empty": [],
        "extra": {},
        "count": 3,
        "rate": 1e16,
        "lead": None,
        "public": True,
    }
    assert dump({"kind": "duty", "items": [item]}) == (
        "kind: duty\n"
        "items:\n"
        "  - code: ZR-01-001\n"
        "    name: 党员发展和教育管理工作\n"
        "    tasks:\n"
        "      - 制定年度发展党员计划\n"
        "      - 做好入党积极分子培养、考察工作\n"
        "    basis:\n"
        "      - title: 《中国共产党发展党员工作细则》\n"
        "        article: 第三条\n"
        '    phone: "0838-6235026"\n'
        "    dates:\n"
        '      "2024-01-01": "9:00"\n'
        '      "yes": "NO"\n'
        '      "<<": "~"\n'
        "    note: |\n"
        "      第一行\n"
        "      第二行\n"
        "    empty: []\n"
        "    extra: {}\n"
        "    count: 3\n"
        "    rate: 1.0e+16\n"
        "    lead: null\n"
        "    public: true\n"
    )


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("  前后有空格 ", '"  前后有空格 "'),
        ("a: b", '"a: b"'),
        ("说明 #1", '"说明 #1"'),
        ("#1", '"#1"'),
        ("- 一", '"- 一"'),
        ("", '""'),
        ('引号"和\\反斜杠', '引号"和\\反斜杠'),
        ("'单引号", '"\'单引号"'),
        ("制表\t符", '"制表\\t符"'),
        ("换行\r\n", '"换行\\r\\n"'),
        ("\u202e反向", '"\\u202e反向"'),
        ("\ufeff开头", '"\\ufeff开头"'),
        ("分隔\u2028符", '"分隔\\u2028符"'),
        (" 首行空格\n第二行", '" 首行空格\\n第二行"'),
        ("行尾空格 \n第二行", '"行尾空格 \\n第二行"'),
        ("空行后\n\n", "|+\n  空行后\n"),
        ("无换行结尾\n\n第三行", "|-\n  无换行结尾\n\n  第三行"),
        ("办公时间：9:00—17:00", "办公时间：9:00—17:00"),
        ("ZR-01-001", "ZR-01-001"),
        ("2024年版", "2024年版"),
    ],
)
def test_text_is_plain_quoted_or_a_literal_block_as_needed(text: str, written: str) -> None:
    assert dump({"k": text}) == f"k: {written}\n"
    assert read_back(dump({"k": text})) == ({"k": text}, {"k": text})


def test_a_very_long_key_uses_the_explicit_form_both_readers_take() -> None:
    key = "很长的键" * 100
    text = dump({key: {"a": 1}, "b": 2})
    assert text.startswith(f"? {key}\n:\n  a: 1\n")
    assert read_back(text) == ({key: {"a": 1}, "b": 2},) * 2


def test_a_repeated_value_is_written_out_again_without_anchors() -> None:
    shared = {"base": "旧值"}
    assert dump({"a": shared, "b": shared}) == "a:\n  base: 旧值\nb:\n  base: 旧值\n"


@pytest.mark.parametrize("value", [(1, 2), {1: "a"}, b"bytes", {"a": object()}])
def test_anything_but_list_file_data_is_a_type_error(value: Any) -> None:
    with pytest.raises(TypeError):
        dump({"k": value})
