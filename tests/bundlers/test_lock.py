"""OutputLock: one holder at a time, a refusal that names the holder, no stale lock file."""

from __future__ import annotations

import os
import threading
from pathlib import Path

import pytest

from eidos.bundlers.lock import OutputLock, alive, owner
from eidos.errors import IOFailureError


def test_a_second_writer_that_will_not_wait_is_told_who_holds_the_lock(tmp_path: Path) -> None:
    path = tmp_path / ".out.eidos-lock"
    with OutputLock(path, what="out"):
        with pytest.raises(IOFailureError) as info, OutputLock(path, what="out", wait=False):
            pass
        assert info.value.exit_code == 3
        assert info.value.message.startswith(
            f"out is being written by another eidos (pid {os.getpid()})"
        )
        assert path.read_text().split() == [str(owner()[0]), str(owner()[1])]
    assert not path.exists()


def test_a_waiting_writer_gets_the_lock_when_the_holder_is_done(tmp_path: Path) -> None:
    path = tmp_path / ".out.eidos-lock"
    acquired = threading.Event()
    inode: list[int] = []

    def second() -> None:
        with OutputLock(path, what="out") as lock:
            acquired.set()
            assert lock._fd is not None
            inode.append(os.fstat(lock._fd).st_ino)
            # the lock it holds is the file at the path, so a third writer is refused
            with pytest.raises(IOFailureError), OutputLock(path, what="out", wait=False):
                pass
            inode.append(os.stat(path).st_ino)

    with OutputLock(path, what="out"):
        thread = threading.Thread(target=second)
        thread.start()
        assert not acquired.wait(0.3)
    thread.join(10)
    assert acquired.is_set() and len(inode) == 2 and inode[0] == inode[1]
    assert not path.exists()


def test_a_symlink_at_the_lock_path_is_not_followed(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere"
    (tmp_path / ".out.eidos-lock").symlink_to(target)
    with pytest.raises(IOFailureError, match="cannot create the lock file"):
        OutputLock(tmp_path / ".out.eidos-lock", what="out").__enter__()
    assert not target.exists()


def test_alive_tells_this_process_from_a_reused_pid() -> None:
    pid, start = owner()
    assert alive(pid, start)
    assert not alive(pid, start + 1)
