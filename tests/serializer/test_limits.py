"""Hostile documents: nesting, alias amplification and duplicate keys, in JSON and YAML."""

from __future__ import annotations

import json
import time

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eidos.errors import InvalidRequestError
from eidos.serializer import dumps, loads
from eidos.serializer.jsonload import JsonLoadError, load_json
from eidos.serializer.limits import MAX_DEPTH, DocumentLimitError
from eidos.serializer.yamlload import YamlLoadError, load_yaml

NESTING = f"nested deeper than {MAX_DEPTH} levels (the nesting limit)"


def json_nested(levels: int) -> str:
    return '{"a":' * levels + "1" + "}" * levels


def yaml_block_nested(levels: int) -> str:
    return "".join("  " * i + "a:\n" for i in range(levels)) + "  " * levels + "b: 1\n"


def yaml_flow_nested(levels: int) -> str:
    return "x: " + "[" * levels + "]" * levels + "\n"


def yaml_alias_nested(levels: int) -> str:
    # the alias makes the loader take its expansion-measuring path
    return "p: &p 1\nq: *p\nx: " + "[" * levels + "]" * levels + "\n"


MAKERS = [json_nested, yaml_block_nested, yaml_flow_nested, yaml_alias_nested]


@pytest.mark.parametrize(
    ("make", "levels"),
    [(make, levels) for make in MAKERS for levels in (MAX_DEPTH + 1, 960, 2_000)]
    + [(make, 1_000_000) for make in (json_nested, yaml_flow_nested, yaml_alias_nested)],
)
def test_documents_nested_past_the_limit_are_one_clear_error(make, levels):
    with pytest.raises(InvalidRequestError) as info:
        loads(make(levels - (make is not json_nested)), origin="deep.doc")
    assert info.value.message == f"deep.doc: document refused: {NESTING}"


@pytest.mark.parametrize("make", MAKERS)
def test_documents_right_at_the_nesting_limit_load(make):
    levels = MAX_DEPTH - (make is not json_nested)
    assert loads(make(levels), origin="deep.doc") is not None


def test_shared_anchors_count_at_their_deepest_use():
    inner = "[" * 60 + "]" * 60
    assert load_yaml(f"a: &a {inner}\nb: *a\n")["b"] is not None
    with pytest.raises(DocumentLimitError, match="nesting limit"):
        load_yaml(f"a: &a {inner}\nb: {'[' * 45}*a{']' * 45}\n")


def test_alias_amplification_is_refused_on_expanded_bytes_quickly():
    # 165 KB of text, 20,000 aliases of one 100 KB anchor: ~2 GB once expanded
    anchor = "x" * 100_000
    text = f"anchor: &big {anchor}\nrules:\n" + "".join("- *big\n" for _ in range(20_000))
    assert len(text) < 300_000
    started = time.monotonic()
    with pytest.raises(
        InvalidRequestError, match=r"larger than 16 MiB .* once aliases are expanded"
    ):
        loads(text, origin="recipe.yaml")
    assert time.monotonic() - started < 5  # a hang budget, not a benchmark


def test_aliases_within_the_budget_still_load():
    anchor = "x" * 1_000
    text = f"anchor: &big {anchor}\nrules:\n" + "".join("- *big\n" for _ in range(1_000))
    assert len(load_yaml(text)["rules"]) == 1_000


def test_a_self_referencing_anchor_is_refused():
    with pytest.raises(DocumentLimitError, match="refers to itself"):
        load_yaml("a: &a [1, *a]\n")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "kind: Recipe\nmetadata: {}\nkind: Snapshot\n",
            "line 3, column 1: duplicate key 'kind' (first on line 1)",
        ),
        ("a:\n  b: 1\n  c: 2\n  b: 3\n", "line 4, column 3: duplicate key 'b' (first on line 2)"),
        ("x: {k: 1, k: 2}\n", "line 1, column 11: duplicate key 'k' (first on line 1)"),
        ("true: a\nTrue: b\n", "line 2, column 1: duplicate key 'True' (first on line 1)"),
        ("a: 1\n'a': 2\n", "line 2, column 1: duplicate key 'a' (first on line 1)"),
    ],
)
def test_duplicate_yaml_keys_are_refused_with_their_line(text, message):
    with pytest.raises(YamlLoadError) as info:
        load_yaml(text)
    assert str(info.value) == message
    with pytest.raises(InvalidRequestError, match="invalid YAML: line"):
        loads(text, origin="r.yaml")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            '{"kind": "Recipe",\n "metadata": {},\n "kind": "Snapshot"}',
            "line 3, column 2: duplicate key 'kind' (first on line 1)",
        ),
        (
            '{"a": [1, {"b": "}", "c": "{"}],\n "k": 1, "\\u006b": 2}',
            "line 2, column 10: duplicate key 'k' (first on line 2)",
        ),
        ('[{"a": 1}, {"a": 2, "x": {"y": 1, "y": 2}}]', "duplicate key 'y'"),
    ],
)
def test_duplicate_json_keys_are_refused_with_their_line(text, message):
    with pytest.raises(JsonLoadError) as info:
        load_json(text)
    assert message in str(info.value)
    with pytest.raises(InvalidRequestError, match=r"invalid JSON: .*duplicate key"):
        loads(text, origin="r.json")


def test_equal_keys_in_different_mappings_are_fine():
    assert loads('{"a": {"k": 1}, "b": {"k": 2}, "k": 3}') == {"a": {"k": 1}, "b": {"k": 2}, "k": 3}
    assert loads("a: {k: 1}\nb: {k: 2}\nk: 3\n") == {"a": {"k": 1}, "b": {"k": 2}, "k": 3}
    assert loads("1: a\n'1': b\n") == {1: "a", "1": "b"}


def test_a_merge_key_may_be_overridden_by_the_mappings_own_key():
    text = "base: &b {x: 1, y: 2}\nmine:\n  <<: *b\n  x: 3\nalso: *b\n"
    assert load_yaml(text) == {
        "base": {"x": 1, "y": 2},
        "mine": {"x": 3, "y": 2},
        "also": {"x": 1, "y": 2},
    }


keys = st.text(min_size=1, max_size=6)
trees = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=8),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(keys, inner, max_size=4),
    max_leaves=20,
)


@given(trees)
def test_any_json_or_yaml_tree_without_duplicates_round_trips(tree):
    assert load_json(json.dumps(tree, indent=1)) == tree
    assert load_yaml(dumps(tree, "yaml")) == tree


@given(st.dictionaries(keys, trees, min_size=1, max_size=4), st.data())
def test_a_repeated_key_is_found_on_its_own_line(doc, data):
    key = data.draw(st.sampled_from(sorted(doc)))
    lines = json.dumps(doc, indent=1).splitlines()
    lines.insert(1, f" {json.dumps(key)}: 0,")  # the same key again, as the first member
    with pytest.raises(JsonLoadError) as info:
        load_json("\n".join(lines))
    members = [i for i, line in enumerate(lines, 1) if line.startswith(f" {json.dumps(key)}:")]
    assert str(info.value) == (
        f"line {members[1]}, column 2: duplicate key {key!r} (first on line {members[0]})"
    )
