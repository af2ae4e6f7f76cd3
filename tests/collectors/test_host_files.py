"""Host file reads stay inside the host root and never read more than the cap."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from eidos.collectors import HostPaths
from eidos.collectors._files import MAX_FILE_BYTES, read_bytes, read_host_text, resolve
from eidos.errors import InvalidRequestError


@pytest.fixture
def root(tmp_path: Path) -> Path:
    host = tmp_path / "host"
    (host / "usr/lib").mkdir(parents=True)
    (host / "etc").mkdir()
    (host / "usr/lib/os-release").write_text("ID=host\n")
    return host


def test_absolute_symlink_resolves_inside_the_root(root):
    (root / "etc/os-release").symlink_to("/usr/lib/os-release")
    assert resolve(str(root), "/etc/os-release") == str(root / "usr/lib/os-release")
    assert read_host_text(root, "/etc/os-release") == "ID=host\n"


def test_relative_symlink_resolves_inside_the_root(root):
    (root / "etc/os-release").symlink_to("../usr/lib/os-release")
    assert read_host_text(root, "/etc/os-release") == "ID=host\n"


def test_dotdot_symlinks_cannot_climb_out_of_the_root(root, tmp_path):
    (tmp_path / "secret").write_text("outside\n")
    (root / "etc/escape").symlink_to("../../../../../../secret")
    with pytest.raises(FileNotFoundError):
        read_host_text(root, "/etc/escape")
    (root / "secret").write_text("inside\n")
    assert read_host_text(root, "/etc/escape") == "inside\n"


def test_a_symlink_to_etc_passwd_reads_the_hosts_file_not_ours(root):
    (root / "etc/leak").symlink_to("/etc/passwd")
    with pytest.raises(FileNotFoundError):
        read_host_text(root, "/etc/leak")


def test_symlink_loops_are_reported(root):
    (root / "etc/a").symlink_to("b")
    (root / "etc/b").symlink_to("a")
    with pytest.raises(OSError) as info:
        resolve(root, "/etc/a")
    assert info.value.errno == errno.ELOOP


def test_files_over_the_cap_are_refused(tmp_path):
    big = tmp_path / "big"
    big.write_bytes(b"x" * (MAX_FILE_BYTES + 1))
    with pytest.raises(OSError) as info:
        read_bytes(big)
    assert info.value.errno == errno.EFBIG
    assert len(read_bytes(big, limit=MAX_FILE_BYTES + 1)) == MAX_FILE_BYTES + 1


def test_fifos_and_directories_are_not_read(tmp_path):
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    for path in (fifo, tmp_path):
        with pytest.raises(OSError):
            read_bytes(path)


def test_a_final_symlink_is_never_followed_by_read_bytes(tmp_path):
    (tmp_path / "link").symlink_to("/etc/hostname")
    with pytest.raises(OSError) as info:
        read_bytes(tmp_path / "link")
    assert info.value.errno == errno.ELOOP


def test_invalid_utf8_is_a_value_error(root):
    (root / "etc/bad").write_bytes(b"\xff\xfe")
    with pytest.raises(ValueError, match="not valid UTF-8"):
        read_host_text(root, "/etc/bad")


def test_host_root_comes_from_option_then_env_then_slash(tmp_path, monkeypatch):
    assert HostPaths.from_option(None).root == "/"
    monkeypatch.setenv("EIDOS_HOST_ROOT", str(tmp_path))
    assert HostPaths.from_option(None).root == str(tmp_path)
    other = tmp_path / "other"
    other.mkdir()
    assert HostPaths.from_option(str(other)).root == str(other)
    assert HostPaths(root=other).host("/proc/cmdline") == str(other / "proc/cmdline")
    assert HostPaths(root=other) == HostPaths(root=str(other))
    with pytest.raises(AttributeError, match="read-only"):
        HostPaths(root=other).root = "/"  # type: ignore[misc]


def test_a_host_root_that_is_not_a_directory_is_a_usage_error(tmp_path):
    with pytest.raises(InvalidRequestError, match="is not a directory"):
        HostPaths.from_option(str(tmp_path / "missing"))
