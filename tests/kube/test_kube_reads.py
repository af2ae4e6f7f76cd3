"""Read-only queries: server version, nodes, paginated pods, GPU Operator ClusterPolicy."""

from __future__ import annotations

import pytest

from eidos.errors import UnauthorizedError, UnavailableError
from eidos.kube import (
    Action,
    Kube,
    KubeSettings,
    list_cluster_policies,
    list_nodes,
    list_pods,
    server_version,
)
from kube_emulator import make_pod


def create_pod(kube: Kube, namespace: str, name: str, image: str) -> None:
    """A pod that never schedules (so a real cluster never pulls its image)."""
    body = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name},
        "spec": {
            "nodeSelector": {"eidos.test/never": "true"},
            "containers": [{"name": "c", "image": image}],
        },
    }
    kube.request(
        "POST",
        f"/api/v1/namespaces/{namespace}/pods",
        body=body,
        action=Action("create", "pods", namespace),
    )


def test_server_version_has_git_version_and_platform(kube):
    version = server_version(kube)
    assert version["gitVersion"].startswith("v1.")
    assert "/" in version["platform"]


def test_pods_are_listed_page_by_page(kube, kube_backend):
    ns = kube_backend.namespace
    for i in range(7):
        create_pod(kube, ns, f"pod-{i}", f"registry.example/app-{i}:v{i}")
    pages = list(list_pods(kube, namespace=ns, page_size=3))
    assert [len(p) for p in pages] == [3, 3, 1]
    names = [p["metadata"]["name"] for page in pages for p in page]
    assert sorted(names) == [f"pod-{i}" for i in range(7)]
    if kube_backend.emulator is not None:
        continued = [
            q
            for m, p, q in kube_backend.emulator.requests
            if p.endswith("/pods") and "continue" in q
        ]
        assert len(continued) == 2 and all(q["limit"] == "3" for q in continued)


def test_all_namespaces_by_default(kube_emulator, emulator_settings):
    for i in range(10):
        kube_emulator.put("v1", "pods", make_pod(f"ns-{i % 4}", f"p{i}", ["a:1"]))
    with Kube(emulator_settings) as kube:
        pages = list(list_pods(kube, page_size=4))
    assert [len(p) for p in pages] == [4, 4, 2]
    assert kube_emulator.count("GET", "/api/v1/pods") == 3


def test_a_transient_failure_mid_list_resumes_from_the_same_page(kube_emulator, emulator_settings):
    for i in range(6):
        kube_emulator.put("v1", "pods", make_pod("ns", f"p{i}", ["a:1"]))
    original = kube_emulator._list
    calls = []

    def flaky(route, query):
        calls.append(query.get("continue"))
        if len(calls) == 2:
            from kube_emulator import _status

            return _status(503, "try again")
        return original(route, query)

    kube_emulator._list = flaky  # type: ignore[method-assign]
    with Kube(emulator_settings, sleep=lambda s: None) as kube:
        pages = list(list_pods(kube, page_size=2))
    assert sum(len(p) for p in pages) == 6
    assert calls[1] == calls[2] is not None


def test_expired_continue_token_without_a_way_back_is_unavailable(kube_emulator, emulator_settings):
    for i in range(4):
        kube_emulator.put("v1", "pods", make_pod("ns", f"p{i}", ["a:1"]))
    with Kube(emulator_settings) as kube:
        pages = list_pods(kube, page_size=2)
        next(pages)
        kube_emulator.fail("GET", "^/api/v1/pods$", 410)
        with pytest.raises(UnavailableError, match="expired mid-way"):
            next(pages)


def test_cluster_policy_absent_crd_is_empty(kube_emulator, emulator_settings):
    with Kube(emulator_settings) as kube:
        assert list_cluster_policies(kube) == []


def test_only_nvidia_cluster_policies_are_read(kube_emulator, emulator_settings):
    kube_emulator.install("nvidia.com/v1", "clusterpolicies")
    kube_emulator.install("kyverno.io/v1", "clusterpolicies")
    kube_emulator.put(
        "nvidia.com/v1",
        "clusterpolicies",
        {"metadata": {"name": "cluster-policy"}, "spec": {"driver": {}}},
    )
    kube_emulator.put(
        "kyverno.io/v1",
        "clusterpolicies",
        {"metadata": {"name": "require-labels"}, "spec": {"background": True}},
    )
    with Kube(emulator_settings) as kube:
        items = list_cluster_policies(kube)
    assert [i["metadata"]["name"] for i in items] == ["cluster-policy"]
    assert kube_emulator.count("GET", "/apis/kyverno.io") == 0


def test_nodes_are_listed_page_by_page_and_by_label(kube_emulator, emulator_settings):
    for i in range(7):
        labels = {"nvidia.com/gpu.present": "true"} if i % 2 else {}
        kube_emulator.put("v1", "nodes", {"metadata": {"name": f"n{i}", "labels": labels}})
    settings = KubeSettings(kubeconfig=emulator_settings.kubeconfig, page_size=3)
    with Kube(settings) as kube:
        assert [n["metadata"]["name"] for n in list_nodes(kube)] == [f"n{i}" for i in range(7)]
        assert kube_emulator.count("GET", "/api/v1/nodes") == 3
        gpus = list_nodes(kube, label_selector="nvidia.com/gpu.present=true")
    assert [n["metadata"]["name"] for n in gpus] == ["n1", "n3", "n5"]


def test_a_node_list_that_expires_mid_way_starts_again(kube_emulator, emulator_settings):
    for i in range(5):
        kube_emulator.put("v1", "nodes", {"metadata": {"name": f"n{i}"}})
    settings = KubeSettings(kubeconfig=emulator_settings.kubeconfig, page_size=2)
    original = kube_emulator._list
    seen = []

    def expire_once(route, query):
        seen.append(query.get("continue"))
        if len(seen) == 2:
            from kube_emulator import _status

            return _status(410, "The provided continue parameter is too old")
        return original(route, query)

    kube_emulator._list = expire_once  # type: ignore[method-assign]
    with Kube(settings) as kube:
        names = [n["metadata"]["name"] for n in list_nodes(kube)]
    assert names == [f"n{i}" for i in range(5)]  # no node twice, none lost
    assert seen[2] is None  # started again from the first page


def test_listing_nodes_without_permission_names_the_cluster_scoped_right(
    kube_emulator, emulator_settings
):
    kube_emulator.forbid("list", "nodes")
    with Kube(emulator_settings) as kube, pytest.raises(UnauthorizedError) as err:
        list_nodes(kube)
    assert "kubectl auth can-i list nodes" in err.value.message
