"""Fleet results: the streamed SnapshotList is the document rendered whole; progress lines."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import pytest
import yaml

from eidos.cli._fleet import FleetProgress, item_text, snapshot_list_chunks
from eidos.model import Snapshot
from eidos.model.fleet import NodeFailure, SnapshotList
from eidos.serializer import dumps

H100 = Path(__file__).parents[1] / "fixtures" / "reference" / "snapshots" / "h100.yaml"


def _snapshots(count: int) -> list[Snapshot]:
    base = yaml.safe_load(H100.read_text())
    out = []
    for i in range(count):
        base["metadata"]["source-node"] = f"gpu-{i}"
        out.append(Snapshot.from_dict(base))
    return out


ODD = {"gpu-9": 'ErrImagePull: "x": not found', "b": "- odd: yes"}


@pytest.mark.parametrize("fmt", ["yaml", "json"])
@pytest.mark.parametrize("count", [1, 3])
@pytest.mark.parametrize("failed", [{}, ODD])
def test_the_streamed_list_is_the_list_rendered_whole(fmt, count, failed):
    snapshots = _snapshots(count)
    metadata = {"fleet-nodes": str(count + len(failed)), "fleet-timestamp": "2026-12-08T10:00:00Z"}
    with tempfile.TemporaryFile() as spool:
        for i, snapshot in enumerate(snapshots):
            text = item_text(snapshot.to_dict(), fmt)
            spool.write(((",\n" if i and fmt == "json" else "") + text).encode())
        streamed = "".join(snapshot_list_chunks(spool, failed, metadata, fmt))
    failures = [NodeFailure(n, failed[n]) for n in sorted(failed)]
    whole = dumps(SnapshotList(snapshots, failures, metadata).to_dict(), fmt)
    assert streamed == whole
    assert SnapshotList.from_dict(yaml.safe_load(streamed)) == SnapshotList(
        snapshots, failures, metadata
    )


class _Event:
    def __init__(self, kind, node="", text="", done=0, failed=0, running=0, slowest=None):
        self.kind, self.node, self.text = kind, node, text
        self.done, self.failed, self.running, self.slowest = done, failed, running, slowest
        self.total = 10


def test_on_a_terminal_one_status_line_updates_and_failures_stay():
    out = io.StringIO()
    progress = FleetProgress(out, tty=True, total=10)
    progress(_Event("look", running=4, slowest=("gpu-3", 42.0)))
    progress(_Event("collected", "gpu-1", "3.0s", done=1, running=3, slowest=("gpu-3", 43.0)))
    progress(_Event("failed", "gpu-2", "ErrImagePull", done=1, failed=1, running=2))
    progress.close()
    text = out.getvalue()
    assert "\r\x1b[K" in text
    assert "0/10 nodes done, 0 failed, 4 running; slowest: gpu-3 (42s)" in text
    assert "[2/10] gpu-2: FAILED: ErrImagePull\n" in text
    assert "gpu-1: snapshot collected" not in text  # on a terminal the status says it
    assert text.endswith("\r\x1b[K")


def test_without_a_terminal_plain_lines_and_a_status_now_and_then():
    out = io.StringIO()
    progress = FleetProgress(out, tty=False, total=10)
    progress.skipped = 1  # a cordoned node counts as failed
    progress(_Event("collected", "gpu-1", "3.0s", done=1, running=3))
    progress(_Event("look", done=1, running=3, slowest=("gpu-3", 12.0)))
    assert "\r" not in out.getvalue() and "running" not in out.getvalue()
    progress.last_status -= 11  # ten seconds later
    progress(_Event("look", done=1, running=3, slowest=("gpu-3", 23.0)))
    lines = out.getvalue().splitlines()
    assert lines[0].endswith("[2/10] gpu-1: snapshot collected (3.0s)")
    assert lines[1].endswith("2/10 nodes done, 1 failed, 3 running; slowest: gpu-3 (23s)")
