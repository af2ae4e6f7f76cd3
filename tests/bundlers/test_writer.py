"""BundleWriter: modes, checksums, clean replacement, and no writes outside the output dir."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from eidos.bundlers.writer import BundleWriter, prepare_output
from eidos.errors import InvalidRequestError, IOFailureError


def _write(
    out: Path, files: dict[str, str], *, force: bool = False, timestamp: str | None = None
) -> BundleWriter:
    writer = BundleWriter(out, "demo", force=force, timestamp=timestamp)
    for rel, text in files.items():
        writer.add(rel, text, executable=rel.endswith(".sh"))
    writer.commit()
    return writer


FILES = {
    "values.yaml": "a: 1\n",
    "manifests/policy.yaml": "kind: X\n",
    "scripts/install.sh": "#!/bin/sh\necho hi\n",
    "README.md": "# demo\n",
}


def test_scripts_are_executable_and_everything_else_is_0644(tmp_path: Path) -> None:
    old = os.umask(0o077)
    try:
        _write(tmp_path, FILES)
    finally:
        os.umask(old)
    modes = {
        str(p.relative_to(tmp_path / "demo")): stat.S_IMODE(p.stat().st_mode)
        for p in (tmp_path / "demo").rglob("*")
    }
    assert modes == {
        "values.yaml": 0o644,
        "manifests": 0o755,
        "manifests/policy.yaml": 0o644,
        "scripts": 0o755,
        "scripts/install.sh": 0o755,
        "README.md": 0o644,
        "checksums.txt": 0o644,
    }
    assert stat.S_IMODE((tmp_path / "demo").stat().st_mode) == 0o755


@pytest.mark.skipif(shutil.which("sha256sum") is None, reason="sha256sum is not installed")
def test_checksums_pass_sha256sum_check_in_write_order(tmp_path: Path) -> None:
    _write(tmp_path, FILES)
    lines = (tmp_path / "demo" / "checksums.txt").read_text().splitlines()
    assert [line.split("  ")[1] for line in lines] == list(FILES)
    done = subprocess.run(
        ["sha256sum", "--check", "--strict", "checksums.txt"],
        cwd=tmp_path / "demo",
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr


def test_commit_reports_every_file_with_size_and_digest(tmp_path: Path) -> None:
    writer = BundleWriter(tmp_path, "demo")
    writer.add("a.txt", "hello world")
    records = writer.commit()
    assert [r.path for r in records] == ["a.txt", "checksums.txt"]
    assert records[0].size == 11
    assert records[0].sha256 == ("b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9")
    assert records[1].size == (tmp_path / "demo" / "checksums.txt").stat().st_size


def test_existing_bundle_is_refused_without_force(tmp_path: Path) -> None:
    _write(tmp_path, FILES)
    with pytest.raises(InvalidRequestError, match="already exists; use --force"):
        _write(tmp_path, FILES)


def test_force_replaces_the_bundle_without_stale_files(tmp_path: Path) -> None:
    _write(tmp_path, FILES)
    (tmp_path / "demo" / "stale.txt").write_text("old")
    _write(tmp_path, {"values.yaml": "b: 2\n"}, force=True)
    assert sorted(p.name for p in (tmp_path / "demo").rglob("*")) == [
        "checksums.txt",
        "values.yaml",
    ]
    assert (tmp_path / "demo" / "values.yaml").read_text() == "b: 2\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo"]


def test_symlinked_bundle_dir_is_refused_even_with_force(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    out.mkdir()
    (out / "demo").symlink_to(elsewhere)
    with pytest.raises(InvalidRequestError, match="symbolic link"):
        _write(out, FILES, force=True)
    assert list(elsewhere.iterdir()) == []
    assert (out / "demo").is_symlink()
    assert sorted(p.name for p in out.iterdir()) == ["demo"]


def test_a_file_at_the_bundle_path_is_refused(tmp_path: Path) -> None:
    (tmp_path / "demo").write_text("not a dir")
    with pytest.raises(InvalidRequestError, match="not a directory"):
        _write(tmp_path, FILES, force=True)


@pytest.mark.parametrize(
    "rel", ["../escape.txt", "/etc/passwd", "a/../../b", "", "a//b", "checksums.txt"]
)
def test_file_paths_must_stay_inside_the_bundle(tmp_path: Path, rel: str) -> None:
    writer = BundleWriter(tmp_path, "demo")
    with pytest.raises(InvalidRequestError, match="invalid bundle file path"):
        writer.add(rel, "x")


@pytest.mark.parametrize("out", ["../out", "a/../b", "x/.."])
def test_output_dir_with_dotdot_is_rejected(
    tmp_path: Path, out: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(InvalidRequestError, match=r"must not contain '\.\.'"):
        prepare_output(out)
    assert list(tmp_path.iterdir()) == []


def test_output_dir_is_created_with_parents(tmp_path: Path) -> None:
    assert prepare_output(tmp_path / "a" / "b").is_dir()


def test_output_path_that_is_a_file_is_rejected(tmp_path: Path) -> None:
    (tmp_path / "f").write_text("")
    with pytest.raises(InvalidRequestError, match="not a directory"):
        prepare_output(tmp_path / "f")


def test_unwritable_output_is_an_io_error() -> None:
    # /proc/self is a directory nobody (root included) can create files in
    with pytest.raises(IOFailureError, match="cannot write"):
        _write(Path("/proc/self"), FILES)


def test_file_times_come_from_the_recipe_timestamp(tmp_path: Path) -> None:
    _write(tmp_path, FILES, timestamp="2026-01-02T18:01:22Z")
    times = {p.stat().st_mtime for p in (tmp_path / "demo").rglob("*")}
    assert times == {1767376882.0}


def test_failed_commit_leaves_no_temporary_directories(tmp_path: Path) -> None:
    _write(tmp_path, FILES)
    with pytest.raises(InvalidRequestError):
        _write(tmp_path, FILES)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo"]
