"""Selectors: dot paths into recipes, with dotted keys and list indexes, and useful errors."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eidos.model.selector import SelectorError, resolve

DOC = {
    "components": {
        "gpu-operator": {"values": {"driver": {"version": "580.105.08"}, "cdi": {"enabled": True}}}
    },
    "deploymentOrder": ["cert-manager", "gpu-operator"],
    "measurements": {"OS": {"sysctl": {"/proc/sys/vm/swappiness": "60"}}},
    "labels": {"nvidia.com/gpu.present": "true", "nvidia.com": "short"},
    "empty": {},
    "count": 3,
}


@pytest.mark.parametrize(
    ("selector", "value"),
    [
        ("components.gpu-operator.values.driver.version", "580.105.08"),
        (".components.gpu-operator.values.cdi.enabled", True),
        ("deploymentOrder.1", "gpu-operator"),
        ("measurements.OS.sysctl./proc/sys/vm/swappiness", "60"),
        ("labels.nvidia.com/gpu.present", "true"),  # the longest key that exists wins
        ("labels.nvidia.com", "short"),
        (".", DOC),
        ("", DOC),
    ],
)
def test_selectors_resolve(selector, value):
    assert resolve(DOC, selector) == value


@pytest.mark.parametrize(
    ("selector", "message", "nearest"),
    [
        ("components.gpu-operator.values.drivr", "no 'drivr' under", ["driver"]),
        ("componets", "no 'componets' under the top level; nearest: components", ["components"]),
        ("deploymentOrder.2", "is a list of 2", ["0", "1"]),
        ("deploymentOrder.first", "select an item by index 0..1", ["0", "1"]),
        ("count.x", "count is a value (3), it has no 'x'", []),
        ("empty.x", "it is empty", []),
    ],
)
def test_unresolvable_selectors_name_the_nearest_keys(selector, message, nearest):
    with pytest.raises(SelectorError, match=message.replace("(", r"\(").replace(")", r"\)")) as e:
        resolve(DOC, selector)
    assert e.value.nearest[: len(nearest)] == nearest


def test_without_a_close_match_the_valid_keys_are_listed():
    with pytest.raises(SelectorError, match="valid keys: components, deploymentOrder") as e:
        resolve(DOC, "zzz")
    assert "components" in e.value.nearest


keys = st.text(alphabet="abcdefgh-_", min_size=1, max_size=6)
trees = st.recursive(
    st.one_of(st.integers(), st.text(max_size=5), st.booleans(), st.none()),
    lambda children: st.dictionaries(keys, children, min_size=1, max_size=4),
    max_leaves=20,
)


def _paths(node, prefix=()):
    if isinstance(node, dict) and node:
        for key, child in node.items():
            yield from _paths(child, (*prefix, key))
    else:
        yield prefix, node


@given(tree=st.dictionaries(keys, trees, min_size=1, max_size=4))
def test_every_leaf_path_resolves_to_its_value(tree):
    for path, value in _paths(tree):
        assert resolve(tree, ".".join(path)) == value
