from __future__ import annotations

import json

import pytest
import yaml

from eidos.model import DocumentError, Query, Recipe, Snapshot
from eidos.serializer import dumps, loads


def _typed(doc):
    """Every reading with its Python type, so 1 == True or 8 == 8.0 cannot hide a change."""
    out = []
    for m in doc["measurements"]:
        for s in m["subtypes"]:
            for k, v in s["data"].items():
                out.append((m["type"], s["subtype"], k, type(v).__name__, v))
    return out


def test_reference_h100_snapshot_loads_without_loss(reference):
    raw = yaml.safe_load((reference / "snapshots/h100.yaml").read_text())
    snap = Snapshot.from_dict(raw)
    assert [m.type for m in snap.measurements] == ["SystemD", "OS", "K8s", "GPU"]
    assert snap.metadata["source-node"] == "ip-10-0-158-18.ec2.internal"
    systemd = snap.measurement("SystemD")
    assert systemd is not None
    data = systemd.subtype("containerd.service").data  # type: ignore[union-attr]
    assert data["LimitNOFILE"] == 18446744073709551615 and type(data["LimitNOFILE"]) is int
    assert data["CPUSchedulingPolicy"] == "0"
    assert data["Delegate"] is True
    gpu = snap.measurement("GPU").subtype("smi").data  # type: ignore[union-attr]
    assert gpu["gpu-count"] == 8 and type(gpu["gpu-count"]) is int


@pytest.mark.parametrize("first", ["json", "yaml"])
def test_snapshot_yaml_json_yaml_round_trip_keeps_every_type(reference, first):
    raw = yaml.safe_load((reference / "snapshots/h100.yaml").read_text())
    original = Snapshot.from_dict(raw).to_dict()
    second = "yaml" if first == "json" else "json"
    once = loads(dumps(original, first))
    twice = loads(dumps(Snapshot.from_dict(once).to_dict(), second))
    assert _typed(twice) == _typed(original)
    assert Snapshot.from_dict(twice) == Snapshot.from_dict(raw)


def test_json_output_keeps_uint64_as_integer(reference):
    raw = yaml.safe_load((reference / "snapshots/h100.yaml").read_text())
    text = dumps(Snapshot.from_dict(raw).to_dict(), "json")
    assert '"LimitNOFILE": 18446744073709551615' in text
    assert json.loads(text)["measurements"][0]["subtypes"][0]["data"]["LimitNOFILE"] == 2**64 - 1


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"kind": "Recipe", "measurements": []}, "not a Snapshot document: kind 'Recipe'"),
        ({"measurements": []}, "no 'kind' field"),
        (["a"], "expected a mapping"),
        ({"kind": "Snapshot", "measurements": {"a": 1}}, "measurements: expected a list"),
        (
            {
                "kind": "Snapshot",
                "measurements": [
                    {"type": "OS", "subtypes": [{"subtype": "x", "data": {"k": [1, 2]}}]}
                ],
            },
            r"measurements\[0\] \(OS\)\.subtypes\[0\] \(x\)\.data\.k",
        ),
        ({"kind": "Snapshot", "measurements": [{"subtypes": []}]}, "'type' must be"),
    ],
)
def test_malformed_snapshots_say_what_is_wrong(doc, message):
    with pytest.raises(DocumentError, match=message):
        Snapshot.from_dict(doc)


def test_reference_recipe_loads_with_mapping_versions(reference):
    raw = yaml.safe_load((reference / "recipes/h100-eks-ubuntu-training.yaml").read_text())
    recipe = Recipe.from_dict(raw)
    assert recipe.request is not None
    assert recipe.request.k8s is not None and recipe.request.k8s.extras == "-eks-3025e55"
    assert recipe.request.osv is not None and recipe.request.osv.short() == "24.4"
    assert len(recipe.matched_rules) == 2
    again = Recipe.from_dict(loads(dumps(recipe.to_dict(), "json")))
    assert again == recipe


def test_recipe_request_renders_versions_as_written():
    q = Query.build(osv="24.04", k8s="v1.33.5-eks-3025e55", gpu="H100")
    recipe = Recipe([], request=q)
    assert recipe.to_dict()["request"] == {
        "osv": "24.04",
        "k8s": "v1.33.5-eks-3025e55",
        "gpu": "h100",
    }
