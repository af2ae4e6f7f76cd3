"""K8s collector against the API emulator with 5,000 pods in 50 namespaces (`make bench`).

Page size 500 (the default). Peak RSS is measured per process by tools/bench_kube.py.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest

from eidos.collectors.kubernetes import KubernetesCollector
from eidos.kube import Kube, KubeSettings, list_pods
from kube_emulator import KubeEmulator, make_pod


@pytest.fixture(scope="module")
def kubeconfig(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with KubeEmulator() as emu:
        emu.put(
            "v1",
            "nodes",
            {"metadata": {"name": "gpu-node-1"}, "spec": {"providerID": "aws:///us-east-1a/i-1"}},
        )
        for i in range(5000):
            images = [
                f"registry.example.com/team-{i % 97}/app-{i % 211}:v{i % 13}",
                "nvcr.io/nvidia/k8s-device-plugin:v0.17.1",
            ]
            emu.put(
                "v1",
                "pods",
                make_pod(
                    f"ns-{i % 50:02d}", f"pod-{i:05d}", images, init=["busybox:1.36"], padding=40
                ),
            )
        path: Path = tmp_path_factory.mktemp("kube") / "kc"
        yield str(emu.write_kubeconfig(path))


def _collect(kubeconfig: str, page_size: int) -> int:
    with Kube(KubeSettings(kubeconfig=kubeconfig, page_size=page_size)) as kube:
        collector = KubernetesCollector(kube, environ={"NODE_NAME": "gpu-node-1"})
        measurement = asyncio.run(collector.collect())
    image = measurement.subtype("image")
    assert image is not None
    return len(image.data)


@pytest.mark.parametrize("page_size", [100, 500, 1000])
def test_bench_k8s_collector_5000_pods(benchmark, kubeconfig, page_size):
    images = benchmark.pedantic(_collect, args=(kubeconfig, page_size), rounds=3, warmup_rounds=1)
    assert images == 213


def test_bench_list_pods_pages(benchmark, kubeconfig):
    def count() -> int:
        with Kube(KubeSettings(kubeconfig=kubeconfig)) as kube:
            return sum(len(page) for page in list_pods(kube))

    assert benchmark.pedantic(count, rounds=3, warmup_rounds=1) == 5000
