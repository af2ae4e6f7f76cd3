"""Reproducible tar.gz and zip archives, and the atomic file write."""

from __future__ import annotations

import io
import os
import tarfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from eidos.serializer.archive import ZIP_EPOCH, tar_gz, write_atomically, zip_bytes

ENTRIES = [
    ("b/run.sh", b"#!/bin/sh\necho hi\n", 0o755),
    ("a.txt", b"alpha\n", 0o644),
    ("b/c/values.yaml", b"x: 1\n", 0o644),
]

_part = st.text(alphabet="abcxyz019-_.", min_size=1, max_size=8).filter(
    lambda p: p not in {".", ".."}
)
_paths = st.lists(_part, min_size=1, max_size=3).map("/".join)


def _tar_members(data: bytes) -> list[tarfile.TarInfo]:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        return tar.getmembers()


def test_tar_gz_is_sorted_owned_by_root_dated_and_keeps_modes() -> None:
    data = tar_gz(ENTRIES, mtime=1767225600)
    members = _tar_members(data)
    assert [m.name for m in members] == ["a.txt", "b", "b/c", "b/c/values.yaml", "b/run.sh"]
    assert {(m.uid, m.gid, m.uname, m.gname, m.mtime) for m in members} == {
        (0, 0, "", "", 1767225600)
    }
    modes = {m.name: (m.type, m.mode) for m in members}
    assert modes["b"] == (tarfile.DIRTYPE, 0o755)
    assert modes["b/run.sh"] == (tarfile.REGTYPE, 0o755)
    assert modes["a.txt"] == (tarfile.REGTYPE, 0o644)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        assert tar.extractfile("b/c/values.yaml").read() == b"x: 1\n"  # type: ignore[union-attr]


def test_gzip_header_carries_no_time_and_no_file_name() -> None:
    data = tar_gz(ENTRIES)
    assert data[:3] == b"\x1f\x8b\x08"
    assert data[3] == 0, "no FNAME/FEXTRA/FCOMMENT flags"
    assert data[4:8] == b"\0\0\0\0", "MTIME is zero"


def test_the_same_entries_in_any_order_give_the_same_bytes() -> None:
    assert tar_gz(ENTRIES) == tar_gz(list(reversed(ENTRIES)))
    assert zip_bytes(ENTRIES) == zip_bytes(list(reversed(ENTRIES)))
    assert tar_gz(ENTRIES, mtime=1) != tar_gz(ENTRIES, mtime=2)


@settings(max_examples=40, deadline=None)
@given(st.dictionaries(_paths, st.binary(max_size=64), min_size=1, max_size=6))
def test_archives_round_trip_any_tree(files: dict[str, bytes]) -> None:
    names = set(files)
    assume(not any(p.startswith(f"{q}/") for p in names for q in names))  # file and dir
    entries = [(p, d, 0o644) for p, d in files.items()]
    data = tar_gz(entries)
    assert data == tar_gz(entries)
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        got = {m.name: tar.extractfile(m).read() for m in tar.getmembers() if m.isfile()}  # type: ignore[union-attr]
    assert got == files
    with zipfile.ZipFile(io.BytesIO(zip_bytes(entries))) as zf:
        assert {n: zf.read(n) for n in zf.namelist() if not n.endswith("/")} == files


def test_zip_keeps_unix_modes_and_clamps_time_to_1980() -> None:
    with zipfile.ZipFile(io.BytesIO(zip_bytes(ENTRIES, mtime=0))) as zf:
        infos = {i.filename: i for i in zf.infolist()}
    assert list(infos) == ["a.txt", "b/", "b/c/", "b/c/values.yaml", "b/run.sh"]
    assert infos["b/run.sh"].external_attr >> 16 == 0o100755
    assert infos["b/"].external_attr >> 16 == 0o040755
    assert {i.date_time for i in infos.values()} == {(1980, 1, 1, 0, 0, 0)}
    assert ZIP_EPOCH == 315532800


def test_write_atomically_replaces_and_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "bundle.tar.gz"
    target.write_bytes(b"old")
    write_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert oct(target.stat().st_mode & 0o777) == oct(0o644)
    assert os.listdir(tmp_path) == ["bundle.tar.gz"]
    with pytest.raises(OSError):
        write_atomically(tmp_path / "missing" / "x.tgz", b"data")
    assert os.listdir(tmp_path) == ["bundle.tar.gz"]
