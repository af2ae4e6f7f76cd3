from __future__ import annotations

import threading
from datetime import UTC, datetime

import pytest

from eidos.errors import NotFoundError, RecipeError
from eidos.model import Query
from eidos.recipe import RecipeBuilder, RecipeStore

DATA = {
    "base": [
        {
            "type": "K8s",
            "subtypes": [
                {
                    "subtype": "server",
                    "data": {"version": "v1.33.5"},
                    "context": {"version": "base"},
                },
                {"subtype": "config", "data": {"cdi": True}, "context": {"cdi": "cdi on"}},
            ],
        },
    ],
    "overlays": [
        {
            "key": {"service": "eks", "gpu": "h100"},
            "types": [
                {
                    "type": "K8s",
                    "subtypes": [{"subtype": "server", "data": {"version": "v1.30.14"}}],
                }
            ],
        },
        {
            "key": {"service": "eks"},
            "types": [
                {
                    "type": "K8s",
                    "subtypes": [
                        {
                            "subtype": "server",
                            "data": {"version": "v1.32.0"},
                            "context": {"version": "eks"},
                        },
                        {"subtype": "worker", "data": {"efa": True}, "context": {"efa": "EFA"}},
                    ],
                },
                {
                    "type": "GPU",
                    "subtypes": [{"subtype": "smi", "data": {"driver-version": "580"}}],
                },
            ],
        },
        {
            "key": {"k8s": "1.33"},
            "types": [{"type": "K8s", "subtypes": [{"subtype": "config", "data": {"dra": True}}]}],
        },
    ],
}


@pytest.fixture
def builder() -> RecipeBuilder:
    return RecipeBuilder(RecipeStore.from_dict(DATA, "test"))


def test_overlays_apply_least_specific_first_so_the_most_specific_wins(builder):
    recipe = builder.build(Query.build(service="eks", gpu="h100"))
    assert recipe.subtype("K8s", "server").data["version"] == "v1.30.14"  # type: ignore[union-attr]
    assert recipe.matched_rules == [
        "OS: any any, Kernel: any, Service: eks, K8s: any, GPU: any, Intent: any, Context: false",
        "OS: any any, Kernel: any, Service: eks, K8s: any, GPU: h100, Intent: any, Context: false",
    ]


def test_new_subtypes_and_types_are_appended(builder):
    recipe = builder.build(Query.build(service="eks"))
    assert [m.type for m in recipe.measurements] == ["K8s", "GPU"]
    assert [s.name for s in recipe.measurement("K8s").subtypes] == [  # type: ignore[union-attr]
        "server",
        "config",
        "worker",
    ]


def test_context_is_kept_only_when_asked(builder):
    plain = builder.build(Query.build(service="eks"))
    assert all(not s.context for m in plain.measurements for s in m.subtypes)
    rich = builder.build(Query.build(service="eks", with_context=True))
    server = rich.subtype("K8s", "server")
    assert server is not None and server.context == {"version": "eks"}


def test_version_criteria_match_at_precision(builder):
    recipe = builder.build(Query.build(k8s="v1.33.5-eks-3025e55"))
    assert recipe.subtype("K8s", "config").data == {"cdi": True, "dra": True}  # type: ignore[union-attr]
    assert builder.build(Query.build(k8s="1.34")).matched_rules == []


def test_store_is_never_mutated_and_cache_returns_independent_copies(builder):
    before = [m.to_dict() for m in builder.store.base]
    first = builder.build(Query.build(service="eks", gpu="h100"))
    first.subtype("K8s", "server").data["version"] = "mutated"  # type: ignore[union-attr]
    second = builder.build(Query.build(service="eks", gpu="h100"))
    assert second.subtype("K8s", "server").data["version"] == "v1.30.14"  # type: ignore[union-attr]
    assert [m.to_dict() for m in builder.store.base] == before


def test_metadata_has_timestamp_and_version():
    b = RecipeBuilder(RecipeStore.from_dict(DATA, "t"), version="9.9.9")
    recipe = b.build(Query(), timestamp=datetime(2026, 1, 2, 18, 1, 22, tzinfo=UTC))
    assert recipe.metadata == {
        "recipe-timestamp": "2026-01-02T18:01:22Z",
        "recipe-version": "9.9.9",
    }


def test_concurrent_builds_agree(builder):
    results: list[str] = []

    def work() -> None:
        for _ in range(50):
            r = builder.build(Query.build(service="eks", gpu="h100"))
            results.append(r.subtype("K8s", "server").data["version"])  # type: ignore[union-attr]

    threads = [threading.Thread(target=work) for _ in range(8)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert set(results) == {"v1.30.14"} and len(results) == 400


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ([], "must be a mapping"),
        ({"base": "text"}, "base: expected a list of measurements"),
        ({"base": {"types": {}}}, r"base.types: expected a list of measurements"),
        (
            {"overlays": [{"key": {"gpu": "t4"}, "types": []}]},
            r"overlays\[0\].key: invalid gpu type",
        ),
        (
            {"overlays": [{"key": {"k8s": "1.x"}, "types": []}]},
            r"overlays\[0\].key: invalid kubernetes",
        ),
        ({"overlays": [{"types": []}]}, "expected a mapping with 'key'"),
    ],
)
def test_bad_data_is_a_recipe_error_naming_the_place(data, message):
    with pytest.raises(RecipeError, match=message):
        RecipeStore.from_dict(data, "data.yaml")


def test_external_data_from_file_and_directory(tmp_path, reference):
    store = RecipeStore.load(str(reference / "recipe-data-v1.yaml"))
    assert len(store.overlays) == 3
    (tmp_path / "a.yaml").write_text(
        "base:\n  - type: K8s\n    subtypes:\n"
        "      - subtype: server\n        data: {version: v1.1.1}\n"
    )
    (tmp_path / "b.yaml").write_text("overlays:\n  - key: {gpu: a100}\n    types: []\n")
    merged = RecipeStore.load(str(tmp_path))
    assert len(merged.base) == 1 and len(merged.overlays) == 1
    with pytest.raises(NotFoundError):
        RecipeStore.load(str(tmp_path / "missing.yaml"))
