"""take_snapshot: concurrency, ordering, timeouts, fail-fast and best-effort, metadata."""

from __future__ import annotations

import os
import re
import threading
import time
from pathlib import Path

import pytest

from eidos.collectors import (
    CollectorCancelled,
    CollectorSettings,
    HostPaths,
    builtin_collectors,
)
from eidos.errors import CollectorError, UnavailableError
from eidos.model import Measurement, Subtype
from eidos.snapshotter import INCOMPLETE_KEY, source_node, take_snapshot

HOSTS = Path(__file__).parent / "fixtures" / "hosts"


class Fake:
    """A collector that returns after ``delay`` seconds (or at ``stop``), or raises ``error``."""

    def __init__(
        self,
        name: str,
        mtype: str,
        *,
        delay: float = 0.0,
        error: Exception | None = None,
        barrier: threading.Barrier | None = None,
        obey_stop: bool = True,
    ) -> None:
        self.name = name
        self.mtype = mtype
        self.delay = delay
        self.error = error
        self.barrier = barrier
        self.obey_stop = obey_stop
        self.cancelled = False

    def collect(self, *, stop: threading.Event) -> Measurement:
        if self.barrier is not None:
            self.barrier.wait(timeout=5)
        if self.delay and self.obey_stop and stop.wait(self.delay):
            self.cancelled = True
            raise CollectorCancelled
        if self.delay and not self.obey_stop:
            time.sleep(self.delay)
        if self.error is not None:
            raise self.error
        return Measurement(self.mtype, [Subtype(self.name, {"ok": True})])


def test_collectors_run_concurrently_and_come_out_in_reference_order():
    barrier = threading.Barrier(4)  # every collector must be running at once to pass
    fakes = [
        Fake("gpu", "GPU", barrier=barrier),
        Fake("k8s", "K8s", barrier=barrier),
        Fake("os", "OS", delay=0.02, barrier=barrier),
        Fake("sd", "SystemD", barrier=barrier),
    ]
    snap = take_snapshot(fakes, version="1.2.3", node="n1", timeout=10)
    assert [m.type for m in snap.measurements] == ["SystemD", "OS", "K8s", "GPU"]


def test_metadata_has_timestamp_version_and_node():
    snap = take_snapshot([Fake("os", "OS")], version="0.8.12", node="node-a")
    assert snap.header.kind == "Snapshot"
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ", snap.metadata["snapshot-timestamp"])
    assert snap.metadata["snapshot-version"] == "0.8.12"
    assert snap.metadata["source-node"] == "node-a"
    assert INCOMPLETE_KEY not in snap.metadata
    assert "snapshot-version" not in take_snapshot([], version="", node="").metadata


def test_unknown_measurement_types_go_last_in_list_order():
    fakes = [Fake("b", "Zeta"), Fake("a", "Alpha"), Fake("gpu", "GPU")]
    snap = take_snapshot(fakes, version="v", node="n")
    assert [m.type for m in snap.measurements] == ["GPU", "Zeta", "Alpha"]


def test_fail_fast_cancels_the_rest_and_names_the_collector():
    slow = Fake("slow", "OS", delay=10)
    bad = Fake("gpu", "GPU", error=CollectorError("nvidia-smi exited with status 15"))
    with pytest.raises(CollectorError) as info:
        take_snapshot([slow, bad], version="v", node="n")
    assert info.value.message == "collector 'gpu' failed: nvidia-smi exited with status 15"
    assert info.value.details == {"failed": ["gpu"]}
    assert slow.cancelled


def test_a_more_specific_error_keeps_its_class_and_exit_code():
    bad = Fake("k8s", "K8s", error=UnavailableError("cannot reach the API server"))
    with pytest.raises(UnavailableError, match="collector 'k8s' failed: cannot reach"):
        take_snapshot([bad], version="v", node="n")


def test_unexpected_exceptions_are_collector_errors_naming_the_collector():
    bad = Fake("os", "OS", error=KeyError("boom"))
    with pytest.raises(CollectorError, match="collector 'os' failed: KeyError: 'boom'"):
        take_snapshot([bad], version="v", node="n")


def test_simultaneous_failures_are_all_named():
    both = threading.Barrier(2)  # both fail before either can see the other's failure
    fakes = [
        Fake("os", "OS", error=CollectorError("a"), barrier=both),
        Fake("gpu", "GPU", error=CollectorError("b"), barrier=both),
    ]
    with pytest.raises(CollectorError) as info:
        take_snapshot(fakes, version="v", node="n")
    assert info.value.message == "collectors 'os', 'gpu' failed: os: a; gpu: b"


def test_a_collector_past_its_timeout_fails_the_snapshot():
    slow = Fake("os", "OS", delay=10)
    with pytest.raises(CollectorError, match=r"collector 'os' failed: timed out after 0\.05s"):
        take_snapshot([slow], version="v", node="n", timeout=0.05)
    assert slow.cancelled  # told to stop, so it could kill what it had started


def test_a_collector_that_ignores_stop_is_left_behind_not_waited_for():
    stubborn = Fake("os", "OS", delay=30, obey_stop=False)
    started = time.monotonic()
    with pytest.raises(CollectorError, match=r"timed out after 0\.05s"):
        take_snapshot([stubborn], version="v", node="n", timeout=0.05)
    assert time.monotonic() - started < 10  # the grace period, not the collector's 30 s


def test_best_effort_keeps_what_succeeded_and_marks_the_snapshot_incomplete():
    fakes = [
        Fake("systemd", "SystemD", delay=10),
        Fake("os", "OS"),
        Fake("gpu", "GPU", error=CollectorError("garbage")),
    ]
    snap = take_snapshot(fakes, version="v", node="n", timeout=0.05, best_effort=True)
    assert [m.type for m in snap.measurements] == ["OS"]
    assert snap.metadata[INCOMPLETE_KEY] == "systemd,gpu"


def test_best_effort_with_every_collector_failing_is_an_empty_snapshot():
    snap = take_snapshot(
        [Fake("os", "OS", error=OSError("x"))], version="v", node="n", best_effort=True
    )
    assert snap.measurements == [] and snap.metadata[INCOMPLETE_KEY] == "os"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"NODE_NAME": "a", "KUBERNETES_NODE_NAME": "b", "HOSTNAME": "c"}, "a"),
        ({"NODE_NAME": " ", "KUBERNETES_NODE_NAME": "b", "HOSTNAME": "c"}, "b"),
        ({"HOSTNAME": "c"}, "c"),
        ({}, os.uname().nodename),
    ],
)
def test_source_node_precedence(monkeypatch, env, expected):
    for name in ("NODE_NAME", "KUBERNETES_NODE_NAME", "HOSTNAME"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    assert source_node() == expected


def test_node_defaults_to_the_environment(monkeypatch):
    monkeypatch.setenv("NODE_NAME", "from-env")
    snap = take_snapshot([], version="v")
    assert snap.metadata["source-node"] == "from-env"


def test_fixture_host_snapshot_with_builtin_collectors(tmp_path, monkeypatch):
    xml = Path(__file__).parent / "fixtures/reference/snapshots/nvidia-smi-q-x.xml"
    smi = tmp_path / "nvidia-smi"
    smi.write_text(f"#!/bin/sh\nexec cat {xml}\n")
    smi.chmod(0o755)
    monkeypatch.delenv("DBUS_SYSTEM_BUS_ADDRESS", raising=False)
    settings = CollectorSettings(
        host=HostPaths(root=(HOSTS / "h100").absolute()), nvidia_smi=str(smi)
    )
    collectors = builtin_collectors(settings, ["systemd", "os", "gpu"])
    snap = take_snapshot(collectors, version="v", node="n")
    assert [(m.type, len(m.subtypes)) for m in snap.measurements] == [
        ("SystemD", 0),
        ("OS", 4),
        ("GPU", 9),
    ]
