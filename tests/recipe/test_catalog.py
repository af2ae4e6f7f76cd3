"""known_criteria: the values the data's overlay keys name, per criterion, in a stable order."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from eidos.model.query import ENUM_FIELDS, FIELDS, Query
from eidos.recipe import RecipeStore
from eidos.recipe.catalog import known_criteria
from eidos.recipe.store import Overlay


def _store(keys: list[dict]) -> RecipeStore:
    overlays = [Overlay(Query.from_dict(k, rule=True), [], i) for i, k in enumerate(keys)]
    return RecipeStore([], overlays, "test")


def test_the_embedded_data_names_every_enum_value_and_its_versions():
    known = known_criteria(RecipeStore.load())
    assert list(known) == list(FIELDS)
    for field, (values, _) in ENUM_FIELDS.items():
        assert set(known[field]) <= set(values)
        assert known[field] == [v for v in values if v in known[field]]  # accepted order
    store = RecipeStore.load()
    for field in ("osv", "kernel", "k8s"):
        named = {o.key.fields()[field].text for o in store.overlays if o.key.fields()[field]}
        assert set(known[field]) == named


def test_versions_ascend_and_node_ranges_follow_counts():
    keys = [
        {"k8s": "1.33"},
        {"k8s": "1.4"},
        {"k8s": "1.32"},
        {"k8s": "1.33"},
        {"nodes": ">= 2"},
        {"nodes": "16"},
        {"nodes": "2"},
        {"gpu": "l40s"},
        {"gpu": "h100"},
    ]
    known = known_criteria(_store(keys))
    assert known["k8s"] == ["1.4", "1.32", "1.33"]
    assert known["nodes"] == ["2", "16", ">= 2"]
    assert known["gpu"] == ["h100", "l40s"]
    assert known["os"] == []


_keys = st.lists(
    st.fixed_dictionaries(
        {},
        optional={
            "gpu": st.sampled_from(ENUM_FIELDS["gpu"][0]),
            "service": st.sampled_from(ENUM_FIELDS["service"][0]),
            "osv": st.from_regex(r"[1-9][0-9]?(\.[0-9]{1,2}){0,2}", fullmatch=True),
            "nodes": st.integers(1, 100_000).map(str),
        },
    ),
    max_size=12,
)


@settings(max_examples=60, deadline=None)
@given(_keys)
def test_every_value_a_key_names_is_listed_once(keys):
    known = known_criteria(_store(keys))
    for field in FIELDS:
        named = {Query.from_dict(k, rule=True).to_dict().get(field) for k in keys} - {None}
        assert sorted(known[field]) == sorted(str(v) for v in named)
        assert len(set(known[field])) == len(known[field])
