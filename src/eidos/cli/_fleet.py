"""``eidos snapshot --deploy-agent --all-nodes``: run the fleet, show progress, write the result.

The result is a directory of per-node snapshots (``-o DIR/``, or an existing directory:
``<node>.yaml`` each, plus ``_failures.yaml`` when nodes failed), written in one atomic
step; or one ``SnapshotList`` document (``-o FILE``, ``-o -``, ``cm://``). Snapshots are
staged on disk as they arrive, so memory stays bounded by one node's snapshot.
"""

from __future__ import annotations

import os
import re
import sys
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any, BinaryIO, TextIO

    from eidos.agent.fleet import FleetEvent
    from eidos.model import Snapshot

__all__ = ["FAILURES_FILE", "FleetProgress", "run_fleet", "snapshot_list_chunks"]

#: The file of a fleet directory that lists the nodes without a snapshot (a SnapshotList
#: with no items): no node can be called this (node names are lower case).
FAILURES_FILE = "_failures"
#: What one node adds to a SnapshotList, for the check before a run: an 8-GPU H100 node's
#: snapshot is 95 KB as an item in JSON, 84 KB in YAML.
NODE_BYTES = 100_000
#: Seconds between two status lines when stderr is not a terminal.
STATUS_EVERY = 10.0
_NODE_FILE = re.compile(r"[a-z0-9]([-a-z0-9.]*[a-z0-9])?")
_SENTINEL = "@@eidos-fleet-items@@"


def run_fleet(args: argparse.Namespace, kube: Any, fmt: str) -> int:
    """One agent Job per matching node; write what they gave. Exit 1 if a node failed."""
    from eidos.agent import DEFAULT_IMAGE, DEFAULT_TOLERATIONS, new_run, parse_toleration
    from eidos.agent.fleet import deploy_fleet
    from eidos.agent.manifests import check_namespace, parse_node_selector
    from eidos.agent.nodes import FleetSettings, select_nodes
    from eidos.cli._agent import DEFAULT_AGENT_TIMEOUT, no_cluster
    from eidos.cli.app import terminate_on_signals
    from eidos.errors import CollectorError, InvalidRequestError

    if fmt == "table":
        raise InvalidRequestError(
            "-t table cannot be read back; a fleet result is yaml or json (the default yaml)"
        )
    namespace = check_namespace(args.namespace or "eidos")
    if kube is None:
        raise no_cluster()
    selector = parse_node_selector(args.node_selector or [])
    output = open_fleet_output(args.output, fmt, kube)
    timeout = DEFAULT_AGENT_TIMEOUT if args.timeout is None else args.timeout
    progress = FleetProgress(sys.stderr)
    result = None
    try:
        nodes, left_out = select_nodes(kube, selector)
        if not nodes and not left_out:
            raise CollectorError(_no_nodes(selector))
        output.check_size(len(nodes))
        progress.total, progress.skipped = len(nodes) + len(left_out), len(left_out)
        for node, why in sorted(left_out.items()):
            progress.line(f"{node}: not snapshotted: {why}")
        opts = new_run(
            timeout,
            namespace=namespace,
            image=args.image or os.environ.get("EIDOS_AGENT_IMAGE", "").strip() or DEFAULT_IMAGE,
            tolerations=DEFAULT_TOLERATIONS
            + tuple(parse_toleration(t) for t in args.toleration or []),
            runtime_class=args.runtime_class,
            snapshot_format="json",
        )
        settings = FleetSettings(parallel=args.parallel) if args.parallel else FleetSettings()
        with terminate_on_signals():
            result = (
                deploy_fleet(
                    kube,
                    opts,
                    nodes,
                    timeout=timeout,
                    collect=output.add,
                    settings=settings,
                    keep=args.keep,
                    progress=progress,
                )
                if nodes
                else None
            )
        collected = result.collected if result else []
        failures = {**left_out, **(result.failures if result else {})}
        progress.close()
        if collected:
            output.publish(failures, total=progress.total)
            progress.line(
                f"wrote {len(collected)} snapshot(s) to {output.where}"
                + (f" ({len(failures)} node(s) without one)" if failures else "")
            )
    finally:
        progress.close()
        output.discard()
    if result is not None and result.error is not None:
        raise result.error
    if failures:
        raise CollectorError(_summary(failures, progress.total, bool(collected)))
    return 0


def _no_nodes(selector: dict[str, str]) -> str:
    if selector:
        labels = ",".join(f"{k}={v}" for k, v in sorted(selector.items()))
        return (
            f"no node matches --node-selector {labels}; check the labels with: kubectl get "
            "nodes --show-labels"
        )
    return (
        "no node is labelled as an NVIDIA GPU node (nvidia.com/gpu.present=true or NFD's "
        "feature.node.kubernetes.io/pci-10de.present=true): label them (kubectl label node "
        "NAME nvidia.com/gpu.present=true), or pick nodes with --node-selector KEY=VALUE"
    )


def _summary(failures: dict[str, str], total: int, wrote: bool) -> str:
    names = sorted(failures)
    shown = ", ".join(names[:10]) + (f" and {len(names) - 10} more" if len(names) > 10 else "")
    head = f"{len(failures)} of {total} node(s) gave no snapshot: {shown}"
    if not wrote:
        return f"{head}; nothing was written (the reasons are above)"
    return f"{head}; the others were written (the reasons are above and in the result)"


def open_fleet_output(uri: str | None, fmt: str, kube: Any) -> FleetDirectory | FleetDocument:
    """``-o`` of a fleet run: a directory (``DIR/`` or an existing one), else one document."""
    if uri and "://" not in uri and (uri.endswith(os.sep) or os.path.isdir(uri)):
        return FleetDirectory(uri, fmt)
    return FleetDocument(uri, fmt, kube)


def _metadata(total: int) -> dict[str, str]:
    return {
        "fleet-nodes": str(total),
        "fleet-timestamp": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


class FleetDirectory:
    """``<node>.<ext>`` per node, staged next to the directory, published in one step."""

    def __init__(self, path: str, fmt: str) -> None:
        from eidos.bundlers.marker import Marker
        from eidos.bundlers.outdir import OutputDir

        marker = Marker(
            name=".eidos-fleet",
            magic="# eidos fleet snapshots",
            head="# eidos fleet snapshots (format 1), written by `eidos snapshot --deploy-agent "
            "--all-nodes`, which\n# replaces this directory as a whole and refuses to while it "
            "holds a file not listed here.\n",
            writer="eidos snapshot --all-nodes",
            what="fleet snapshots",
        )
        self.fmt = fmt
        self.where = path
        self.out = OutputDir(path.rstrip(os.sep) or path, force=True, marker=marker)
        self.out.check()
        self.staged: Any = None

    def check_size(self, nodes: int) -> None:
        """A directory holds any number of nodes."""

    def add(self, node: str, snapshot: Snapshot) -> None:
        """Stage one node's snapshot."""
        from eidos.serializer import dumps

        if self.staged is None:
            self.staged = self.out.begin()
        name = node if _NODE_FILE.fullmatch(node) else re.sub(r"[^A-Za-z0-9.-]", "_", node)
        self.staged.add(f"{name}.{self.fmt}", dumps(snapshot.to_dict(), self.fmt).encode())

    def publish(self, failures: dict[str, str], *, total: int) -> None:
        """Add the failures (if any) and swap the directory in."""
        from eidos.model.fleet import NodeFailure, SnapshotList
        from eidos.serializer import dumps

        if failures:
            doc = SnapshotList(
                [], [NodeFailure(n, failures[n]) for n in sorted(failures)], _metadata(total)
            )
            self.staged.add(f"{FAILURES_FILE}.{self.fmt}", dumps(doc.to_dict(), self.fmt).encode())
        self.out.publish_staged(self.staged)
        self.staged = None

    def discard(self) -> None:
        """Remove what was staged and not published."""
        if self.staged is not None:
            self.staged.discard()
            self.staged = None


class FleetDocument:
    """One SnapshotList; its items are spooled to a temporary file as they arrive."""

    def __init__(self, uri: str | None, fmt: str, kube: Any) -> None:
        import tempfile

        from eidos.serializer import open_destination

        self.fmt = fmt
        self.where = "standard output" if uri in (None, "", "-") else uri
        self.destination = open_destination(uri, component="snapshot", kube=kube)
        self.spool: BinaryIO | None = tempfile.TemporaryFile()  # noqa: SIM115 (closed in discard)
        self.count = 0
        self.configmap = self.where.startswith("cm://")

    def check_size(self, nodes: int) -> None:
        """Refuse, before any Job, a list too large to be stored or read back.

        Raises:
            InvalidRequestError: ``nodes`` snapshots would not fit.
        """
        from eidos.errors import InvalidRequestError
        from eidos.kube import MAX_CONFIGMAP_BYTES
        from eidos.serializer.limits import MAX_DOCUMENT_BYTES

        limit = MAX_CONFIGMAP_BYTES if self.configmap else MAX_DOCUMENT_BYTES
        if nodes * NODE_BYTES > limit:
            holds = "a ConfigMap holds" if self.configmap else "eidos reads documents of"
            raise InvalidRequestError(
                f"{nodes} nodes make one SnapshotList of about "
                f"{nodes * NODE_BYTES / 2**20:.0f} MiB, and {holds} at most "
                f"{limit / 2**20:.0f} MiB: write a directory instead (-o DIR/), or pick "
                "fewer nodes with --node-selector"
            )

    def add(self, node: str, snapshot: Snapshot) -> None:
        """Spool one node's snapshot, rendered as an item of the list."""
        assert self.spool is not None
        text = item_text(snapshot.to_dict(), self.fmt)
        if self.count and self.fmt == "json":
            text = ",\n" + text
        self.spool.write(text.encode("utf-8"))
        self.count += 1

    def publish(self, failures: dict[str, str], *, total: int) -> None:
        """Write the whole SnapshotList to the destination."""
        from eidos.logging import get_logger
        from eidos.serializer.destinations import FileDestination, StdoutDestination
        from eidos.serializer.limits import MAX_DOCUMENT_BYTES

        assert self.spool is not None
        if self.spool.tell() > MAX_DOCUMENT_BYTES and not self.configmap:
            get_logger(__name__).warning(
                f"the SnapshotList is {self.spool.tell() / 2**20:.0f} MiB: more than eidos "
                f"reads back ({MAX_DOCUMENT_BYTES / 2**20:.0f} MiB); write fleets this large "
                "as a directory (-o DIR/)"
            )
        chunks = snapshot_list_chunks(self.spool, failures, _metadata(total), self.fmt)
        if isinstance(self.destination, FileDestination | StdoutDestination):
            self.destination.write_chunks(chunks, fmt=self.fmt)
        else:
            self.destination.write("".join(chunks), fmt=self.fmt)

    def discard(self) -> None:
        """Close (and so remove) the spool file."""
        if self.spool is not None:
            self.spool.close()
            self.spool = None


def item_text(item: dict[str, Any], fmt: str) -> str:
    """``item`` as it appears in a SnapshotList's ``items`` (the emitters' own layout)."""
    from eidos.serializer import dumps

    text = dumps({"items": [item]}, fmt)
    if fmt == "json":
        return "\n".join(text.split("\n")[2:-3])
    return text.split("\n", 1)[1]


def snapshot_list_chunks(
    spool: BinaryIO, failures: dict[str, str], metadata: dict[str, str], fmt: str
) -> list[str] | Any:
    """The SnapshotList document in pieces: the same text as rendering it whole.

    A skeleton with one placeholder item is rendered, and the spooled items (already in
    the emitter's layout for an item of that list) replace the placeholder's line.
    """
    from eidos.model.fleet import NodeFailure, SnapshotList
    from eidos.serializer import dumps

    doc = SnapshotList([], [NodeFailure(n, failures[n]) for n in sorted(failures)], metadata)
    skeleton = doc.to_dict()
    skeleton["items"] = [_SENTINEL]
    text = dumps(skeleton, fmt)
    at = text.index(_SENTINEL)
    start = text.rindex("\n", 0, at) + 1
    end = text.index("\n", at) + 1
    if fmt == "json":
        end -= 1  # the items' last line carries no newline of its own

    def chunks() -> Any:
        yield text[:start]
        spool.seek(0)
        while block := spool.read(1 << 20):
            yield block.decode("utf-8")
        yield text[end:]

    return chunks()


class FleetProgress:
    """Fleet progress on stderr: an updating status line on a terminal, plain lines otherwise.

    The status says done/total, failures, running Jobs and the slowest node; failures
    and notes are lines of their own in both modes.
    """

    def __init__(self, stream: TextIO, *, tty: bool | None = None, total: int = 0) -> None:
        self.stream = stream
        self.tty = stream.isatty() if tty is None else tty
        self.total = total
        self.skipped = 0  # nodes set aside before the run (cordoned, not ready): failed
        self.started = time.monotonic()
        self.last_status = self.started
        self.status = ""

    def __call__(self, event: FleetEvent) -> None:
        """Show one event of :func:`eidos.agent.fleet.deploy_fleet`."""
        failed = event.failed + self.skipped
        done = f"{event.done + failed}/{self.total or event.total}"
        if event.kind == "note":
            self.line(event.text)
        elif event.kind == "failed":
            self.line(f"[{done}] {event.node}: FAILED: {event.text}")
        elif event.kind == "collected" and not self.tty:
            self.line(f"[{done}] {event.node}: snapshot collected ({event.text})")
        status = f"{done} nodes done, {failed} failed, {event.running} running"
        if event.slowest is not None:
            status += f"; slowest: {event.slowest[0]} ({event.slowest[1]:.0f}s)"
        if self.tty:
            self._draw(status)
        elif event.kind == "look" and event.running:
            now = time.monotonic()
            if now - self.last_status >= STATUS_EVERY:
                self.last_status = now
                self.line(status)

    def line(self, text: str) -> None:
        """A line of its own (above the status line on a terminal)."""
        elapsed = time.monotonic() - self.started
        body = text.replace("\n", "\n         ")
        if self.tty and self.status:
            self.stream.write("\r\x1b[K")
        self.stream.write(f"[{elapsed:5.1f}s] {body}\n")
        if self.tty and self.status:
            self.stream.write(self.status)
        self.stream.flush()

    def _draw(self, status: str) -> None:
        elapsed = time.monotonic() - self.started
        self.status = f"[{elapsed:5.1f}s] {status}"
        self.stream.write("\r\x1b[K" + self.status)
        self.stream.flush()

    def close(self) -> None:
        """End the status line (the terminal's cursor back at a line start)."""
        if self.tty and self.status:
            self.stream.write("\r\x1b[K")
            self.stream.flush()
        self.status = ""
