"""``eidos validate``: check snapshots (one node or a fleet) against a recipe's constraints."""

from __future__ import annotations

import argparse

from eidos.names import COMMANDS, EXIT_VALIDATION, FAIL_ON, VALIDATE_FORMATS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

__all__ = ["register", "run"]

EPILOG = f"""\
examples:
  eidos validate --recipe recipe.yaml --snapshot snapshot.yaml
  eidos recipe --snapshot snap.yaml -o r.yaml && eidos validate -r r.yaml -f snap.yaml
  eidos validate -r recipe.yaml -f ./fleet/ -t junit -o report.xml    a directory of snapshots
  eidos validate -r recipe.yaml -f fleet.yaml -t ctrf                  a SnapshotList
  eidos validate -r recipe.yaml -f cm://gpu-operator/eidos-snapshot --fail-on warning
  eidos validate -r recipe.yaml --deploy-agent --node gpu-node-1       capture live first

Every constraint of the recipe is checked on every node: pass, fail (an error-severity
constraint does not hold), warn (a warning-severity one does not), or skip (the snapshot
has no such reading; the report says why). A kernel module missing from a snapshot's
OS/kmod list counts as not loaded (false). The node is the snapshot's source-node, else
its file name.

exit codes: 0 when no outcome that --fail-on counts occurred, {EXIT_VALIDATION} when one did
(error: failed constraints; warning: also warnings; skip: also skipped ones), 2 for a
bad recipe, snapshot or option, 3 when a file or URL cannot be read.
"""


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Declare ``eidos validate`` and its options."""
    from eidos.cli.app import completes

    p: argparse.ArgumentParser = subparsers.add_parser(
        "validate",
        help=COMMANDS["validate"],
        description="Check one or more snapshots against the constraints of a recipe and "
        "report every outcome per node.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    src = p.add_argument_group("input")
    src.add_argument(
        "-r",
        "--recipe",
        metavar="URI",
        required=True,
        help="the recipe: FILE, -, http(s)://, cm://namespace/name",
    )
    src.add_argument(
        "-f",
        "--snapshot",
        metavar="URI",
        action="append",
        help="a snapshot (FILE, -, http(s)://, cm://namespace/name), a SnapshotList "
        "document or a directory of snapshot files (repeatable)",
    )
    out = p.add_argument_group("output")
    completes(
        out.add_argument(
            "-t",
            "--format",
            metavar="FORMAT",
            default=VALIDATE_FORMATS[0],
            help=f"report format: {', '.join(VALIDATE_FORMATS)} (default {VALIDATE_FORMATS[0]}; "
            "junit and ctrf are for CI systems)",
        ),
        VALIDATE_FORMATS,
    )
    out.add_argument("-o", "--output", metavar="FILE", help="FILE or - for stdout (default)")
    completes(
        out.add_argument(
            "--fail-on",
            metavar="LEVEL",
            default=FAIL_ON[0],
            help=f"the least outcome that fails the run: {', '.join(FAIL_ON)} "
            f"(default {FAIL_ON[0]})",
        ),
        FAIL_ON,
    )
    p.add_argument(
        "--timeout",
        metavar="DURATION",
        default=None,
        help="with --deploy-agent, time to wait for the agent, e.g. 90s, 10m (default 5m)",
    )
    from eidos.cli._agent import add_options

    add_options(p, then="validate its snapshot (with any --snapshot)")
    p.set_defaults(cleanup_only=False)  # the agent path reads it; validate never cleans up only
    return p


def _recipe(uri: str) -> Any:
    from eidos.errors import InvalidRequestError
    from eidos.model import DocumentError, Recipe
    from eidos.serializer import read_document

    try:
        return Recipe.from_dict(read_document(uri))
    except DocumentError as exc:
        raise InvalidRequestError(f"{'stdin' if uri == '-' else uri}: {exc}") from None


class _Captured:
    """Takes the snapshot the agent path writes, instead of a file."""

    text = ""

    def write(self, text: str, *, fmt: str) -> None:
        self.text = text


def _live(args: argparse.Namespace) -> Iterator[Any]:
    """The node the agent snapshots, captured through ``eidos snapshot --deploy-agent``."""
    from eidos.cli._agent import open_kube, run_agent
    from eidos.serializer import loads
    from eidos.validate import NodeInput
    from eidos.validate.inputs import node_name

    kube = open_kube(args)
    try:
        captured = _Captured()
        run_agent(args, kube, "json", captured)
    finally:
        if kube is not None:
            kube.close()
    doc = loads(captured.text, origin="the agent's snapshot")
    yield NodeInput(node_name(doc, "agent"), "agent", doc)


def _check(args: argparse.Namespace) -> tuple[str, str]:
    from eidos.cli._agent import check_options, parse_timeout
    from eidos.errors import InvalidRequestError
    from eidos.validate import parse_report_format

    check_options(args)
    fmt = parse_report_format(args.format)
    fail_on = (args.fail_on or "").strip().lower()
    if fail_on not in FAIL_ON:
        raise InvalidRequestError(
            f"invalid --fail-on {args.fail_on!r}; valid values: {', '.join(FAIL_ON)}"
        )
    if not args.snapshot and not args.deploy_agent:
        raise InvalidRequestError(
            "nothing to validate: give --snapshot URI (repeatable; a file, a SnapshotList or "
            "a directory) or --deploy-agent"
        )
    if args.snapshot and args.snapshot.count("-") > 1:
        raise InvalidRequestError("--snapshot - (stdin) can be given once")
    if args.recipe == "-" and "-" in (args.snapshot or []):
        raise InvalidRequestError("the recipe and a snapshot cannot both come from stdin")
    if args.timeout is not None and not args.deploy_agent:
        raise InvalidRequestError("--timeout needs --deploy-agent")
    parse_timeout(args)
    return fmt, fail_on


def run(args: argparse.Namespace) -> int:
    """Validate and write the report; exit 6 when an outcome --fail-on counts occurred."""
    import itertools
    from datetime import UTC, datetime

    from eidos.logging import get_logger
    from eidos.serializer import open_destination
    from eidos.validate import read_nodes, render_report, validate

    fmt, fail_on = _check(args)
    destination = open_destination(args.output, component="report")
    recipe = _recipe(args.recipe)
    log = get_logger("eidos.cli.validate")
    origin = "stdin" if args.recipe == "-" else args.recipe
    if not recipe.constraints:
        log.warning(f"{origin} has no constraints: there is nothing to check")
    nodes = itertools.chain(
        _live(args) if args.deploy_agent else (), read_nodes(args.snapshot or [])
    )
    report = validate(
        recipe,
        nodes,
        fail_on=fail_on,
        recipe_origin=origin,
        timestamp=datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
    )
    for node in report.nodes:
        if node.missing:
            log.warning(
                f"node {node.node} has no snapshot ({node.missing}); its checks are skipped"
            )
    destination.write(render_report(report, fmt), fmt=fmt)
    return 0 if report.passed else EXIT_VALIDATION
