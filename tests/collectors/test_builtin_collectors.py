"""The built-in collector table: names, order, selection and the shared settings."""

from __future__ import annotations

from pathlib import Path

import pytest

import eidos.collectors as collectors
from eidos.collectors import Collector, CollectorSettings, HostPaths, builtin_collectors
from eidos.collectors.gpu import GpuCollector
from eidos.collectors.os import OsCollector
from eidos.collectors.systemd import SystemdCollector
from eidos.errors import InvalidRequestError


def test_exports():
    assert set(collectors.__all__) == {
        "BUILTIN",
        "DEFAULT_SYSTEMD_UNITS",
        "Collector",
        "CollectorCancelled",
        "CollectorSettings",
        "CommandResult",
        "CommandRunner",
        "HostPaths",
        "SubprocessRunner",
        "builtin_collectors",
    }


def test_default_table_is_in_snapshot_order_and_satisfies_the_protocol():
    built = builtin_collectors(CollectorSettings())
    assert [c.name for c in built] == list(collectors.BUILTIN) == ["systemd", "os", "k8s", "gpu"]
    assert [type(c) for c in built if c.name != "k8s"] == [
        SystemdCollector,
        OsCollector,
        GpuCollector,
    ]
    assert all(isinstance(c, Collector) for c in built)


def test_settings_reach_the_collectors():
    settings = CollectorSettings(
        host=HostPaths(root=Path("/host")),
        systemd_units=("a.service",),
        timeout=7,
        nvidia_smi="/opt/bin/nvidia-smi",
    )
    systemd, os_, gpu = builtin_collectors(settings, ["systemd", "os", "gpu"])
    assert systemd.units == ("a.service",) and systemd.timeout == 7
    assert systemd.host.root == os_.host.root == "/host"
    assert gpu.executable == "/opt/bin/nvidia-smi" and gpu.timeout == 7
    assert gpu.runner is settings.runner


def test_selection_keeps_table_order_and_ignores_case():
    built = builtin_collectors(CollectorSettings(), ["GPU", " os "])
    assert [c.name for c in built] == ["os", "gpu"]


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (
            ["gpu", "disk", "net"],
            "unknown collector 'disk', 'net'; valid collectors: systemd, os, k8s, gpu",
        ),
        ([], "no collector selected; valid collectors: systemd, os, k8s, gpu"),
    ],
)
def test_unknown_names_list_the_valid_ones(names, message):
    with pytest.raises(InvalidRequestError) as info:
        builtin_collectors(CollectorSettings(), names)
    assert info.value.message == message
