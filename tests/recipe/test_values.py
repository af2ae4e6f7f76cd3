"""Values merging: the documented rule, provenance, and its algebra (property tests)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from eidos.recipe.compose import copy_values, leaf_paths, merge_values, set_path


def test_mappings_merge_and_everything_else_replaces():
    base = {"a": {"x": 1, "y": [1, 2]}, "b": 1, "c": {"k": "v"}}
    merge_values(base, {"a": {"y": [3], "z": None}, "b": {"new": True}, "c": {}})
    assert base == {"a": {"x": 1, "y": [3], "z": None}, "b": {"new": True}, "c": {"k": "v"}}


def test_context_records_which_source_set_each_leaf():
    values: dict = {}
    context: dict[str, str] = {}
    merge_values(values, {"a": {"x": 1, "y": 2}, "b": [1]}, source="registry", context=context)
    merge_values(values, {"a": {"y": 3}, "b": {"c": 1}}, source="overlay eks", context=context)
    merge_values(values, {"a": 7}, source="overlay h100", context=context)
    assert values == {"a": 7, "b": {"c": 1}}
    assert context == {"a": "overlay h100", "b.c": "overlay eks"}


def test_set_path_creates_mappings_on_the_way():
    values = {"a": 1}
    set_path(values, "a.b.c", 5)
    set_path(values, "x.y", "z")
    assert values == {"a": {"b": {"c": 5}}, "x": {"y": "z"}}


def test_copies_are_independent():
    original = {"a": [{"b": 1}]}
    copy = copy_values(original)
    copy["a"][0]["b"] = 2
    assert original == {"a": [{"b": 1}]}


scalars = st.one_of(st.integers(), st.text(max_size=3), st.booleans())
leaves = st.one_of(scalars, st.lists(scalars, max_size=2))


def _mappings(depth: int):
    """Helm-like values: a key is always a mapping (m*) or never one (s*), at every level."""
    children = {"s1": leaves, "s2": leaves}
    if depth:
        children.update(m1=_mappings(depth - 1), m2=_mappings(depth - 1))
    return st.fixed_dictionaries({}, optional=children)


documents = _mappings(3)


def merged(*docs: dict) -> dict:
    out: dict = {}
    for doc in docs:
        merge_values(out, copy_values(doc))
    return out


@given(a=documents, b=documents, c=documents)
def test_merging_is_associative_over_overlay_order(a, b, c):
    """base <- (o1 <- o2) equals (base <- o1) <- o2, so overlays may be grouped freely.

    (It holds while a key keeps its kind - always a mapping or never - as Helm values do;
    a ``null`` or a mapping replacing a scalar is order-sensitive by nature.)
    """
    assert merged(merged(a, b), c) == merged(a, merged(b, c))


@given(a=documents, b=documents)
def test_every_leaf_of_the_overlay_wins(a, b):
    result = merged(a, b)
    for path in leaf_paths(b):
        node_b, node_r = b, result
        for part in path.split("."):
            node_b, node_r = node_b[part], node_r[part]
        if node_b != {}:
            assert node_r == node_b


anything = st.recursive(
    st.one_of(scalars, st.none()),
    lambda children: st.one_of(
        st.lists(children, max_size=2), st.dictionaries(st.sampled_from("abc"), children)
    ),
    max_leaves=10,
)


@given(docs=st.lists(st.dictionaries(st.sampled_from("abc"), anything), min_size=1, max_size=4))
def test_context_names_every_leaf_of_the_result_and_nothing_else(docs):
    result: dict = {}
    context: dict[str, str] = {}
    for i, doc in enumerate(docs):
        merge_values(result, copy_values(doc), source=f"overlay {i}", context=context)
    assert set(context) == set(leaf_paths(result))
