"""The agent against a real cluster (marker ``cluster``; set EIDOS_TEST_KUBECONFIG to run).

The image must be pullable by the cluster's nodes: ``EIDOS_TEST_AGENT_IMAGE`` (e.g. what
``make image`` built, loaded into kind or pushed to a registry the nodes reach). Each test
runs in a namespace of its own, which it removes again (``--cleanup-only`` leaves runs
alone until they expire, so the test deletes its namespace itself).
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Iterator

import pytest

from eidos.agent import deploy_agent, new_run
from eidos.agent.fleet import deploy_fleet
from eidos.agent.nodes import FleetSettings, select_nodes
from eidos.errors import CollectorError
from eidos.kube import Action, Kube, KubeSettings, delete_object, read_object
from eidos.model import Snapshot

pytestmark = pytest.mark.cluster


@pytest.fixture
def cluster() -> Iterator[tuple[Kube, str]]:
    path = os.environ.get("EIDOS_TEST_KUBECONFIG")
    if not path:
        pytest.skip("set EIDOS_TEST_KUBECONFIG to run against a real cluster")
    namespace = f"eidos-agent-test-{secrets.token_hex(3)}"
    with Kube(KubeSettings(kubeconfig=path, timeout=30.0)) as kube:
        try:
            yield kube, namespace
        finally:
            ns = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}}
            if read_object(kube, ns) is not None:
                delete_object(kube, ns)


def _image() -> str:
    image = os.environ.get("EIDOS_TEST_AGENT_IMAGE", "")
    if not image:
        pytest.skip("set EIDOS_TEST_AGENT_IMAGE to an eidos image the cluster's nodes can pull")
    return image


@pytest.mark.timeout(600)
def test_a_snapshot_from_a_gpu_node_and_nothing_left_but_the_namespace(cluster):
    kube, namespace = cluster
    text = deploy_agent(
        kube, new_run(300, namespace=namespace, image=_image()), timeout=300, poll=1.0
    )
    assert text.startswith(("apiVersion", "kind")) and "Snapshot" in text


@pytest.mark.timeout(300)
def test_no_matching_node_fails_within_seconds(cluster):
    kube, namespace = cluster
    opts = new_run(240, namespace=namespace, image=_image(), node_selector={"eidos.test/none": "x"})
    started = time.monotonic()
    with pytest.raises(CollectorError, match="Unschedulable") as info:
        deploy_agent(kube, opts, timeout=240, poll=1.0)
    assert time.monotonic() - started < 60
    assert "--node-selector" in info.value.message


@pytest.mark.timeout(300)
def test_an_image_nobody_publishes_fails_within_seconds_and_points_at_image(cluster):
    kube, namespace = cluster
    opts = new_run(
        240, namespace=namespace, image=f"localhost:1/eidos-missing:{secrets.token_hex(3)}"
    )
    started = time.monotonic()
    with pytest.raises(CollectorError, match="--image") as info:
        deploy_agent(kube, opts, timeout=240, poll=1.0)
    assert time.monotonic() - started < 120
    assert "ErrImagePull" in info.value.message or "ImagePullBackOff" in info.value.message


@pytest.mark.timeout(900)
def test_a_fleet_run_collects_every_gpu_node_and_a_missing_node_fails_alone(cluster):
    kube, namespace = cluster
    nodes, _ = select_nodes(kube, {})
    if not nodes:
        pytest.skip("the cluster has no node labelled as an NVIDIA GPU node")
    got: dict[str, Snapshot] = {}
    missing = f"eidos-test-absent-{secrets.token_hex(3)}"
    started = time.monotonic()
    result = deploy_fleet(
        kube,
        new_run(300, namespace=namespace, image=_image(), snapshot_format="json"),
        [*nodes, missing],
        timeout=300,
        collect=got.__setitem__,
        settings=FleetSettings(parallel=5, poll=1.0),
    )
    assert sorted(got) == nodes and set(result.failures) == {missing}
    assert "is not there or not ready" in result.failures[missing]
    assert all(s.header.metadata["source-node"] == n for n, s in got.items())
    assert time.monotonic() - started < 600
    assert (
        kube.request(
            "GET",
            f"/apis/batch/v1/namespaces/{namespace}/jobs",
            action=Action("list", "jobs.batch", namespace),
        ).json()["items"]
        == []
    )
