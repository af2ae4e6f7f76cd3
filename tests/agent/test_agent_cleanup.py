"""--cleanup-only: what killed runs left is removed once expired; live runs and kubectl's stay."""

from __future__ import annotations

import dataclasses

import pytest

from eidos.agent import AgentOptions, cleanup_runs, new_run, render_manifests
from eidos.kube import Kube
from eidos.kubeconfig import KubeSettings
from kube_cluster import ClusterSim

PLURALS = {
    "Namespace": ("v1", "namespaces"),
    "ServiceAccount": ("v1", "serviceaccounts"),
    "Role": ("rbac.authorization.k8s.io/v1", "roles"),
    "RoleBinding": ("rbac.authorization.k8s.io/v1", "rolebindings"),
    "ClusterRole": ("rbac.authorization.k8s.io/v1", "clusterroles"),
    "ClusterRoleBinding": ("rbac.authorization.k8s.io/v1", "clusterrolebindings"),
    "Job": ("batch/v1", "jobs"),
}
PAST, FUTURE = "2020-01-01T00:00:00Z", "2999-01-01T00:00:00Z"


@pytest.fixture
def client(kube_emulator, emulator_settings):
    ClusterSim(kube_emulator).install()
    with Kube(emulator_settings) as kube:
        yield kube


def put_run(emulator, opts: AgentOptions) -> None:
    for obj in render_manifests(opts):
        if emulator.get(*PLURALS[obj["kind"]], obj["metadata"]["name"]) is None:
            emulator.put(*PLURALS[obj["kind"]], obj)
    emulator.put(
        "v1",
        "configmaps",
        {
            "metadata": {
                "name": opts.configmap,
                "namespace": opts.namespace,
                "labels": {"app.kubernetes.io/name": "eidos"},
            },
            "data": {"snapshot.yaml": "x"},
        },
    )


def names(emulator) -> set[str]:
    return {
        k[3] for k in emulator.objects if k[1] in {p for _, p in PLURALS.values()} | {"configmaps"}
    }


def test_expired_runs_go_with_their_configmap_and_live_ones_stay(kube_emulator, client):
    dead = dataclasses.replace(new_run(60), expires=PAST)
    live = dataclasses.replace(new_run(60), expires=FUTURE)
    put_run(kube_emulator, dead)
    put_run(kube_emulator, live)
    lines: list[str] = []
    report = cleanup_runs(client, "eidos", progress=lines.append)
    assert report.removed == [dead.name]
    assert report.kept == [f"{live.name} (may still be running; expires {FUTURE})"]
    assert not report.namespace_removed
    assert not {dead.name, dead.configmap} & names(kube_emulator)
    assert {live.name, live.configmap, "eidos"} <= names(kube_emulator)
    assert f"removed run {dead.name} (6 objects)" in lines


def test_a_run_only_counts_once_every_object_has_expired(kube_emulator, client):
    run = dataclasses.replace(new_run(60), expires=PAST)
    put_run(kube_emulator, run)
    job = kube_emulator.get("batch/v1", "jobs", run.name, "eidos")
    job["metadata"]["annotations"]["eidos.dgxc.io/expires"] = FUTURE
    report = cleanup_runs(client, "eidos")
    assert report.removed == [] and run.name in names(kube_emulator)


def test_objects_from_kubectl_apply_are_never_removed(kube_emulator, client):
    put_run(kube_emulator, AgentOptions())  # deploy/agent/: no expiry annotation
    report = cleanup_runs(client, "eidos", now=4_102_444_800)  # year 2100
    assert report.kept == ["eidos-agent (not made by --deploy-agent; delete it with kubectl)"]
    assert "eidos-agent" in names(kube_emulator)


def test_runs_of_other_namespaces_are_not_touched(kube_emulator, client):
    kube_emulator.put("v1", "namespaces", {"metadata": {"name": "gpu-operator"}})
    other = dataclasses.replace(new_run(60, namespace="gpu-operator"), expires=PAST)
    put_run(kube_emulator, other)
    report = cleanup_runs(client, "eidos")
    assert report.removed == [] and other.name in names(kube_emulator)


def test_the_namespace_goes_when_eidos_made_it_and_nothing_is_left(kube_emulator, client):
    put_run(kube_emulator, dataclasses.replace(new_run(60), expires=PAST))
    report = cleanup_runs(client, "eidos")
    assert report.namespace_removed
    ns = kube_emulator.get("v1", "namespaces", "eidos")
    assert ns is None or ns["status"]["phase"] == "Terminating"


def test_a_namespace_eidos_did_not_make_is_kept(kube_emulator, client):
    kube_emulator.put("v1", "namespaces", {"metadata": {"name": "gpu-operator"}})
    put_run(kube_emulator, dataclasses.replace(new_run(60, namespace="gpu-operator"), expires=PAST))
    report = cleanup_runs(client, "gpu-operator")
    assert len(report.removed) == 1 and not report.namespace_removed
    assert kube_emulator.get("v1", "namespaces", "gpu-operator") is not None


def test_a_namespace_with_other_eidos_configmaps_is_kept(kube_emulator, client):
    put_run(kube_emulator, dataclasses.replace(new_run(60), expires=PAST))
    kube_emulator.put(
        "v1",
        "configmaps",
        {
            "metadata": {
                "name": "eidos-snapshot",
                "namespace": "eidos",
                "labels": {"app.kubernetes.io/name": "eidos"},
            }
        },
    )
    lines: list[str] = []
    report = cleanup_runs(client, "eidos", progress=lines.append)
    assert not report.namespace_removed
    assert "kept namespace eidos: it still holds 1 eidos ConfigMap(s)" in lines


def test_listing_reads_every_page(kube_emulator, emulator_settings):
    ClusterSim(kube_emulator).install()
    runs = [dataclasses.replace(new_run(60), expires=PAST) for _ in range(3)]
    for run in runs:
        put_run(kube_emulator, run)
    paged = KubeSettings(kubeconfig=emulator_settings.kubeconfig, page_size=2, backoff=0.001)
    with Kube(paged) as kube:
        report = cleanup_runs(kube, "eidos")
    assert sorted(report.removed) == sorted(r.name for r in runs)
