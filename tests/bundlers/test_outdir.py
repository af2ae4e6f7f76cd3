"""OutputDir: one atomic write of a whole tree, only over eidos' own output, with recovery."""

from __future__ import annotations

import os
import re
import shutil
import stat
import subprocess
import sys
import time
from pathlib import Path, PurePosixPath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eidos.bundlers import marker, outdir, swap
from eidos.bundlers.lock import OutputLock, owner
from eidos.bundlers.outdir import MARKER, OutputDir, mtime_of
from eidos.bundlers.tree import FileTree
from eidos.errors import InvalidRequestError, IOFailureError

FILES = {
    "demo/values.yaml": "a: 1\n",
    "demo/manifests/policy.yaml": "kind: X\n",
    "demo/scripts/install.sh": "#!/bin/sh\necho hi\n",
    "other/README.md": "# other\n",
}


def _tree(files: dict[str, str] = FILES) -> FileTree:
    tree = FileTree()
    for rel, text in files.items():
        tree.add(rel, text, executable=rel.endswith(".sh"))
    return tree


def _publish(out: Path, files: dict[str, str] = FILES, **options: bool) -> None:
    OutputDir(out, **options).publish(_tree(files))


def _contents(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): p.read_text() for p in sorted(root.rglob("*")) if p.is_file()}


def test_the_tree_and_a_marker_listing_it_are_written_with_fixed_modes(tmp_path: Path) -> None:
    out = tmp_path / "parent" / "out"
    old = os.umask(0o077)
    try:
        _publish(out)
    finally:
        os.umask(old)
    contents = _contents(out)
    assert contents.pop(MARKER).splitlines()[2:] == list(FILES)
    assert contents == FILES
    modes = {str(p.relative_to(out)): stat.S_IMODE(p.lstat().st_mode) for p in out.rglob("*")}
    assert modes["demo/scripts/install.sh"] == 0o755
    assert modes["demo/scripts"] == 0o755
    assert modes["demo/values.yaml"] == modes[MARKER] == 0o644
    assert stat.S_IMODE(out.stat().st_mode) == 0o755


def test_nothing_is_left_next_to_the_output(tmp_path: Path) -> None:
    _publish(tmp_path / "out")
    _publish(tmp_path / "out", force=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_an_existing_bundle_is_replaced_only_with_force_and_no_stale_file_survives(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    _publish(out)
    with pytest.raises(InvalidRequestError, match=r"already holds a bundle; use --force"):
        _publish(out, {"demo/values.yaml": "b: 2\n"})
    assert _contents(out)["demo/values.yaml"] == "a: 1\n"
    _publish(out, {"demo/values.yaml": "b: 2\n"}, force=True)
    assert set(_contents(out)) == {"demo/values.yaml", MARKER}


def test_an_empty_directory_is_used_without_force(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    _publish(tmp_path / "out")
    assert set(_contents(tmp_path / "out")) == {*FILES, MARKER}


def test_a_users_own_directory_is_never_replaced_even_with_force(tmp_path: Path) -> None:
    # the reported loss: the user's own out/gpu-operator/ was deleted by --force
    out = tmp_path / "out"
    (out / "gpu-operator").mkdir(parents=True)
    (out / "gpu-operator" / "notes.txt").write_text("mine")
    with pytest.raises(IOFailureError, match=r"not empty and was not written by eidos") as info:
        _publish(out, force=True)
    assert info.value.exit_code == 3 and str(out) in info.value.message
    assert _contents(out) == {"gpu-operator/notes.txt": "mine"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


@pytest.mark.parametrize("extra", ["notes.txt", "demo/notes.txt", "demo/new-dir/"])
def test_a_bundle_holding_a_file_eidos_did_not_write_is_not_replaced(
    tmp_path: Path, extra: str
) -> None:
    out = tmp_path / "out"
    _publish(out)
    if extra.endswith("/"):
        (out / extra).mkdir()
    else:
        (out / extra).write_text("mine")
    with pytest.raises(IOFailureError, match=r"was not written by eidos bundle") as info:
        _publish(out, force=True)
    assert info.value.message.startswith(str(out / extra.rstrip("/")))
    assert (out / extra).exists()


def test_a_symlink_inside_the_output_is_refused_and_never_followed(tmp_path: Path) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    out = tmp_path / "out"
    _publish(out)
    shutil.rmtree(out / "other")
    (out / "other").symlink_to(elsewhere)
    with pytest.raises(IOFailureError, match=r"other was not written by eidos"):
        _publish(out, force=True)
    assert list(elsewhere.iterdir()) == [] and (out / "other").is_symlink()


def test_a_marker_that_is_a_symlink_does_not_count(tmp_path: Path) -> None:
    real = tmp_path / "marker"
    real.write_text(outdir.BUNDLE.head)
    out = tmp_path / "out"
    out.mkdir()
    (out / MARKER).symlink_to(real)
    with pytest.raises(IOFailureError, match="not written by eidos"):
        _publish(out, force=True)


def test_an_output_path_that_is_a_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "out").write_text("mine")
    with pytest.raises(IOFailureError, match="exists and is not a directory"):
        _publish(tmp_path / "out", force=True)
    assert (tmp_path / "out").read_text() == "mine"


def test_a_symlinked_output_directory_is_written_where_it_points(tmp_path: Path) -> None:
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    _publish(tmp_path / "link")
    assert (tmp_path / "link").is_symlink()
    assert set(_contents(tmp_path / "real")) == {*FILES, MARKER}


@pytest.mark.parametrize(
    ("path", "message"),
    [("", "must not be empty"), ("a/../b", r"must not contain '\.\.'"), ("/", "root")],
)
def test_bad_output_paths_are_rejected(path: str, message: str) -> None:
    with pytest.raises(InvalidRequestError, match=message):
        OutputDir(path)


def test_an_unwritable_place_is_an_io_error() -> None:
    # /proc/self is a directory nobody (root included) can create files in
    with pytest.raises(IOFailureError, match="cannot"):
        _publish(Path("/proc/self/eidos-out"))


def test_file_times_come_from_the_recipe_timestamp(tmp_path: Path) -> None:
    OutputDir(tmp_path / "out").publish(_tree(), mtime=mtime_of("2026-01-02T18:01:22Z"))
    times = {p.lstat().st_mtime for p in [tmp_path / "out", *(tmp_path / "out").rglob("*")]}
    assert times == {1767376882.0}
    assert mtime_of("not a time") is None and mtime_of(None) is None


def _dead_owner() -> tuple[int, int]:
    """The (pid, start time) of a process that has exited."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid, 12345


def test_leftovers_of_dead_runs_are_removed(tmp_path: Path) -> None:
    _publish(tmp_path / "out")
    pid, start = _dead_owner()
    for kind in ("new", "old", "trash"):
        half = tmp_path / f".out.eidos-{pid}-{start}-abcd.{kind}"
        half.mkdir()
        (half / "checksums.txt").write_text("")
    (tmp_path / ".out.eidos-lock").write_text(f"{pid} {start}\n")
    _publish(tmp_path / "out", force=True)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_leftovers_of_a_live_run_are_kept(tmp_path: Path) -> None:
    with subprocess.Popen(["sleep", "30"]) as proc:
        try:
            from eidos.bundlers.lock import _start_time

            live = tmp_path / f".out.eidos-{proc.pid}-{_start_time(proc.pid)}-abcd.new"
            live.mkdir()
            _publish(tmp_path / "out")
            assert live.is_dir()
        finally:
            proc.kill()


def test_a_bundle_moved_aside_by_a_killed_run_is_put_back_first(tmp_path: Path) -> None:
    out = tmp_path / "out"
    _publish(out)
    pid, start = _dead_owner()
    out.rename(tmp_path / f".out.eidos-{pid}-{start}-abcd.old")  # killed between renames
    with pytest.raises(InvalidRequestError, match="already holds a bundle"):
        _publish(out)
    assert set(_contents(out)) == {*FILES, MARKER}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_replacing_works_without_an_atomic_exchange(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(outdir, "exchange", lambda a, b: False)
    _publish(tmp_path / "out")
    _publish(tmp_path / "out", {"demo/values.yaml": "b: 2\n"}, force=True)
    assert set(_contents(tmp_path / "out")) == {"demo/values.yaml", MARKER}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_a_failed_swap_keeps_the_old_bundle(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    _publish(out)

    def refuse(a: Path, b: Path) -> bool:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(outdir, "exchange", refuse)
    with pytest.raises(IOFailureError, match=f"cannot write {out}: No space left on device"):
        _publish(out, {"demo/values.yaml": "b: 2\n"}, force=True)
    assert set(_contents(out)) == {*FILES, MARKER}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_the_exchange_swaps_two_directories(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "from-a").write_text("")
    (tmp_path / "b").mkdir()
    if not swap.exchange(tmp_path / "a", tmp_path / "b"):
        pytest.skip("this filesystem cannot exchange directories (the fallback is tested)")
    assert [p.name for p in (tmp_path / "b").iterdir()] == ["from-a"]
    assert list((tmp_path / "a").iterdir()) == []


def test_owner_is_this_process() -> None:
    assert owner()[0] == os.getpid() and owner()[1] > 0


def test_the_early_check_refuses_what_publish_would_and_creates_nothing(tmp_path: Path) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "mine.txt").write_text("mine")
    with pytest.raises(IOFailureError, match="not written by eidos"):
        OutputDir(tmp_path / "out", force=True).check()
    OutputDir(tmp_path / "new" / "out").check()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]


def test_the_early_check_leaves_the_verdict_to_publish_while_another_eidos_writes(
    tmp_path: Path,
) -> None:
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "mine.txt").write_text("mine")
    output = OutputDir(tmp_path / "out", force=True, wait=False)
    with OutputLock(tmp_path / ".out.eidos-lock", what="out"):
        output.check()  # does not judge a directory another writer may be swapping
        with pytest.raises(IOFailureError, match="being written by another eidos"):
            output.publish(_tree())
    with pytest.raises(IOFailureError, match="not written by eidos"):
        output.publish(_tree())


def _leftovers(parent: Path) -> list[str]:
    return sorted(p.name for p in parent.iterdir() if ".eidos-" in p.name)


def test_a_detached_removal_takes_the_old_tree_away_after_publish_returns(
    tmp_path: Path,
) -> None:
    out = tmp_path / "out"
    _publish(out)
    _publish(out, {"new/values.yaml": "b: 2\n"}, force=True, detach=True)
    assert _contents(out) == {MARKER: _contents(out)[MARKER], "new/values.yaml": "b: 2\n"}
    for _ in range(200):  # the detached process removes the old tree within moments
        if not _leftovers(tmp_path):
            break
        time.sleep(0.05)
    assert _leftovers(tmp_path) == []


@pytest.mark.parametrize("why", ["fork fails", "threads run"])
def test_where_it_cannot_fork_the_old_tree_is_removed_inline(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, why: str
) -> None:
    out = tmp_path / "out"
    _publish(out)

    def no_fork() -> int:
        raise OSError(11, "Resource temporarily unavailable")

    if why == "fork fails":
        monkeypatch.setattr(os, "fork", no_fork)
    else:
        monkeypatch.setattr(swap, "_threads_run", lambda: True)
        monkeypatch.setattr(os, "fork", lambda: pytest.fail("forked with threads running"))
    _publish(out, {"new/values.yaml": "b: 2\n"}, force=True, detach=True)
    assert _leftovers(tmp_path) == []
    assert "new/values.yaml" in _contents(out)


def test_the_cli_returns_without_waiting_for_the_removal_and_holds_no_pipe(
    tmp_path: Path,
) -> None:
    recipe = Path(__file__).parents[1] / "fixtures/reference/recipes/h100-eks-ubuntu-training.yaml"
    argv = [sys.executable, "-m", "eidos", "bundle", "-f", str(recipe), "-o", str(tmp_path / "b")]
    assert subprocess.run(argv, capture_output=True, timeout=60).returncode == 0
    # capture_output waits for EOF on stdout/stderr: a detached process holding them would
    # keep this call open until it finished; with --force it replaces and returns at once
    done = subprocess.run([*argv, "--force"], capture_output=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "b" / "deploy.sh").is_file()


FLEET = outdir.Marker(
    name=".eidos-fleet", magic="# fleet", head="# fleet\n", writer="eidos fleet", what="a fleet"
)


def test_files_staged_one_by_one_appear_together(tmp_path: Path) -> None:
    out = tmp_path / "fleet"
    output = OutputDir(out, force=True, marker=FLEET)
    staged = output.begin()
    staged.add("a.yaml", b"kind: Snapshot\n")
    assert not out.exists()  # nothing shows before publish
    OutputDir(tmp_path / "fleet", marker=FLEET).check()  # another look does not disturb it
    staged.add("b.yaml", b"kind: Snapshot\n")
    output.publish_staged(staged)
    assert _contents(out) == {
        "a.yaml": "kind: Snapshot\n",
        "b.yaml": "kind: Snapshot\n",
        ".eidos-fleet": "# fleet\na.yaml\nb.yaml\n",
    }
    again = output.begin()
    again.add("c.yaml", b"x: 1\n")
    output.publish_staged(again)  # the same kind of output is replaced as a whole
    assert set(_contents(out)) == {"c.yaml", ".eidos-fleet"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fleet"]


def test_a_discarded_staging_leaves_nothing(tmp_path: Path) -> None:
    staged = OutputDir(tmp_path / "fleet", marker=FLEET).begin()
    staged.add("a.yaml", b"x")
    staged.discard()
    staged.discard()
    assert list(tmp_path.iterdir()) == []


def test_one_kind_of_output_never_replaces_another(tmp_path: Path) -> None:
    _publish(tmp_path / "bundles")
    staged = OutputDir(tmp_path / "bundles", force=True, marker=FLEET).begin()
    with pytest.raises(IOFailureError, match="not written by eidos fleet"):
        OutputDir(tmp_path / "bundles", force=True, marker=FLEET).publish_staged(staged)
    assert MARKER in _contents(tmp_path / "bundles")
    fleet = OutputDir(tmp_path / "fleet", force=True, marker=FLEET)
    fleet.publish_staged(fleet.begin())
    with pytest.raises(IOFailureError, match=r"not written by eidos bundle \(no \.eidos-bundle"):
        _publish(tmp_path / "fleet", force=True)


_LEFTOVER_NAME = re.compile(r"([0-9]+)-([0-9]+)-[0-9a-f]+\.(new|old|trash)")


@given(
    st.one_of(
        st.text(st.sampled_from("0123456789abcdefg-.٣\n"), max_size=20),
        st.builds(
            "{}-{}-{}.{}".format,
            st.text(st.sampled_from("0123456789a٣"), max_size=4),
            st.text(st.sampled_from("0123456789-"), max_size=4),
            st.text(st.sampled_from("0123456789abcdefA."), max_size=4),
            st.sampled_from(["new", "old", "trash", "lock", "new\n", ""]),
        ),
    )
)
def test_leftover_names_are_read_as_the_pattern_reads_them(name: str) -> None:
    match = _LEFTOVER_NAME.fullmatch(name)
    expected = (int(match[1]), int(match[2]), match[3]) if match else None
    assert outdir._leftover(name) == expected


@given(st.sets(st.text(st.sampled_from("ab./"), max_size=8), max_size=4))
def test_the_directories_a_marker_lists_are_those_posix_paths_name(listed: set[str]) -> None:
    expected = {str(p) for rel in listed for p in PurePosixPath(rel).parents}
    relative = {d for d in expected if d != "." and not d.startswith("/")}
    assert marker.listed_dirs(listed) == relative  # "." and absolute names match no entry
