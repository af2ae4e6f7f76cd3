"""In-process snapshot benchmarks (run by `make bench`; skipped in the normal suite).

The fixture-tree case runs the OS, SystemD and GPU collectors together: the h100 host
tree, a fake systemd answering on ``<root>/run/systemd/private`` (three units of 372
properties, like the reference node) and a fake ``nvidia-smi`` printing the 8-GPU XML.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from eidos import logging as elog
from eidos.collectors import CollectorSettings, HostPaths, builtin_collectors
from eidos.collectors._smi import parse_smi
from eidos.collectors.os.sysctl import read_sysctl
from eidos.model import Snapshot
from eidos.snapshotter import take_snapshot

FIXTURES = Path(__file__).parents[1] / "fixtures"
SMI_XML = FIXTURES / "reference/snapshots/nvidia-smi-q-x.xml"


#: A fake systemd in its own process (as the real one is): answers every GetAll on
#: the private socket with the reference containerd unit's 372 properties.
FAKE_SYSTEMD = """
import socket, sys
from jeepney import MessageType, Parser, new_method_return
from eidos.model import Snapshot
from eidos.serializer import loads

unit = Snapshot.from_dict(loads(open(sys.argv[2]).read())).measurement("SystemD").subtypes[0]
props = {}
for key, value in unit.data.items():
    if isinstance(value, bool):
        props[key] = ("b", value)
    elif isinstance(value, int):
        props[key] = ("t", value) if value >= 0 else ("x", value)
    else:
        props[key] = ("s", value)
server = socket.socket(socket.AF_UNIX)
server.bind(sys.argv[1])
server.listen()
print("ready", flush=True)
while True:
    conn, _ = server.accept()
    with conn:
        buffered = b""
        while b"BEGIN\\r\\n" not in buffered:
            if b"AUTH" in buffered and b"OK" not in buffered:
                conn.sendall(b"OK 0123456789abcdef0123456789abcdef\\r\\n")
                buffered += b"OK"
            data = conn.recv(1024)
            if not data:
                break
            buffered += data
        parser, serial, reply = Parser(), 0, None
        parser.add_data(buffered.split(b"BEGIN\\r\\n", 1)[-1])
        while True:
            while (msg := parser.get_next_message()) is not None:
                if msg.header.message_type is MessageType.method_call:
                    # systemd answers in well under a millisecond; jeepney needs ~5 ms to
                    # serialise 372 properties, so serialise once and patch the serials.
                    if reply is None:
                        reply = bytearray(new_method_return(msg, "a{sv}", (props,)).serialise(1))
                        assert reply[0:1] == b"l" and reply[16] == 5  # reply_serial first
                    serial += 1
                    reply[8:12] = serial.to_bytes(4, "little")
                    reply[20:24] = msg.header.serial.to_bytes(4, "little")
                    conn.sendall(reply)
            data = conn.recv(65536)
            if not data:
                break
            parser.add_data(data)
"""


@pytest.fixture(scope="module")
def fake_node(tmp_path_factory: pytest.TempPathFactory) -> Iterator[CollectorSettings]:
    root = tmp_path_factory.mktemp("node") / "host"
    shutil.copytree(FIXTURES / "hosts/h100", root, symlinks=True)
    (root / "run/systemd").mkdir(parents=True)
    server = subprocess.Popen(
        [
            sys.executable,
            "-c",
            FAKE_SYSTEMD,
            str(root / "run/systemd/private"),
            str(FIXTURES / "reference/snapshots/h100.yaml"),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert server.stdout is not None and server.stdout.readline() == "ready\n"
    smi = root.parent / "nvidia-smi"
    smi.write_text(f"#!/bin/sh\nexec cat {SMI_XML}\n")
    smi.chmod(0o755)
    yield CollectorSettings(host=HostPaths(root=root), nvidia_smi=str(smi))
    server.kill()
    server.wait()
    server.stdout.close()


def test_bench_snapshot_fixture_node_os_systemd_gpu(benchmark, fake_node, monkeypatch):
    monkeypatch.delenv("DBUS_SYSTEM_BUS_ADDRESS", raising=False)
    elog.configure("error")
    collectors = builtin_collectors(fake_node, ["systemd", "os", "gpu"])

    def snapshot() -> Snapshot:
        return take_snapshot(collectors, version="bench", node="n")

    snap = benchmark(snapshot)
    elog.configure("warning")
    counts = {m.type: sum(len(s.data) for s in m.subtypes) for m in snap.measurements}
    benchmark.extra_info["readings"] = counts
    assert counts["SystemD"] == 3 * 372  # the reference unit (already without "Id")
    assert [len(m.subtypes) for m in snap.measurements] == [3, 4, 9]


def test_bench_sysctl_walk_real_proc_sys(benchmark):
    subtype = benchmark(read_sysctl, "/proc")
    benchmark.extra_info["keys"] = len(subtype.data)
    assert subtype.data


def test_bench_sysctl_walk_fixture_tree(benchmark):
    subtype = benchmark(read_sysctl, str(FIXTURES / "hosts/h100/proc"))
    benchmark.extra_info["keys"] = len(subtype.data)
    assert len(subtype.data) == 281  # 311 in the reference, less what is not configuration


def test_bench_parse_nvidia_smi_xml(benchmark):
    xml = SMI_XML.read_bytes()
    subtypes = benchmark(parse_smi, xml)
    assert len(subtypes) == 9
