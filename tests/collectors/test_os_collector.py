"""OS collector: grub, sysctl, kmod and release read from a host tree."""

from __future__ import annotations

import os
from pathlib import Path
from threading import Event

import pytest

from eidos.collectors import HostPaths
from eidos.collectors.os import OsCollector
from eidos.collectors.os.sysctl import expand_entry, is_excluded, read_sysctl
from eidos.errors import CollectorError


def test_h100_host_tree_reproduces_the_reference_os_measurement(h100_host, h100_reference):
    # The reference recorded everything; eidos leaves out what is not configuration.
    measurement = OsCollector(h100_host).collect(stop=Event())
    reference = h100_reference.measurement("OS")
    assert [s.name for s in measurement.subtypes] == ["grub", "sysctl", "kmod", "release"]
    for mine, theirs in zip(measurement.subtypes, reference.subtypes, strict=True):
        expected = {k: v for k, v in theirs.data.items() if not is_excluded(k)}
        assert mine.data == expected, mine.name
        assert {type(v) for v in mine.data.values()} == {type(v) for v in expected.values()}
    left_out = set(reference.subtype("sysctl").data) - set(measurement.subtype("sysctl").data)
    assert left_out == {
        "/proc/sys/fs/aio-nr",
        "/proc/sys/fs/dentry-state",
        "/proc/sys/fs/file-nr",
        "/proc/sys/fs/inode-nr",
        "/proc/sys/fs/inode-state",
        "/proc/sys/fs/quota/allocated_dquots",
        "/proc/sys/fs/quota/cache_hits",
        "/proc/sys/fs/quota/drops",
        "/proc/sys/fs/quota/free_dquots",
        "/proc/sys/fs/quota/lookups",
        "/proc/sys/fs/quota/reads",
        "/proc/sys/fs/quota/syncs",
        "/proc/sys/fs/quota/writes",
        "/proc/sys/kernel/cad_pid",
        "/proc/sys/kernel/domainname",
        "/proc/sys/kernel/hostname",
        "/proc/sys/kernel/ns_last_pid",
        "/proc/sys/kernel/pty/nr",
        "/proc/sys/kernel/random/boot_id",
        "/proc/sys/kernel/random/entropy_avail",
        "/proc/sys/kernel/random/uuid",
        *(
            f"/proc/sys/sunrpc/svc_rdma/rdma_stat_{name}"
            for name in (
                "read",
                "recv",
                "rq_poll",
                "rq_prod",
                "rq_starve",
                "sq_poll",
                "sq_prod",
                "sq_starve",
                "write",
            )
        ),
    }


@pytest.mark.parametrize(
    ("key", "excluded"),
    [
        ("/proc/sys/fs/quota/warnings", False),  # a setting under a directory of counters
        ("/proc/sys/fs/quota", False),  # walked, for the setting above
        ("/proc/sys/fs/quota/syncs", True),
        ("/proc/sys/net", True),
        ("/proc/sys/net/ipv4/ip_forward", True),
        ("/proc/sys/sunrpc/svc_rdma/rdma_stat_read", True),
        ("/proc/sys/sunrpc/svc_rdma/max_requests", False),
        ("/proc/sys/kernel/hostname", True),
        ("/proc/sys/kernel/hostnamex", False),
        ("/proc/sys/kernel/shmmax", False),
    ],
)
def test_exclusions_match_whole_keys_and_directories(key, excluded):
    assert is_excluded(key) is excluded


def test_namespaced_sysctls_are_kept_and_marked(h100_host):
    sysctl = OsCollector(h100_host).collect(stop=Event()).subtype("sysctl")
    assert sysctl.data["/proc/sys/kernel/shmmax"] == "18446744073692774399"
    assert set(sysctl.context) == {
        k for k in sysctl.data if k.startswith(NAMESPACED_KEYS) or k in NAMESPACED_KEYS
    }
    assert "per ipc namespace" in sysctl.context["/proc/sys/kernel/shmmax"]
    assert "per pid namespace" in sysctl.context["/proc/sys/kernel/pid_max"]
    assert "per user namespace" in sysctl.context["/proc/sys/user/max_user_namespaces"]
    assert "/proc/sys/vm/swappiness" not in sysctl.context


NAMESPACED_KEYS = (
    "/proc/sys/fs/mqueue/",
    "/proc/sys/user/",
    "/proc/sys/kernel/pid_max",
    *(
        f"/proc/sys/kernel/{n}"
        for n in (
            "msgmax",
            "msgmnb",
            "msgmni",
            "msg_next_id",
            "sem",
            "sem_next_id",
            "shmall",
            "shmmax",
            "shmmni",
            "shm_next_id",
            "shm_rmid_forced",
        )
    ),
)


def test_sysctl_keys_are_host_paths_and_skip_net_cdrom_and_symlinks(h100_host):
    data = (OsCollector(h100_host).collect(stop=Event())).subtype("sysctl").data
    assert data["/proc/sys/kernel/osrelease"] == "6.8.0-1024-aws"
    assert all(key.startswith("/proc/sys/") for key in data)
    assert not [k for k in data if k.startswith(("/proc/sys/net", "/proc/sys/dev/cdrom"))]
    assert (Path(h100_host.root) / "proc/sys/kernel/leak").is_symlink()
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
    data = read_sysctl(str(tmp_path / "proc")).data
    assert data == {"/proc/sys/vm/swappiness": "60", "/proc/sys/zz/last": "ok"}


def test_a_symlinked_proc_sys_directory_is_not_followed_out_of_the_root(tmp_path):
    (tmp_path / "proc/sys").mkdir(parents=True)
    (tmp_path / "proc/sys/kernel").symlink_to("/proc/sys/kernel")
    assert read_sysctl(str(tmp_path / "proc")).data == {}


def test_a_missing_kernel_command_line_fails_and_names_the_host_root(tmp_path):
    (tmp_path / "proc/sys").mkdir(parents=True)
    with pytest.raises(CollectorError) as info:
        OsCollector(HostPaths(root=tmp_path)).collect(stop=Event())
    assert "/proc/cmdline does not exist under host root" in info.value.message


def test_missing_modules_and_os_release_leave_those_subtypes_out(tmp_path, logs):
    (tmp_path / "proc/sys/vm").mkdir(parents=True)
    (tmp_path / "proc/sys/vm/swappiness").write_text("60\n")
    (tmp_path / "proc/cmdline").write_text("ro\n")
    measurement = OsCollector(HostPaths(root=tmp_path)).collect(stop=Event())
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


def test_release_falls_back_to_usr_lib_only_when_etc_is_missing(tmp_path):
    root = _host(tmp_path)
    measurement = OsCollector(HostPaths(root=root)).collect(stop=Event())
    assert measurement.subtype("release").data == {"ID": "fallback", "VERSION_ID": "1"}
    assert measurement.subtype("kmod").data == {"nvidia": True}
    (root / "etc/os-release").write_text("ID=primary\n")
    measurement = OsCollector(HostPaths(root=root)).collect(stop=Event())
    assert measurement.subtype("release").data == {"ID": "primary"}


def test_an_unreadable_os_release_is_an_error_not_a_fallback(tmp_path):
    root = _host(tmp_path)
    (root / "etc/os-release").mkdir()
    with pytest.raises(CollectorError, match="failed to read OS release"):
        OsCollector(HostPaths(root=root)).collect(stop=Event())


def test_this_machine_has_a_kernel_command_line_and_sysctls():
    measurement = OsCollector().collect(stop=Event())
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
        read_sysctl(str(tmp_path / "proc"))
