"""The emulator refuses what a real kube-apiserver refuses, so client bugs that only a real
cluster showed (a 413 on a ConfigMap within its 1 MiB) fail the default suite."""

from __future__ import annotations

import base64
import json

import httpx
import pytest

from eidos.errors import InvalidRequestError
from eidos.kube import MAX_CONFIGMAP_BYTES, read_configmap, write_configmap
from kube_limits import MAX_CONFIGMAP_DATA, MAX_REQUEST_BODY

LABELS = {"app.kubernetes.io/name": "eidos"}


def post(emulator, path: str, body: bytes) -> httpx.Response:
    return httpx.post(
        f"{emulator.url}{path}",
        content=body,
        headers={"Authorization": f"Bearer {emulator.token}", "Content-Type": "application/json"},
        timeout=30,
    )


def configmap(name: str, data: dict | None = None, binary: dict | None = None) -> dict:
    obj: dict = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": {"name": name}}
    if data is not None:
        obj["data"] = data
    if binary is not None:
        obj["binaryData"] = binary
    return obj


def create(emulator, obj: dict, plural: str = "configmaps") -> httpx.Response:
    path = "/api/v1/namespaces" if plural == "namespaces" else f"/api/v1/namespaces/ns/{plural}"
    return post(emulator, path, json.dumps(obj, ensure_ascii=False).encode())


def test_a_request_body_over_3_mib_is_413(kube_emulator):
    body = json.dumps(configmap("big", {"a": "x" * MAX_REQUEST_BODY})).encode()
    resp = post(kube_emulator, "/api/v1/namespaces/ns/configmaps", body)
    assert resp.status_code == 413
    assert resp.json()["reason"] == "RequestEntityTooLarge"
    assert kube_emulator.get("v1", "configmaps", "big", "ns") is None


def test_configmap_data_and_binary_data_share_the_1_mib_limit(kube_emulator):
    half = MAX_CONFIGMAP_DATA // 2
    raw = base64.b64encode(b"\0" * half).decode()  # counted decoded: half, not 4/3 of it
    assert (
        create(kube_emulator, configmap("full", {"a": "x" * half}, {"b": raw})).status_code == 201
    )
    resp = create(kube_emulator, configmap("over", {"a": "x" * (half + 1)}, {"b": raw}))
    assert resp.status_code == 422
    assert resp.json()["message"] == (
        'ConfigMap "over" is invalid: []: Too long: must have at most 1048576 bytes'
    )
    multibyte = "é" * (MAX_CONFIGMAP_DATA // 2 + 1)  # counted in UTF-8 bytes, not characters
    assert create(kube_emulator, configmap("utf8", {"a": multibyte})).status_code == 422


@pytest.mark.parametrize(
    ("plural", "name"),
    [
        ("configmaps", "Snapshot"),
        ("configmaps", "eidos_snapshot"),
        ("configmaps", "a..b"),
        ("configmaps", "-a"),
        ("configmaps", "a" * 254),
        ("configmaps", ""),
        ("namespaces", "gpu.operator"),
        ("namespaces", "n" * 64),
    ],
)
def test_names_follow_dns_1123(kube_emulator, plural, name):
    obj = configmap(name) if plural == "configmaps" else {"metadata": {"name": name}}
    resp = create(kube_emulator, obj, plural)
    assert resp.status_code == 422, resp.text
    assert "metadata.name" in resp.json()["message"]


@pytest.mark.parametrize(
    ("plural", "name"), [("configmaps", "eidos.snapshot-1"), ("configmaps", "a" * 253)]
)
def test_valid_names_are_accepted(kube_emulator, plural, name):
    assert create(kube_emulator, configmap(name)).status_code == 201


@pytest.mark.parametrize(
    ("data", "binary", "problem"),
    [
        ({"a/b": "x"}, None, "a valid config key"),
        ({"..x": "x"}, None, "must not start with '..'"),
        ({".": "x"}, None, "must not be '.'"),
        ({"k": "x"}, {"k": "eA=="}, "duplicate of key in binaryData"),
        (None, {"k": "not base64!"}, "not base64"),
    ],
)
def test_configmap_keys_are_validated(kube_emulator, data, binary, problem):
    resp = create(kube_emulator, configmap("keys", data, binary))
    assert resp.status_code == 422
    assert problem in resp.json()["message"]


@pytest.mark.parametrize("char", ["é", "日", "😀"], ids=["2-byte", "3-byte", "4-byte"])
def test_non_ascii_data_near_the_limit_is_written(kube, kube_backend, char):
    # escaped JSON (\\u00e9, surrogate pairs) would be 3-6x larger: over the 3 MiB body limit
    size = len(char.encode())
    data = {"snapshot.yaml": char * ((MAX_CONFIGMAP_BYTES - 8) // size), "format": "yaml"}
    write_configmap(kube, kube_backend.namespace, "wide", data=data, labels=LABELS)
    assert read_configmap(kube, kube_backend.namespace, "wide")["data"] == data
    write_configmap(kube, kube_backend.namespace, "wide", data=data, labels=LABELS)  # update too


def test_the_client_names_the_refusal_of_an_invalid_name(kube, kube_backend):
    with pytest.raises(InvalidRequestError, match=r"HTTP 422\): .*metadata\.name"):
        write_configmap(kube, kube_backend.namespace, "Not_Valid", data={"a": "1"}, labels=LABELS)
