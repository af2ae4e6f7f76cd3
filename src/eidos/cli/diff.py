"""``eidos diff``: two snapshots or recipes side by side, or the odd nodes out of a fleet."""

from __future__ import annotations

import argparse

from eidos.names import COMMANDS, DIFF_FORMATS, EXIT_GENERAL

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["register", "run"]

EPILOG = f"""\
examples:
  eidos diff before.yaml after.yaml                  what changed on a node
  eidos diff r-old.yaml r-new.yaml -t json           two recipes
  eidos diff a.yaml b.yaml --ignore 'OS.sysctl./proc/sys/net/*'
  eidos snapshot | eidos diff golden.yaml -          this node against a golden one
  eidos diff --fleet ./fleet/                        the odd nodes out of a fleet
  eidos diff --fleet fleet.yaml n7.yaml -t yaml      a SnapshotList plus another node

Keys are paths like constraint paths: Type.subtype.key (OS.sysctl./proc/sys/vm/swappiness,
GPU.smi.driver), metadata.<key>, and for recipes components.<name>.<value path>,
constraints.<path>, request.<field>, deploymentOrder, matchedRules. Values that change on
every read (timestamps, PIDs, counters) and values that name the node (hostname, GPU UUIDs)
are ignored unless --all-keys; --ignore GLOB (repeatable) ignores more.

exit codes (like diff(1)): 0 the same, {EXIT_GENERAL} they differ (--fleet: some node differs
from the majority), 2 bad input or options, 3 a file or URL that cannot be read.
"""


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Declare ``eidos diff`` and its options."""
    from eidos.cli.app import completes

    p: argparse.ArgumentParser = subparsers.add_parser(
        "diff",
        help=COMMANDS["diff"],
        description="Compare two snapshots (or two recipes) key by key, or with --fleet "
        "find, for every key, the nodes whose value differs from the majority.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "documents",
        metavar="URI",
        nargs="*",
        help="A and B (FILE, -, http(s)://, cm://namespace/name); with --fleet: snapshots, "
        "SnapshotList documents or directories of snapshots",
    )
    p.add_argument(
        "--fleet",
        action="store_true",
        help="compare every node of the given snapshots with the majority",
    )
    p.add_argument(
        "--ignore",
        metavar="GLOB",
        action="append",
        help="also ignore keys whose path matches (repeatable), e.g. 'SystemD.*.NRestarts'",
    )
    p.add_argument(
        "--all-keys",
        action="store_true",
        help="compare volatile and per-node keys too (timestamps, PIDs, hostname, GPU UUIDs)",
    )
    completes(
        p.add_argument(
            "-t",
            "--format",
            metavar="FORMAT",
            default=DIFF_FORMATS[0],
            help=f"output format: {', '.join(DIFF_FORMATS)} (default {DIFF_FORMATS[0]})",
        ),
        DIFF_FORMATS,
    )
    p.add_argument("-o", "--output", metavar="FILE", help="FILE or - for stdout (default)")
    return p


def _format(value: str | None) -> str:
    from eidos.errors import InvalidRequestError

    fmt = (value or DIFF_FORMATS[0]).strip().lower()
    if fmt not in DIFF_FORMATS:
        raise InvalidRequestError(
            f"unknown output format {value!r}; valid formats: {', '.join(DIFF_FORMATS)}"
        )
    return fmt


def _pair(args: argparse.Namespace, keys: Any, fmt: str) -> tuple[str, bool]:
    from eidos.errors import InvalidRequestError
    from eidos.serializer import dumps, read_document
    from eidos.validate import DocumentDiff, document_entries
    from eidos.validate.diff_table import render_diff_table

    if len(args.documents) != 2:
        raise InvalidRequestError(
            f"eidos diff compares two documents (A B), got {len(args.documents)}; "
            "use --fleet for more"
        )
    if args.documents == ["-", "-"]:
        raise InvalidRequestError("A and B cannot both come from stdin")
    names = ["stdin" if d == "-" else d for d in args.documents]
    (kind_a, a), (kind_b, b) = (
        document_entries(read_document(d), name)
        for d, name in zip(args.documents, names, strict=True)
    )
    if kind_a != kind_b:
        raise InvalidRequestError(f"cannot compare a {kind_a} ({names[0]}) with a {kind_b}")
    diff = DocumentDiff(a, b, keys)
    if fmt == "table":
        return render_diff_table(diff, *names), diff.equal
    return dumps(diff.to_dict(names[0], names[1], kind_a), fmt), diff.equal


def _fleet(args: argparse.Namespace, keys: Any, fmt: str) -> tuple[str, bool]:
    from eidos.errors import InvalidRequestError
    from eidos.logging import get_logger
    from eidos.model import DocumentError
    from eidos.serializer import dumps
    from eidos.validate import FleetDiff, read_nodes, reading_entries
    from eidos.validate.diff_table import render_fleet_table
    from eidos.validate.inputs import unique_names

    if not args.documents:
        raise InvalidRequestError("--fleet needs snapshots: files, SnapshotLists or directories")
    fleet = FleetDiff(keys)
    for item in unique_names(read_nodes(args.documents)):
        if item.doc is None:
            get_logger("eidos.cli.diff").warning(
                f"node {item.node} has no snapshot ({item.missing}); it is left out"
            )
            continue
        try:
            fleet.add(item.node, reading_entries(item.doc))
        except DocumentError as exc:
            raise InvalidRequestError(f"{item.origin}: {exc}") from None
    if len(fleet.nodes) < 2:
        raise InvalidRequestError(
            f"--fleet needs at least two snapshots to compare, got {len(fleet.nodes)}"
        )
    found = fleet.outliers()
    if fmt == "table":
        return render_fleet_table(fleet, found), not found
    return dumps(fleet.to_dict(found), fmt), not found


def run(args: argparse.Namespace) -> int:
    """Compare and print; 0 when equal, 1 when they differ."""
    from eidos.serializer import open_destination
    from eidos.validate import KeyFilter

    fmt = _format(args.format)
    destination = open_destination(args.output, component="diff")
    keys = KeyFilter(args.ignore or (), all_keys=args.all_keys)
    text, equal = (_fleet if args.fleet else _pair)(args, keys, fmt)
    destination.write(text, fmt=fmt)
    return 0 if equal else EXIT_GENERAL
