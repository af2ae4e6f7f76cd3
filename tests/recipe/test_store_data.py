"""Recipe data that is wrong is exit 5 naming the file and the entry; data without a base
extends the embedded data, data with one replaces it (the reference loads unchanged)."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from eidos.errors import RecipeError
from eidos.model import Query
from eidos.recipe import RecipeBuilder, RecipeStore

K8S_IMAGE = {"type": "K8s", "subtypes": [{"subtype": "image", "data": {"x": "v1"}}]}
COMPONENT = {
    "name": "site-agent",
    "description": "A site-local agent every GPU node of this site runs",
    "chart": {
        "repository": "oci://registry.example.com/charts",
        "name": "agent",
        "version": "1.2.3",
    },
    "namespace": "site",
}


def _write(tmp_path: Path, name: str, doc: object) -> str:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(doc, sort_keys=False))
    return str(path)


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        (
            {"overlays": [{"key": {"gpu": "h100"}}, {"key": {"gpu": "H100"}}]},
            r"overlays\[1\]: same key as overlays\[0\] \(gpu=h100\)",
        ),
        ({"base": [K8S_IMAGE, K8S_IMAGE]}, r"base\[1\]: type K8s is already base\[0\]"),
        (
            {
                "base": [
                    {
                        "type": "K8s",
                        "subtypes": [{"subtype": "image", "data": {}}, {"subtype": "image"}],
                    }
                ]
            },
            r"base\[0\] \(K8s\): subtype 'image' appears twice",
        ),
        (
            {
                "overlays": [
                    {"key": {"gpu": "h100"}, "types": [{"type": "Network", "subtypes": []}]}
                ]
            },
            r"overlays\[0\].types\[0\]: unknown measurement type 'Network'; known types: SystemD",
        ),
        (
            {"base": [{"type": "K8s", "subtypes": [{"subtype": "image", "data": {1: "x"}}]}]},
            "key 1 is a int",
        ),
        ({"overlays": [{"key": {True: "x"}}]}, "key True is a bool"),
        ({"overlays": [{"key": {None: "x"}}]}, "key None is a NoneType"),
        ({"base": [], "extras": 1}, "unknown top-level field"),
        (
            {"overlays": [{"key": {"gpu": "h100"}, "componentRefs": [{"name": "nope"}]}]},
            "overlay gpu=h100: unknown component 'nope'",
        ),
        (
            {"components": [COMPONENT, COMPONENT]},
            r"components\[1\]: component 'site-agent' is defined twice",
        ),
        (
            {
                "overlays": [
                    {"key": {"gpu": "h100"}, "constraints": [{"check": "K8s.x", "reason": "r"}]}
                ]
            },
            "invalid path 'K8s.x'",
        ),
        (
            {
                "overlays": [
                    {
                        "key": {"gpu": "h100"},
                        "constraints": [
                            {"check": "K8s.server.version >= 1.30", "reason": "r"},
                            {"check": "K8s.server.version < 1.35", "reason": "r"},
                        ],
                    }
                ]
            },
            "a second constraint on K8s.server.version; write a range in one check",
        ),
    ],
)
def test_bad_data_names_the_file_and_the_entry(tmp_path, doc, message):
    path = _write(tmp_path, "site.yaml", doc)
    with pytest.raises(RecipeError, match=message) as info:
        RecipeStore.load(path)
    assert path in info.value.message and info.value.exit_code == 5


def _component(name: str, *deps: str, **extra: object) -> dict:
    return {**COMPONENT, "name": name, "dependencies": list(deps), **extra}


@pytest.mark.parametrize(
    ("components", "message"),
    [
        (
            [_component("a", "b"), _component("b", "c"), _component("c", "a")],
            "dependency cycle: a -> b -> c -> a",
        ),
        ([_component("a", "ghost")], "component a depends on ghost: unknown component 'ghost'"),
        (
            [_component("a", values={"x": {"y": 1}}, valuesFrom={"x": "K8s/image/x"})],
            "values.x.y: x comes from a measurement",
        ),
        (
            [_component("a", chart={"repository": "ftp://x", "name": "a", "version": "1"})],
            "https://",
        ),
        ([_component("Bad_Name")], "component name 'Bad_Name' must be lower-case"),
    ],
)
def test_registry_mistakes_are_exit_5_naming_the_chain(tmp_path, components, message):
    path = _write(tmp_path, "site.yaml", {"components": components})
    with pytest.raises(RecipeError, match=message):
        RecipeStore.load(path)


def test_a_version_given_where_a_measurement_decides_is_refused(tmp_path):
    doc = {
        "overlays": [
            {"key": {"gpu": "h100"}, "componentRefs": [{"name": "gpu-operator", "version": "v1"}]}
        ]
    }
    with pytest.raises(RecipeError, match="takes its version from K8s/image/gpu-operator"):
        RecipeStore.load(_write(tmp_path, "site.yaml", doc))
    doc = {
        "overlays": [
            {
                "key": {"gpu": "h100"},
                "componentRefs": [{"name": "gpu-operator", "values": {"driver": {"version": "1"}}}],
            }
        ]
    }
    with pytest.raises(RecipeError, match=r"driver\.version comes from K8s/image/driver"):
        RecipeStore.load(_write(tmp_path, "site.yaml", doc))


def test_the_same_entry_in_two_files_of_a_directory_names_both(tmp_path):
    _write(tmp_path, "a.yaml", {"overlays": [{"key": {"gpu": "a100"}}]})
    _write(tmp_path, "b.yaml", {"overlays": [{"key": {"gpu": "A100"}}]})
    with pytest.raises(
        RecipeError, match=r"overlay key gpu=a100 is given in both .*a.yaml and .*b.yaml"
    ):
        RecipeStore.load(str(tmp_path))
    (tmp_path / "b.yaml").unlink()
    _write(tmp_path, "c.yaml", {"components": [COMPONENT]})
    _write(tmp_path, "d.yaml", {"components": [COMPONENT]})
    with pytest.raises(RecipeError, match="component 'site-agent' is given in both"):
        RecipeStore.load(str(tmp_path))


def test_data_without_a_base_extends_the_embedded_data(tmp_path):
    site = {
        "components": [_component("site-agent", "gpu-operator", values={"level": "debug"})],
        "overlays": [
            {
                "key": {"service": "eks"},
                "componentRefs": [{"name": "site-agent"}, {"name": "node-feature-discovery"}],
            }
        ],
    }
    store = RecipeStore.load(_write(tmp_path, "site.yaml", site))
    embedded = RecipeStore.load()
    assert len(store.overlays) == len(embedded.overlays) + 1
    assert set(store.components) == {*embedded.components, "site-agent"}
    recipe = RecipeBuilder(store).build(Query.build(service="eks", gpu="h100"))
    order = recipe.deployment_order
    assert order.index("gpu-operator") < order.index("site-agent")
    assert recipe.component("site-agent").values == {"level": "debug"}  # type: ignore[union-attr]
    nfd = recipe.component("node-feature-discovery")
    assert nfd is not None and nfd.chart is not None and nfd.chart.version == "v0.18.2"
    # both eks overlays matched: the embedded one, then the site's (same key, after it)
    eks = "OS: any any, Kernel: any, Service: eks, K8s: any, GPU: any, Intent: any, Context: false"
    assert recipe.matched_rules.count(eks) == 2


def test_a_site_component_may_not_replace_an_embedded_one(tmp_path):
    path = _write(tmp_path, "site.yaml", {"components": [_component("gpu-operator")]})
    with pytest.raises(RecipeError, match="component 'gpu-operator' is given in both embedded"):
        RecipeStore.load(path)


def test_data_with_a_base_replaces_the_embedded_data(reference):
    store = RecipeStore.load(str(reference / "recipe-data-v1.yaml"))
    assert len(store.components) == 0 and len(store.overlays) == 3
    recipe = RecipeBuilder(store).build(Query.build(service="eks", gpu="h100"))
    assert recipe.component_refs == [] and recipe.constraints == []
    assert "componentRefs" not in recipe.to_dict() and "constraints" not in recipe.to_dict()
