"""The reader of eidos's own YAML agrees with PyYAML (load_yaml) or declines."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from test_yaml import docs, scalars

from eidos.serializer import dumps, loads
from eidos.serializer.limits import MAX_DEPTH
from eidos.serializer.yamlemit import emit_yaml
from eidos.serializer.yamlfast import DECLINED, load_emitted
from eidos.serializer.yamlload import load_yaml

FIXTURES = Path(__file__).parents[1] / "fixtures"


def _typed(value):
    if isinstance(value, dict):
        return {k: _typed(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_typed(v) for v in value]
    if isinstance(value, float) and math.isnan(value):
        return ("nan",)
    return (type(value).__name__, value)


nested = st.recursive(
    scalars | st.just({}) | st.just([]),
    lambda inner: st.one_of(
        st.dictionaries(st.text(min_size=1, max_size=10), inner, max_size=4),
        st.lists(inner, max_size=4),
    ),
    max_leaves=25,
)


@settings(max_examples=400, deadline=None)
@given(nested | docs)
@example(": ")  # a quoted scalar holding ": " alone on its line was declined (found by this test)
@example("a: ")
@example({"a: b": "c: d"})
def test_emitted_documents_read_back_exactly_and_as_load_yaml_reads_them(doc):
    text = emit_yaml(doc)
    fast = load_emitted(text)
    if text.replace("\n", " ").isprintable():  # raw non-printables: load_yaml decides
        assert fast is not DECLINED, text
    if fast is not DECLINED:
        assert _typed(fast) == _typed(load_yaml(text)) == _typed(doc)


@settings(max_examples=400, deadline=None)
@given(nested, st.data())
def test_edited_texts_are_declined_or_read_as_load_yaml_reads_them(doc, data):
    text = emit_yaml(doc)
    if len(text) > 1:
        at = data.draw(st.integers(0, len(text) - 1))
        edit = data.draw(
            st.sampled_from(["#", " ", "\t", "- ", ": ", "'", '"', "\n", "&a ", "*a", "{", "\\"])
        )
        text = text[:at] + edit + text[at + data.draw(st.integers(0, 2)) :]
    fast = load_emitted(text)
    if fast is DECLINED:
        return
    try:
        slow = load_yaml(text)
    except Exception as exc:  # the fast reader accepted what PyYAML refuses
        raise AssertionError(f"accepted {text!r}, load_yaml: {exc}") from None
    assert _typed(fast) == _typed(slow), text


@pytest.mark.parametrize(
    "text",
    [
        "a: 1\n# comment\n",
        "a: 1 # comment\n",
        "a: &x 1\nb: *x\n",
        "a: {b: 1}\n",
        "a: |\n  text\n",
        "a: yes\n",
        "a: 0x1F\n",
        "a: 1\na: 2\n",
        "a:\n- 1\n",
        "a:\n    b: 1\n",
        "a: 1\r\n",
        "a:\tb\n",
        "---\na: 1\n",
        "a: 1",
        '"a\\z": 1\n',
        "a: b: c\n",
    ],
)
def test_anything_else_is_declined(text):
    assert load_emitted(text) is DECLINED


def test_deep_nesting_is_left_to_load_yaml():
    doc: object = 1
    for _ in range(MAX_DEPTH + 5):
        doc = {"k": doc}
    assert load_emitted(emit_yaml(doc)) is DECLINED


@pytest.mark.parametrize("fmt", ["yaml"])
def test_recipes_eidos_writes_are_read_without_pyyaml_and_equal(fmt):
    raw = load_yaml((FIXTURES / "reference/recipes/h100-eks-ubuntu-training.yaml").read_text())
    text = dumps(raw, fmt)
    assert load_emitted(text) == raw == loads(text)
