"""The K8s collector: server, images of every pod, the GPU Operator policy, this node."""

from __future__ import annotations

import socket
from threading import Event

import pytest

from eidos.collectors.kubernetes import (
    KubernetesCollector,
    flatten_policies,
    flatten_policy,
    image_tags,
    node_readings,
    provider_of,
)
from eidos.errors import NotFoundError, UnauthorizedError, UnavailableError
from eidos.kube import Kube, KubeSettings
from eidos.recipe import query_from_snapshot
from eidos.snapshotter import take_snapshot
from kube_emulator import make_pod

NODE = {
    "metadata": {
        "name": "ip-10-0-158-18.ec2.internal",
        "labels": {
            "nvidia.com/gpu.product": "NVIDIA-H100-80GB-HBM3",
            "nvidia.com/gpu.count": "8",
            "feature.node.kubernetes.io/pci-10de.present": "true",
            "node.kubernetes.io/instance-type": "p5.48xlarge",
            "topology.kubernetes.io/zone": "us-east-1e",
            "kubernetes.io/arch": "amd64",
            "eks.amazonaws.com/nodegroup": "gpu",
            "app": "ignored",
        },
    },
    "spec": {
        "providerID": "aws:///us-east-1e/i-0861d1808b85e90ca",
        "taints": [
            {"key": "nvidia.com/gpu", "effect": "NoSchedule"},
            {"key": "dedicated", "value": "user-workload", "effect": "NoSchedule"},
            {"key": "dedicated", "value": "user-workload", "effect": "NoExecute"},
        ],
    },
    "status": {
        "nodeInfo": {
            "containerRuntimeVersion": "containerd://1.7.24",
            "kernelVersion": "6.8.0-1024-aws",
            "osImage": "Ubuntu 22.04.5 LTS",
            "operatingSystem": "linux",
            "kubeletVersion": "v1.30.14-eks-3025e55",
            "architecture": "amd64",
        }
    },
}


@pytest.fixture
def cluster(kube_emulator):
    kube_emulator.put("v1", "nodes", NODE)
    kube_emulator.install("nvidia.com/v1", "clusterpolicies")
    kube_emulator.install("kyverno.io/v1", "clusterpolicies")
    kube_emulator.put(
        "nvidia.com/v1",
        "clusterpolicies",
        {
            "metadata": {"name": "cluster-policy"},
            "spec": {
                "driver": {"enabled": True, "version": "570.133.20"},
                "mig": {"strategy": "single"},
                "cdi": {"enabled": False},
            },
        },
    )
    kube_emulator.put(
        "kyverno.io/v1",
        "clusterpolicies",
        {"metadata": {"name": "kyverno"}, "spec": {"background": True, "rules": [{"a": 1}]}},
    )
    images = [
        "nvcr.io/nvidia/gpu-operator:v25.3.0",
        "nvcr.io/nvidia/driver:570.133.20-ubuntu22.04",
        "registry.k8s.io/pause:3.9",
        "x/node-role-controller:v0.5.0@sha256:abc",
        "busybox",
    ]
    for i, image in enumerate(images * 3):
        kube_emulator.put(
            "v1",
            "pods",
            make_pod(
                f"ns-{i % 4}", f"pod-{i}", [image], init=["nvcr.io/nvidia/k8s-driver-manager:v0.8"]
            ),
        )
    return kube_emulator


@pytest.fixture
def client(cluster, tmp_path):
    path = cluster.write_kubeconfig(tmp_path / "kc")
    with Kube(KubeSettings(kubeconfig=str(path), page_size=4, backoff=0.001)) as kube:
        yield kube


def test_collects_server_images_policy_and_node_in_order(client, cluster):
    collector = KubernetesCollector(client, environ={"NODE_NAME": NODE["metadata"]["name"]})
    measurement = collector.collect(stop=Event())
    assert measurement.type == "K8s"
    assert [s.name for s in measurement.subtypes] == ["server", "image", "policy", "node"]
    assert measurement.subtype("server").data == {
        "version": "v1.33.5-eks-3025e55",
        "platform": "linux/amd64",
        "goVersion": "go1.24.9",
    }
    assert measurement.subtype("image").data == {
        "gpu-operator": "v25.3.0",
        "driver": "570.133.20-ubuntu22.04",
        "pause": "3.9",
        "node-role-controller": "v0.5.0",
        "busybox": "latest",
        "k8s-driver-manager": "v0.8",
    }
    assert measurement.subtype("policy").data == {
        "driver.enabled": "true",
        "driver.version": "570.133.20",
        "mig.strategy": "single",
        "cdi.enabled": "false",
    }
    node = measurement.subtype("node").data
    assert node["provider"] == "eks" and node["source-node"] == NODE["metadata"]["name"]
    assert cluster.count("GET", "/api/v1/pods") == 4


def test_no_cluster_configured_is_an_empty_measurement_and_a_warning(tmp_path, logs):
    kube = Kube(KubeSettings.from_env(environ={"HOME": str(tmp_path)}))
    measurement = KubernetesCollector(kube).collect(stop=Event())
    assert measurement.type == "K8s" and measurement.subtypes == []
    assert "no Kubernetes cluster configured" in logs.getvalue()
    measurement = KubernetesCollector(None).collect(stop=Event())
    assert measurement.subtypes == []


def test_explicit_node_that_does_not_exist_fails(client):
    with pytest.raises(NotFoundError, match=r"node 'gpu-9' \(from --node\) is not a node"):
        KubernetesCollector(client, node="gpu-9", environ={}).collect(stop=Event())


def test_a_workstation_hostname_is_not_a_node_only_a_warning(client, logs):
    measurement = KubernetesCollector(client, environ={"HOSTNAME": "laptop"}).collect(stop=Event())
    assert [s.name for s in measurement.subtypes] == ["server", "image", "policy"]
    assert "this host (laptop) is not a node" in logs.getvalue()


def test_forbidden_pod_listing_names_the_permission(cluster, client):
    cluster.forbid("list", "pods")
    with pytest.raises(UnauthorizedError, match="kubectl auth can-i list pods --all-namespaces"):
        KubernetesCollector(client, environ={}).collect(stop=Event())


def test_unreachable_cluster_fails_the_snapshot_with_exit_4(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    path = tmp_path / "kc"
    path.write_text(
        f"clusters: [{{name: c, cluster: {{server: 'http://127.0.0.1:{port}'}}}}]\n"
        "users: [{name: u, user: {}}]\n"
        "contexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n"
    )
    kube = Kube(KubeSettings(kubeconfig=str(path), backoff=0.001))
    with pytest.raises(UnavailableError, match="collector 'k8s' failed: cannot get version") as err:
        take_snapshot([KubernetesCollector(kube, environ={})], version="t", node="n")
    assert err.value.exit_code == 4


def test_the_recipe_query_reads_k8s_version_and_provider(client):
    collector = KubernetesCollector(client, environ={"NODE_NAME": NODE["metadata"]["name"]})
    snapshot = take_snapshot([collector], version="t")
    query = query_from_snapshot(snapshot).to_dict()
    assert query["service"] == "eks"
    assert query["k8s"] == "v1.33.5-eks-3025e55"


@pytest.mark.parametrize(
    ("provider_id", "expected"),
    [
        ("aws:///us-east-1e/i-0861d1808b85e90ca", "eks"),
        ("gce://proj/us-central1-a/gke-x", "gke"),
        ("azure:///subscriptions/x/vm/0", "aks"),
        ("oci://ocid1.instance.oc1", "oke"),
        ("kind://docker/kind/kind-control-plane", "kind"),
        (" AWS:///x", "eks"),
        ("baremetal", "baremetal"),
    ],
    ids=["aws", "gce", "azure", "oci", "unknown", "case-and-space", "no-scheme"],
)
def test_provider_from_provider_id(provider_id, expected):
    assert provider_of(provider_id) == expected


@pytest.mark.parametrize(
    ("image", "name", "tag"),
    [
        ("registry.k8s.io/pause:3.9", "pause", "3.9"),
        ("nvcr.io/nvidia/driver:570.133.20-ubuntu22.04", "driver", "570.133.20-ubuntu22.04"),
        ("x/node-role-controller:v0.5.0@sha256:0123", "node-role-controller", "v0.5.0"),
        ("repo/image", "image", "latest"),
        ("localhost:5000/app", "app", "latest"),
        ("app@sha256:0123", "app", "latest"),
    ],
)
def test_image_short_name_and_tag(image, name, tag):
    assert image_tags([image]) == {name: tag}


def test_the_last_image_seen_wins_and_empty_names_are_ignored():
    assert image_tags(["a/x:1", "b/x:2", "c/:3"]) == {"x": "2"}


def test_policy_flattening_follows_the_reference():
    spec = {
        "daemonsets": {
            "labels": {"app.kubernetes.io/managed-by": "gpu-operator"},
            "tolerations": [{"operator": "Exists", "effect": "NoSchedule"}],
        },
        "driver": {
            "enabled": True,
            "env": [],
            "rdma": {},
            "version": None,
            "args": ["--a=<b>&c"],
            "ratio": 0.5,
            "big": 1e21,
            "count": 3,
        },
        "psa": {"enabled": False},
    }
    assert flatten_policy(spec) == {
        "daemonsets.labels.app.kubernetes.io/managed-by": "gpu-operator",
        "daemonsets.tolerations": '[{"effect":"NoSchedule","operator":"Exists"}]',
        "driver.enabled": "true",
        "driver.version": "<nil>",
        "driver.args": '["--a=\\u003cb\\u003e\\u0026c"]',
        "driver.ratio": "0.5",
        "driver.big": "1e+21",
        "driver.count": "3",
        "psa.enabled": "false",
    }


def test_later_policies_win_and_specless_ones_are_skipped(logs):
    items = [{"spec": {"a": 1, "b": 1}}, {"metadata": {"name": "empty"}}, {"spec": {"b": 2}}]
    assert flatten_policies(items) == {"a": "1", "b": "2"}
    assert "ClusterPolicy empty has no spec" in logs.getvalue()


def test_node_readings_keep_gpu_labels_and_taints():
    data = node_readings(NODE)
    assert data == {
        "source-node": "ip-10-0-158-18.ec2.internal",
        "provider-id": "aws:///us-east-1e/i-0861d1808b85e90ca",
        "provider": "eks",
        "container-runtime-id": "containerd://1.7.24",
        "container-runtime-name": "containerd",
        "container-runtime-version": "1.7.24",
        "kernel-version": "6.8.0-1024-aws",
        "operating-system": "linux",
        "os-image": "Ubuntu 22.04.5 LTS",
        "kubelet-version": "v1.30.14-eks-3025e55",
        "architecture": "amd64",
        "label.nvidia.com/gpu.product": "NVIDIA-H100-80GB-HBM3",
        "label.nvidia.com/gpu.count": "8",
        "label.feature.node.kubernetes.io/pci-10de.present": "true",
        "label.node.kubernetes.io/instance-type": "p5.48xlarge",
        "label.topology.kubernetes.io/zone": "us-east-1e",
        "label.kubernetes.io/arch": "amd64",
        "taint.nvidia.com/gpu": "NoSchedule",
        "taint.dedicated": "user-workload:NoSchedule,user-workload:NoExecute",
    }
    assert all(isinstance(v, str) for v in data.values())


def test_a_bare_node_has_only_its_name():
    assert node_readings({"metadata": {"name": "n"}}) == {"source-node": "n"}
