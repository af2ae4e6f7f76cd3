"""SystemD collector against a fake systemd on a private dbus-daemon and on a private socket."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from eidos.collectors import HostPaths
from eidos.collectors._dbus import escape_path_label
from eidos.collectors._gofmt import go_float, split_signature
from eidos.collectors.systemd import SystemdCollector, to_reading, unit_object_path
from eidos.errors import CollectorError

EXEC_START = [
    (
        "/usr/bin/containerd",
        ["/usr/bin/containerd"],
        False,
        1754471111884832,
        240758742,
        0,
        0,
        38444,
        0,
        0,
    )
]

#: property -> (D-Bus signature, value), as systemd would send it.
CONTAINERD = {
    "ActiveState": ("s", "active"),
    "LoadState": ("s", "loaded"),
    "Delegate": ("b", True),
    "LimitNOFILE": ("t", 18446744073709551615),
    "MemoryCurrent": ("t", 469335220224),
    "CPUQuotaPerSecUSec": ("t", 18446744073709551615),
    "OOMScoreAdjust": ("i", -999),
    "ExecMainPID": ("u", 38444),
    "UMask": ("u", 18),
    "IOSchedulingClass": ("i", 2),
    "StandardInput": ("s", "null"),
    "Slice": ("s", "system.slice"),
    "ControlGroupPath": ("o", "/org/freedesktop/systemd1/unit/system_2eslice"),
    "After": ("as", ["network.target", "local-fs.target", "dbus.service"]),
    "Environment": ("as", []),
    "AppArmorProfile": ("(bs)", (False, "")),
    "ExecStart": ("a(sasbttttuii)", EXEC_START),
    "InvocationID": ("ay", bytes([93, 102, 166, 93])),
    "Job": ("(uo)", (0, "/")),
    "LoadError": ("(ss)", ("", "")),
    "TestByte": ("y", 7),
    "TestInt16": ("n", -3),
    "TestUint16": ("q", 65535),
    "TestInt64": ("x", -9223372036854775808),
    "TestDouble": ("d", 0.5),
    "TestVariant": ("v", ("t", 5)),
    "TestMap": ("a{sv}", {"b": ("i", 1), "a": ("as", ["x", "y"])}),
    "Id": ("s", "containerd.service"),
    "BusName": ("s", ""),
    "AllowedCPUs": ("ay", b""),
    "AllowedMemoryNodes": ("ay", b""),
    "Asserts": ("a(sbbsi)", []),
    "BPFProgram": ("a(ss)", []),
    "LoadCredential": ("a(ss)", [("token", "/secret")]),
    "SetCredentialEncrypted": ("a(say)", []),
}

EXPECTED = {
    "ActiveState": "active",
    "LoadState": "loaded",
    "Delegate": True,
    "LimitNOFILE": 18446744073709551615,
    "MemoryCurrent": 469335220224,
    "CPUQuotaPerSecUSec": 18446744073709551615,
    "OOMScoreAdjust": "-999",
    "ExecMainPID": "38444",
    "UMask": "18",
    "IOSchedulingClass": "2",
    "StandardInput": "null",
    "Slice": "system.slice",
    "ControlGroupPath": "/org/freedesktop/systemd1/unit/system_2eslice",
    "After": "[network.target local-fs.target dbus.service]",
    "Environment": "[]",
    "AppArmorProfile": "[false ]",
    "ExecStart": "[[/usr/bin/containerd [/usr/bin/containerd] false 1754471111884832 240758742 "
    "0 0 38444 0 0]]",
    "InvocationID": "[93 102 166 93]",
    "Job": "[0 /]",
    "LoadError": "[ ]",
    "TestByte": "7",
    "TestInt16": "-3",
    "TestUint16": "65535",
    "TestInt64": -9223372036854775808,
    "TestDouble": 0.5,
    "TestVariant": 5,
    "TestMap": "map[a:[x y] b:1]",
}


def _typed(data):
    return {k: (type(v), v) for k, v in data.items()}


async def test_system_bus_units_are_typed_by_signature_and_filtered(
    systemd_on_bus, fake_systemd, monkeypatch, tmp_path
):
    fake = fake_systemd({"containerd.service": CONTAINERD})
    monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", await systemd_on_bus(fake))
    measurement = await SystemdCollector(host=HostPaths(root=tmp_path), timeout=5).collect()
    assert measurement.type == "SystemD"
    assert [s.name for s in measurement.subtypes] == [
        "containerd.service",
        "docker.service",
        "kubelet.service",
    ]
    assert _typed(measurement.subtypes[0].data) == _typed(EXPECTED)
    assert fake.calls == [
        "GetAll /org/freedesktop/systemd1/unit/containerd_2eservice",
        "GetAll /org/freedesktop/systemd1/unit/docker_2eservice",
        "GetAll /org/freedesktop/systemd1/unit/kubelet_2eservice",
    ]


async def test_missing_units_are_reported_as_systemd_reports_them(
    systemd_on_bus, fake_systemd, monkeypatch
):
    monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", await systemd_on_bus(fake_systemd({})))
    measurement = await SystemdCollector(["docker.service"], timeout=5).collect()
    assert measurement.subtypes[0].data == {
        "LoadState": "not-found",
        "ActiveState": "inactive",
        "LoadError": "[org.freedesktop.systemd1.NoSuchUnit Unit docker.service not found.]",
    }


async def test_private_socket_under_the_host_root_is_the_fallback(
    systemd_private, fake_systemd, monkeypatch
):
    monkeypatch.delenv("DBUS_SYSTEM_BUS_ADDRESS", raising=False)
    fake = fake_systemd(
        {"kubelet.service": {"ActiveState": ("s", "active"), "NRestarts": ("u", 3)}}
    )
    root = await systemd_private(fake)
    collector = SystemdCollector(["kubelet.service"], host=HostPaths(root=root), timeout=5)
    assert collector.addresses() == [
        (f"unix:path={root}/run/dbus/system_bus_socket", True),
        (f"unix:path={root}/run/systemd/private", False),
    ]
    measurement = await collector.collect()
    assert measurement.subtypes[0].data == {"ActiveState": "active", "NRestarts": "3"}


async def test_a_bus_without_systemd_falls_back_then_warns(system_bus, monkeypatch, tmp_path, logs):
    monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", system_bus)
    measurement = await SystemdCollector(host=HostPaths(root=tmp_path), timeout=5).collect()
    assert measurement.type == "SystemD" and measurement.subtypes == []
    text = logs.getvalue()
    assert "systemd is not reachable" in text
    assert "org.freedesktop.DBus.Error.ServiceUnknown" in text
    assert f"{tmp_path}/run/systemd/private (No such file or directory)" in text


async def test_no_bus_and_no_systemd_is_an_empty_measurement(monkeypatch, tmp_path, logs):
    monkeypatch.delenv("DBUS_SYSTEM_BUS_ADDRESS", raising=False)
    measurement = await SystemdCollector(host=HostPaths(root=tmp_path), timeout=5).collect()
    assert measurement.subtypes == []
    assert "systemd is not reachable; the SystemD measurement is empty" in logs.getvalue()


async def test_a_systemd_that_stops_answering_is_a_timeout_error(
    systemd_private, fake_systemd, monkeypatch
):
    monkeypatch.delenv("DBUS_SYSTEM_BUS_ADDRESS", raising=False)
    root = await systemd_private(fake_systemd({}, hang=True))
    collector = SystemdCollector(["kubelet.service"], host=HostPaths(root=root), timeout=0.3)
    with pytest.raises(CollectorError, match=r"kubelet\.service: timed out"):
        await asyncio.wait_for(collector.collect(), 5)


async def test_a_dbus_error_reply_is_a_collector_error(systemd_private, fake_systemd, monkeypatch):
    monkeypatch.delenv("DBUS_SYSTEM_BUS_ADDRESS", raising=False)
    root = await systemd_private(
        fake_systemd({}, error=("org.freedesktop.DBus.Error.AccessDenied", "nope"))
    )
    collector = SystemdCollector(["kubelet.service"], host=HostPaths(root=root), timeout=5)
    with pytest.raises(CollectorError, match="AccessDenied: nope"):
        await collector.collect()


@pytest.mark.parametrize(
    ("name", "label"),
    [
        ("containerd.service", "containerd_2eservice"),
        ("kubelet.service", "kubelet_2eservice"),
        ("systemd-journald.service", "systemd_2djournald_2eservice"),
        ("1password.service", "_31password_2eservice"),
        ("", "_"),
        ("getty@tty1.service", "getty_40tty1_2eservice"),
    ],
)
def test_unit_names_are_escaped_like_systemd(name, label):
    assert escape_path_label(name) == label


def test_unit_object_path():
    assert unit_object_path("docker.service") == "/org/freedesktop/systemd1/unit/docker_2eservice"


@pytest.mark.parametrize(
    ("signature", "value", "expected"),
    [
        ("t", 1, 1),
        ("x", -1, -1),
        ("b", False, False),
        ("d", 2.0, 2.0),
        ("s", "a", "a"),
        ("o", "/", "/"),
        ("y", 255, "255"),
        ("n", -5, "-5"),
        ("q", 5, "5"),
        ("i", -1, "-1"),
        ("u", 4294967295, "4294967295"),
        ("h", 3, "3"),
        ("as", ["a", ""], "[a ]"),
        ("aay", [b"\x01", b""], "[[1] []]"),
        ("a{ss}", {"z": "1", "a": "2"}, "map[a:2 z:1]"),
        ("a(sad)", [("x", [1.5, 1e6])], "[[x [1.5 1e+06]]]"),
        ("(tb)", (1, True), "[1 true]"),
    ],
)
def test_readings_follow_the_dbus_signature(signature, value, expected):
    reading = to_reading(signature, value)
    assert (type(reading), reading) == (type(expected), expected)


def test_go_float_and_signature_helpers():
    assert [go_float(v) for v in (0.5, 8.0, 1e6, 123456.5, 1e-5, -0.0, float("inf"))] == [
        "0.5",
        "8",
        "1e+06",
        "123456.5",
        "1e-05",
        "-0",
        "+Inf",
    ]
    assert split_signature("sa{sv}(ii)a(sasb)") == ["s", "a{sv}", "(ii)", "a(sasb)"]
    with pytest.raises(ValueError):
        split_signature("(ii")


def test_default_units_are_the_reference_list():
    assert SystemdCollector().units == ("containerd.service", "docker.service", "kubelet.service")
    assert SystemdCollector([]).units == ("containerd.service",)


async def test_private_socket_paths_come_from_the_host_root():
    collector = SystemdCollector(host=HostPaths(root=Path("/host")))
    assert collector.addresses()[1] == ("unix:path=/host/run/systemd/private", False)


async def test_cli_systemd_units_option_picks_the_units(systemd_on_bus, fake_systemd, tmp_path):
    import json
    import os
    import sys

    address = await systemd_on_bus(fake_systemd({"a.service": {"ActiveState": ("s", "active")}}))
    env = {**os.environ, "DBUS_SYSTEM_BUS_ADDRESS": address, "HOME": str(tmp_path)}
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "eidos",
        "snapshot",
        "--collectors",
        "systemd",
        "-t",
        "json",
        "--systemd-units",
        "a.service,b.service",
        "--systemd-units",
        "c.service",
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
    )
    out, err = await asyncio.wait_for(proc.communicate(), 30)
    assert proc.returncode == 0, err.decode()
    (systemd,) = json.loads(out)["measurements"]
    assert [(s["subtype"], s["data"]["ActiveState"]) for s in systemd["subtypes"]] == [
        ("a.service", "active"),
        ("b.service", "inactive"),
        ("c.service", "inactive"),
    ]


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (b"REJECTED EXTERNAL\r\n", "D-Bus authentication failed"),
        (b"", "the peer closed the socket during authentication"),
    ],
    ids=["rejected", "closed"],
)
async def test_failed_authentication_counts_as_unreachable(
    tmp_path, monkeypatch, logs, reply, reason
):
    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        await reader.readuntil(b"\r\n")
        writer.write(reply)
        await writer.drain()
        writer.close()

    sock = tmp_path / "run/systemd/private"
    sock.parent.mkdir(parents=True)
    server = await asyncio.start_unix_server(handle, path=str(sock))
    monkeypatch.delenv("DBUS_SYSTEM_BUS_ADDRESS", raising=False)
    async with server:
        measurement = await SystemdCollector(host=HostPaths(root=tmp_path), timeout=5).collect()
    assert measurement.subtypes == []
    assert reason in logs.getvalue()


async def test_an_unsupported_bus_address_is_reported_and_skipped(monkeypatch, tmp_path, logs):
    monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", "tcp:host=localhost,port=1")
    measurement = await SystemdCollector(host=HostPaths(root=tmp_path), timeout=5).collect()
    assert measurement.subtypes == []
    assert "unsupported D-Bus address 'tcp:host=localhost,port=1'" in logs.getvalue()
