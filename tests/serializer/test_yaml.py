from __future__ import annotations

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from eidos.errors import InvalidRequestError
from eidos.serializer import dumps, loads
from eidos.serializer.limits import DocumentLimitError
from eidos.serializer.yamlemit import emit_yaml
from eidos.serializer.yamlload import load_yaml

scalars = st.one_of(
    st.booleans(),
    st.integers(min_value=-(2**70), max_value=2**70),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=30),
    st.sampled_from(
        [
            "yes",
            "no",
            "on",
            "Off",
            "~",
            "null",
            "1.0",
            "0x1F",
            "0755",
            "1e5",
            "2026-01-02",
            "10:30",
            "- x",
            "a: b",
            "#c",
            "'q'",
            '"d"',
            " pad ",
            "[1 2]",
            "{a}",
            "*ref",
            "&a",
            "!tag",
            "|",
            ">",
            "%",
            "@",
            "`",
            "=",
            "4\t4\t1\t7",
            "line\nbreak",
            "",
            ".inf",
            "-.5",
            "+1",
            "1_000",
        ]
    ),
)
docs = st.recursive(
    st.dictionaries(st.text(min_size=1, max_size=10), scalars, max_size=5),
    lambda inner: st.one_of(
        st.dictionaries(st.text(min_size=1, max_size=10), inner, max_size=4),
        st.lists(inner, max_size=4),
    ),
    max_leaves=20,
)


def _typed(value):
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    return (type(value).__name__, value)


@given(docs)
def test_emitted_yaml_reads_back_identically_with_both_readers(doc):
    text = emit_yaml(doc)
    assert _typed(load_yaml(text)) == _typed(doc)
    assert _typed(yaml.safe_load(text)) == _typed(doc)  # PyYAML's YAML 1.1 reader agrees


@given(scalars)
def test_every_scalar_keeps_its_type(value):
    assert _typed(load_yaml(emit_yaml({"k": value}))) == {"k": _typed(value)}


def test_layout_is_block_style_with_indented_sequences():
    text = emit_yaml(
        {"measurements": [{"type": "OS", "subtypes": [{"subtype": "grub", "data": {"a": "1"}}]}]}
    )
    assert text == (
        "measurements:\n  - type: OS\n    subtypes:\n      - subtype: grub\n"
        '        data:\n          a: "1"\n'
    )


def test_yaml_1_2_booleans_only():
    assert load_yaml("a: yes\nb: on\nc: true\nd: 2026-01-02\n") == {
        "a": "yes",
        "b": "on",
        "c": True,
        "d": "2026-01-02",
    }


def test_alias_bomb_is_refused():
    bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 9):
        prev = chr(ord("a") + i - 1)
        cur = chr(ord("a") + i)
        refs = ", ".join([f"*{prev}"] * 10)
        bomb += f"{cur}: &{cur} [{refs}]\n"
    with pytest.raises(DocumentLimitError, match="alias"):
        load_yaml(bomb)
    with pytest.raises(InvalidRequestError, match="alias"):
        loads(bomb, origin="bomb.yaml")


def test_small_aliases_are_fine():
    assert load_yaml("a: &x {k: 1}\nb: *x\n") == {"a": {"k": 1}, "b": {"k": 1}}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "empty"),
        ("a: [1, 2\n", "invalid YAML"),
        ('{"a": 1,,}', "invalid"),
        ("a: 1\n---\nb: 2\n", "invalid YAML"),
        ("!!python/object:os.system x\n", "invalid YAML"),
    ],
)
def test_bad_documents_are_clear_errors(text, message):
    with pytest.raises(InvalidRequestError, match=message):
        loads(text, origin="doc")


def test_format_is_detected_from_content_not_name():
    assert loads('{"kind": "Snapshot"}', origin="x.yaml") == {"kind": "Snapshot"}
    assert loads("kind: Snapshot\n", origin="x.json") == {"kind": "Snapshot"}


def test_json_and_table_dumps():
    doc = {
        "kind": "Snapshot",
        "measurements": [
            {
                "type": "OS",
                "subtypes": [
                    {"subtype": "grub", "data": {"ro": "", "hugepages": "5128", "x": True}}
                ],
            }
        ],
    }
    assert dumps(doc, "json").endswith("}\n")
    table = dumps(doc, "table")
    assert "TYPE  SUBTYPE  KEY" in table
    assert "OS    grub     hugepages  5128" in table
    empty = dumps({"kind": "Snapshot", "measurements": [{"type": "GPU", "subtypes": []}]}, "table")
    assert "GPU   (none)" in empty
