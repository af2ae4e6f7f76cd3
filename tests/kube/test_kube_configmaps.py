"""ConfigMap reads and writes: create, update, conflicts, limits, permissions."""

from __future__ import annotations

import pytest

from eidos.errors import InvalidRequestError, NotFoundError, UnauthorizedError
from eidos.kube import (
    MAX_CONFIGMAP_BYTES,
    Kube,
    delete_configmap,
    read_configmap,
    write_configmap,
)

LABELS = {"app.kubernetes.io/name": "eidos", "app.kubernetes.io/component": "snapshot"}


def test_write_creates_then_updates(kube, kube_backend):
    ns = kube_backend.namespace
    assert (
        write_configmap(
            kube, ns, "snap", data={"snapshot.json": "{}", "format": "json"}, labels=LABELS
        )
        == "created"
    )
    assert (
        write_configmap(
            kube, ns, "snap", data={"snapshot.yaml": "a: 1\n", "format": "yaml"}, labels=LABELS
        )
        == "updated"
    )
    cm = read_configmap(kube, ns, "snap")
    assert cm["data"] == {"snapshot.yaml": "a: 1\n", "format": "yaml"}
    assert cm["metadata"]["labels"].items() >= LABELS.items()


def test_update_keeps_foreign_labels_and_annotations(kube, kube_backend):
    ns = kube_backend.namespace
    write_configmap(kube, ns, "snap", data={"x": "1"}, labels={"team": "gpu"})
    write_configmap(kube, ns, "snap", data={"x": "2"}, labels=LABELS)
    assert read_configmap(kube, ns, "snap")["metadata"]["labels"] == {"team": "gpu", **LABELS}


def test_missing_configmap_is_not_found(kube, kube_backend):
    with pytest.raises(NotFoundError, match="configmaps/nope"):
        read_configmap(kube, kube_backend.namespace, "nope")
    assert delete_configmap(kube, kube_backend.namespace, "nope") is False


def test_oversized_data_fails_before_any_write(kube, kube_backend):
    data = {"snapshot.yaml": "x" * MAX_CONFIGMAP_BYTES, "format": "yaml"}
    with pytest.raises(InvalidRequestError, match=r"at most 1048576 bytes \(1 MiB\)") as err:
        write_configmap(kube, kube_backend.namespace, "big", data=data, labels=LABELS)
    assert err.value.exit_code == 2
    if kube_backend.emulator is not None:
        assert not [r for r in kube_backend.emulator.requests if r[0] in ("POST", "PUT")]


def test_data_right_at_the_limit_is_accepted(kube, kube_backend):
    data = {"snapshot.yaml": "é" * ((MAX_CONFIGMAP_BYTES - 4) // 2), "format": "yaml"}
    write_configmap(kube, kube_backend.namespace, "edge", data=data, labels=LABELS)
    assert read_configmap(kube, kube_backend.namespace, "edge")["data"] == data


def test_conflict_is_retried_with_a_fresh_resource_version(kube_emulator, emulator_settings):
    kube_emulator.put(
        "v1", "configmaps", {"metadata": {"name": "snap", "namespace": "ns"}, "data": {"old": "1"}}
    )
    original = kube_emulator.get("v1", "configmaps", "snap", "ns")
    assert original is not None

    def concurrent_writer(emulator, obj):
        emulator.after_get.clear()
        emulator.put("v1", "configmaps", {**obj, "data": {"someone": "else"}})

    kube_emulator.after_get["configmaps"] = concurrent_writer
    with Kube(emulator_settings) as kube:
        assert write_configmap(kube, "ns", "snap", data={"mine": "1"}, labels=LABELS) == "updated"
    assert kube_emulator.count("PUT", "/api/v1/namespaces/ns/configmaps/snap") == 2
    assert kube_emulator.get("v1", "configmaps", "snap", "ns")["data"] == {"mine": "1"}


def test_create_race_falls_back_to_update(kube_emulator, emulator_settings):
    kube_emulator.fail("POST", "^/api/v1/namespaces/ns/configmaps$", 409)
    kube_emulator.put("v1", "configmaps", {"metadata": {"name": "other", "namespace": "ns"}})
    with Kube(emulator_settings) as kube:
        assert write_configmap(kube, "ns", "snap", data={"a": "b"}, labels=LABELS) == "created"
    assert kube_emulator.count("POST", "/api/v1/namespaces/ns/configmaps") == 2


def test_forbidden_create_explains_the_missing_permission(kube_emulator, emulator_settings):
    kube_emulator.forbid("create", "configmaps")
    with Kube(emulator_settings) as kube, pytest.raises(UnauthorizedError) as err:
        write_configmap(kube, "gpu-operator", "snap", data={"a": "b"}, labels=LABELS)
    assert "kubectl auth can-i create configmaps -n gpu-operator" in err.value.message


def test_5xx_during_write_then_success(kube_emulator, emulator_settings):
    kube_emulator.fail("POST", "/configmaps$", 500)
    with Kube(emulator_settings, sleep=lambda s: None) as kube:
        assert write_configmap(kube, "ns", "snap", data={"a": "b"}, labels=LABELS) == "created"
    assert kube_emulator.get("v1", "configmaps", "snap", "ns")["data"] == {"a": "b"}
