"""Golden: the reference data + the h100 snapshot reproduce the reference recipe."""

from __future__ import annotations

import yaml

from eidos.model import Query, Recipe, Snapshot
from eidos.recipe import RecipeBuilder, RecipeStore, query_from_snapshot


def _load(path):
    return yaml.safe_load(path.read_text())


def test_h100_snapshot_infers_the_reference_query(reference):
    snap = Snapshot.from_dict(_load(reference / "snapshots/h100.yaml"))
    q = query_from_snapshot(snap, "training")
    assert q.to_dict() == {
        "os": "ubuntu",
        "osv": "24.04",
        "kernel": "6.8.0-1024-aws",
        "service": "eks",
        "k8s": "v1.30.14-eks-3025e55",
        "gpu": "h100",
        "intent": "training",
        "withContext": True,
    }


def test_reference_data_reproduces_reference_recipe(reference):
    store = RecipeStore.load(str(reference / "recipe-data-v1.yaml"))
    snap = Snapshot.from_dict(_load(reference / "snapshots/h100.yaml"))
    ours = RecipeBuilder(store).build(query_from_snapshot(snap, "training"))
    expected = Recipe.from_dict(_load(reference / "recipes/h100-eks-ubuntu-training.yaml"))
    assert ours.matched_rules == expected.matched_rules
    assert ours.measurements == expected.measurements  # data (typed) and context
    assert ours.request == Query.build(
        os="ubuntu",
        osv="24.04",
        kernel="6.8.0-1024-aws",
        service="eks",
        k8s="v1.30.14-eks-3025e55",
        gpu="h100",
        intent="training",
        with_context=True,
    )
    assert ours.request is not None and expected.request is not None
    for field in ("osv", "kernel", "k8s"):
        mine, theirs = getattr(ours.request, field), getattr(expected.request, field)
        assert (mine.short(), mine.extras) == (theirs.short(), theirs.extras)


def test_partial_snapshots_become_wildcards_not_crashes():
    snap = Snapshot.from_dict(
        {
            "kind": "Snapshot",
            "measurements": [
                {
                    "type": "GPU",
                    "subtypes": [{"subtype": "smi", "data": {"gpu.model": "NVIDIA GB200"}}],
                },
                {
                    "type": "K8s",
                    "subtypes": [{"subtype": "server", "data": {"version": "garbage"}}],
                },
            ],
        }
    )
    q = query_from_snapshot(snap)
    assert q.to_dict() == {"gpu": "gb200", "withContext": True}
    assert query_from_snapshot(Snapshot.from_dict({"kind": "Snapshot"})).is_empty()


def test_service_falls_back_to_the_version_suffix():
    snap = Snapshot.from_dict(
        {
            "kind": "Snapshot",
            "measurements": [
                {
                    "type": "K8s",
                    "subtypes": [{"subtype": "server", "data": {"version": "v1.30.5-gke.1014001"}}],
                }
            ],
        }
    )
    assert query_from_snapshot(snap).service == "gke"


def test_gpu_model_inference_prefers_the_longer_names():
    for model, gpu in [
        ("NVIDIA GB200", "gb200"),
        ("NVIDIA B200", "b200"),
        ("NVIDIA H200 141GB HBM3e", "h200"),
        ("NVIDIA H100 80GB HBM3", "h100"),
        ("NVIDIA A100-SXM4-80GB", "a100"),
        ("NVIDIA L40S", "l40s"),
        ("NVIDIA L40", "l40"),
        ("Tesla T4", None),
    ]:
        snap = Snapshot.from_dict(
            {
                "kind": "Snapshot",
                "measurements": [
                    {"type": "GPU", "subtypes": [{"subtype": "smi", "data": {"gpu.model": model}}]}
                ],
            }
        )
        assert query_from_snapshot(snap).gpu == gpu, model
