"""SystemD collector against a fake systemd on a private dbus-daemon and on a private socket."""

from __future__ import annotations

import socket
import threading
from pathlib import Path
from threading import Event

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eidos.collectors import HostPaths
from eidos.collectors._gofmt import go_float, split_signature
from eidos.collectors.systemd import (
    SystemdCollector,
    escape_path_label,
    to_reading,
    unit_object_path,
)
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


def test_system_bus_units_are_typed_by_signature_and_filtered(
    systemd_on_bus, fake_systemd, monkeypatch, tmp_path
):
    fake = fake_systemd({"containerd.service": CONTAINERD})
    monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", systemd_on_bus(fake))
    measurement = SystemdCollector(host=HostPaths(root=tmp_path), timeout=5).collect(stop=Event())
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


def test_missing_units_are_reported_as_systemd_reports_them(
    systemd_on_bus, fake_systemd, monkeypatch
):
    monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", systemd_on_bus(fake_systemd({})))
    measurement = SystemdCollector(["docker.service"], timeout=5).collect(stop=Event())
    assert measurement.subtypes[0].data == {
        "LoadState": "not-found",
        "ActiveState": "inactive",
        "LoadError": "[org.freedesktop.systemd1.NoSuchUnit Unit docker.service not found.]",
    }


def test_private_socket_under_the_host_root_is_the_fallback(
    systemd_private, fake_systemd, monkeypatch
):
    monkeypatch.delenv("DBUS_SYSTEM_BUS_ADDRESS", raising=False)
    fake = fake_systemd(
        {"kubelet.service": {"ActiveState": ("s", "active"), "NRestarts": ("u", 3)}}
    )
    root = systemd_private(fake)
    collector = SystemdCollector(["kubelet.service"], host=HostPaths(root=root), timeout=5)
    assert collector.addresses() == [
        (f"unix:path={root}/run/dbus/system_bus_socket", True),
        (f"unix:path={root}/run/systemd/private", False),
    ]
    measurement = collector.collect(stop=Event())
    assert measurement.subtypes[0].data == {"ActiveState": "active", "NRestarts": "3"}


def test_a_bus_without_systemd_falls_back_then_warns(system_bus, monkeypatch, tmp_path, logs):
    monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", system_bus)
    measurement = SystemdCollector(host=HostPaths(root=tmp_path), timeout=5).collect(stop=Event())
    assert measurement.type == "SystemD" and measurement.subtypes == []
    text = logs.getvalue()
    assert "systemd is not reachable" in text
    assert "org.freedesktop.DBus.Error.ServiceUnknown" in text
    assert f"{tmp_path}/run/systemd/private (No such file or directory)" in text


def test_a_bus_that_fails_to_start_systemd_counts_as_no_systemd(
    bus_without_systemd, monkeypatch, tmp_path, logs
):
    # A host with a system bus but no systemd (container, WSL, OpenRC): the bus tries to
    # activate org.freedesktop.systemd1 and answers Spawn.ChildExited. Not a failure.
    monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", bus_without_systemd)
    measurement = SystemdCollector(host=HostPaths(root=tmp_path), timeout=5).collect(stop=Event())
    assert measurement.type == "SystemD" and measurement.subtypes == []
    text = logs.getvalue()
    assert "systemd is not reachable; the SystemD measurement is empty" in text
    assert "org.freedesktop.DBus.Error.Spawn.ChildExited" in text


def test_no_bus_and_no_systemd_is_an_empty_measurement(monkeypatch, tmp_path, logs):
    monkeypatch.delenv("DBUS_SYSTEM_BUS_ADDRESS", raising=False)
    measurement = SystemdCollector(host=HostPaths(root=tmp_path), timeout=5).collect(stop=Event())
    assert measurement.subtypes == []
    assert "systemd is not reachable; the SystemD measurement is empty" in logs.getvalue()


def test_a_systemd_that_stops_answering_is_a_timeout_error(
    systemd_private, fake_systemd, monkeypatch
):
    monkeypatch.delenv("DBUS_SYSTEM_BUS_ADDRESS", raising=False)
    root = systemd_private(fake_systemd({}, hang=True))
    collector = SystemdCollector(["kubelet.service"], host=HostPaths(root=root), timeout=0.3)
    with pytest.raises(CollectorError, match=r"kubelet\.service: timed out"):
        collector.collect(stop=Event())


def test_a_dbus_error_reply_is_a_collector_error(systemd_private, fake_systemd, monkeypatch):
    monkeypatch.delenv("DBUS_SYSTEM_BUS_ADDRESS", raising=False)
    root = systemd_private(
        fake_systemd({}, error=("org.freedesktop.DBus.Error.AccessDenied", "nope"))
    )
    collector = SystemdCollector(["kubelet.service"], host=HostPaths(root=root), timeout=5)
    with pytest.raises(CollectorError, match="AccessDenied: nope"):
        collector.collect(stop=Event())


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


def test_private_socket_paths_come_from_the_host_root():
    collector = SystemdCollector(host=HostPaths(root=Path("/host")))
    assert collector.addresses()[1] == ("unix:path=/host/run/systemd/private", False)


def test_cli_systemd_units_option_picks_the_units(systemd_on_bus, fake_systemd, tmp_path):
    import json
    import os
    import subprocess
    import sys

    address = systemd_on_bus(fake_systemd({"a.service": {"ActiveState": ("s", "active")}}))
    env = {**os.environ, "DBUS_SYSTEM_BUS_ADDRESS": address, "HOME": str(tmp_path)}
    proc = subprocess.run(
        [
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
        ],
        env=env,
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert proc.returncode == 0, proc.stderr
    (systemd,) = json.loads(proc.stdout)["measurements"]
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
def test_failed_authentication_counts_as_unreachable(tmp_path, monkeypatch, logs, reply, reason):
    sock_path = tmp_path / "run/systemd/private"
    sock_path.parent.mkdir(parents=True)
    server = socket.socket(socket.AF_UNIX)
    server.bind(str(sock_path))
    server.listen()

    def answer_once() -> None:
        conn, _ = server.accept()
        with conn:
            conn.recv(1024)
            conn.sendall(reply)

    thread = threading.Thread(target=answer_once, daemon=True)
    thread.start()
    monkeypatch.delenv("DBUS_SYSTEM_BUS_ADDRESS", raising=False)
    try:
        collector = SystemdCollector(host=HostPaths(root=tmp_path), timeout=5)
        measurement = collector.collect(stop=Event())
    finally:
        thread.join(5)
        server.close()
    assert measurement.subtypes == []
    assert reason in logs.getvalue()


def test_an_unsupported_bus_address_is_reported_and_skipped(monkeypatch, tmp_path, logs):
    monkeypatch.setenv("DBUS_SYSTEM_BUS_ADDRESS", "tcp:host=localhost,port=1")
    measurement = SystemdCollector(host=HostPaths(root=tmp_path), timeout=5).collect(stop=Event())
    assert measurement.subtypes == []
    assert "unsupported D-Bus address 'tcp:host=localhost,port=1'" in logs.getvalue()


def _go_float_oracle(value: float) -> str:
    """The earlier Decimal-based formatting, kept as the oracle for the property test."""
    from decimal import Decimal

    sign, digits, exponent = Decimal(repr(value)).normalize().as_tuple()
    assert isinstance(exponent, int)
    text = "".join(map(str, digits))
    exp = len(text) + exponent - 1
    prefix = "-" if sign else ""
    if exp < -4 or exp >= 6:
        mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
        return f"{prefix}{mantissa}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    return prefix + format(Decimal(repr(abs(value))), "f").rstrip("0").rstrip(".")


@given(st.floats(allow_nan=False, allow_infinity=False).filter(lambda v: v != 0))
def test_go_float_matches_go_formatting_for_every_float(value):
    assert go_float(value) == _go_float_oracle(value)
