"""OS collector: grub, sysctl, kmod and release read from a host tree."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from eidos.collectors import HostPaths
from eidos.collectors.os import OsCollector
from eidos.collectors.os.sysctl import expand_entry, read_sysctl
from eidos.errors import CollectorError


async def test_h100_host_tree_reproduces_the_reference_os_measurement(h100_host, h100_reference):
    measurement = await OsCollector(h100_host).collect()
    reference = h100_reference.measurement("OS")
    assert [s.name for s in measurement.subtypes] == ["grub", "sysctl", "kmod", "release"]
    for mine, theirs in zip(measurement.subtypes, reference.subtypes, strict=True):
        assert mine.data == theirs.data, mine.name
        assert {type(v) for v in mine.data.values()} == {type(v) for v in theirs.data.values()}
    assert measurement == reference


async def test_sysctl_keys_are_host_paths_and_skip_net_cdrom_and_symlinks(h100_host):
    data = (await OsCollector(h100_host).collect()).subtype("sysctl").data
    assert data["/proc/sys/kernel/osrelease"] == "6.8.0-1024-aws"
    assert all(key.startswith("/proc/sys/") for key in data)
    assert not [k for k in data if k.startswith(("/proc/sys/net", "/proc/sys/dev/cdrom"))]
    assert (h100_host.root / "proc/sys/kernel/leak").is_symlink()
    assert "/proc/sys/kernel/leak" not in data
    assert not [v for v in data.values() if "root:" in str(v)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("60\n", {"k": "60"}),
        ("4\t4\t1\t7\n", {"k": "4\t4\t1\t7"}),
        ("a  b   c\n", {"k": "a  b   c"}),
        ("", {"k": ""}),
        ("#1 SMP PREEMPT\n", {"k": ""}),
        ("tcp 1048576\nudp 32768\n", {"k/tcp": "1048576", "k/udp": "32768"}),
        ("tcp 1 2\n\nudp  3\n", {"k/tcp": "1 2", "k/udp": "3"}),
        ("tcp 1\nalone\nudp 2\n", {"k/tcp": "1", "k": "tcp 1\nalone\nudp 2"}),
        ("one\ntwo\n", {"k": "one\ntwo"}),
    ],
    ids=[
        "single",
        "tabs-kept",
        "spaces-kept",
        "empty",
        "comment-only",
        "expanded",
        "expanded-joined",
        "partial-expansion",
        "plain-multiline",
    ],
)
def test_sysctl_entry_expansion(text, expected):
    assert expand_entry("k", text) == expected


def test_unreadable_entries_are_skipped_without_stopping_the_walk(tmp_path):
    sys_dir = tmp_path / "proc/sys"
    (sys_dir / "vm").mkdir(parents=True)
    (sys_dir / "vm/swappiness").write_text("60\n")
    (sys_dir / "vm/big").write_bytes(b"1" * ((1 << 20) + 1))
    (sys_dir / "vm/binary").write_bytes(b"\xff\xfe\n")
    os.mkfifo(sys_dir / "vm/fifo")
    (sys_dir / "vm/loop").symlink_to("/")
    (sys_dir / "zz").mkdir()
    (sys_dir / "zz/last").write_text("ok\n")
    data = read_sysctl(tmp_path).data
    assert data == {"/proc/sys/vm/swappiness": "60", "/proc/sys/zz/last": "ok"}


def test_a_symlinked_proc_sys_directory_is_not_followed_out_of_the_root(tmp_path):
    (tmp_path / "proc/sys").mkdir(parents=True)
    (tmp_path / "proc/sys/kernel").symlink_to("/proc/sys/kernel")
    assert read_sysctl(tmp_path).data == {}


async def test_a_missing_kernel_command_line_fails_and_names_the_host_root(tmp_path):
    (tmp_path / "proc/sys").mkdir(parents=True)
    with pytest.raises(CollectorError) as info:
        await OsCollector(HostPaths(root=tmp_path)).collect()
    assert "/proc/cmdline does not exist under host root" in info.value.message


async def test_missing_modules_and_os_release_leave_those_subtypes_out(tmp_path, logs):
    (tmp_path / "proc/sys/vm").mkdir(parents=True)
    (tmp_path / "proc/sys/vm/swappiness").write_text("60\n")
    (tmp_path / "proc/cmdline").write_text("ro\n")
    measurement = await OsCollector(HostPaths(root=tmp_path)).collect()
    assert [s.name for s in measurement.subtypes] == ["grub", "sysctl"]
    assert "no /proc/modules" in logs.getvalue()
    assert "no /etc/os-release or /usr/lib/os-release" in logs.getvalue()


def _host(tmp_path: Path) -> Path:
    (tmp_path / "proc/sys").mkdir(parents=True)
    (tmp_path / "proc/cmdline").write_text("ro\n")
    (tmp_path / "proc/modules").write_text("nvidia 1 0 - Live 0x0\n\n")
    (tmp_path / "etc").mkdir()
    (tmp_path / "usr/lib").mkdir(parents=True)
    (tmp_path / "usr/lib/os-release").write_text('ID=fallback\nVERSION_ID="1"\n')
    return tmp_path


async def test_release_falls_back_to_usr_lib_only_when_etc_is_missing(tmp_path):
    root = _host(tmp_path)
    measurement = await OsCollector(HostPaths(root=root)).collect()
    assert measurement.subtype("release").data == {"ID": "fallback", "VERSION_ID": "1"}
    assert measurement.subtype("kmod").data == {"nvidia": True}
    (root / "etc/os-release").write_text("ID=primary\n")
    measurement = await OsCollector(HostPaths(root=root)).collect()
    assert measurement.subtype("release").data == {"ID": "primary"}


async def test_an_unreadable_os_release_is_an_error_not_a_fallback(tmp_path):
    root = _host(tmp_path)
    (root / "etc/os-release").mkdir()
    with pytest.raises(CollectorError, match="failed to read OS release"):
        await OsCollector(HostPaths(root=root)).collect()


async def test_this_machine_has_a_kernel_command_line_and_sysctls():
    measurement = await OsCollector().collect()
    sysctl = measurement.subtype("sysctl")
    assert measurement.subtype("grub") is not None and sysctl is not None
    assert "/proc/sys/kernel/osrelease" in sysctl.data
    assert not [k for k in sysctl.data if k.startswith("/proc/sys/net/")]


def test_an_unlistable_directory_below_proc_sys_is_skipped(tmp_path):
    from eidos.collectors.os import sysctl

    data: dict = {}
    sysctl._walk(tmp_path / "vanished", "/proc/sys/vanished", data)
    assert data == {}
    with pytest.raises(FileNotFoundError):
        read_sysctl(tmp_path)
