"""Pytest fixtures for Kubernetes tests: the emulator by default, a real cluster on demand.

``kube_backend`` runs each test that uses it twice: against the emulator, and (marker
``cluster``) against the cluster named by ``EIDOS_TEST_KUBECONFIG``, skipped when unset.
Each cluster run gets its own namespace, created and deleted here.
"""

from __future__ import annotations

import os
import secrets
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from eidos.kube import Kube, KubeSettings, create_object, delete_object
from kube_emulator import KubeEmulator


@dataclass
class Sleeps:
    """Records the waits the client asked for; sleeps for real only against a cluster."""

    real: bool = False
    calls: list[float] = field(default_factory=list)

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)
        if self.real:
            time.sleep(seconds)


@dataclass
class Backend:
    """Where a test runs: settings to connect, its namespace, the emulator if any."""

    name: str
    settings: KubeSettings
    namespace: str
    emulator: KubeEmulator | None
    kubeconfig: Path


@pytest.fixture
def kube_emulator() -> Iterator[KubeEmulator]:
    with KubeEmulator() as emulator:
        yield emulator


@pytest.fixture
def emulator_settings(kube_emulator: KubeEmulator, tmp_path: Path) -> KubeSettings:
    path = kube_emulator.write_kubeconfig(tmp_path / "kubeconfig")
    return KubeSettings(kubeconfig=str(path), backoff=0.001, timeout=2.0)


def _cluster_backend(tmp_path: Path) -> Iterator[Backend]:
    path = os.environ.get("EIDOS_TEST_KUBECONFIG")
    if not path:
        pytest.skip("set EIDOS_TEST_KUBECONFIG to run against a real cluster")
    settings = KubeSettings(kubeconfig=path, timeout=30.0)
    namespace = f"eidos-test-{secrets.token_hex(4)}"
    ns = {"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": namespace}}
    with Kube(settings) as kube:
        create_object(kube, ns)
        try:
            yield Backend("cluster", settings, namespace, None, Path(path))
        finally:
            delete_object(kube, ns)


@pytest.fixture(params=["emulator", pytest.param("cluster", marks=pytest.mark.cluster)])
def kube_backend(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Backend]:
    if request.param == "cluster":
        yield from _cluster_backend(tmp_path)
        return
    with KubeEmulator() as emulator:
        path = emulator.write_kubeconfig(tmp_path / "kubeconfig")
        emulator.put("v1", "namespaces", {"metadata": {"name": "eidos-test"}})
        settings = KubeSettings(kubeconfig=str(path), backoff=0.001, timeout=2.0)
        yield Backend("emulator", settings, "eidos-test", emulator, path)


@pytest.fixture
def sleeps(kube_backend: Backend) -> Sleeps:
    return Sleeps(real=kube_backend.emulator is None)


@pytest.fixture
def kube(kube_backend: Backend, sleeps: Sleeps) -> Iterator[Kube]:
    with Kube(kube_backend.settings, sleep=sleeps) as client:
        yield client
