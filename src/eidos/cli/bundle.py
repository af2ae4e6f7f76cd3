"""``eidos bundle``: deployment bundles (Helm values, manifests, scripts) from a recipe."""

from __future__ import annotations

import argparse

from eidos.errors import InvalidRequestError
from eidos.names import BUNDLERS, COMMANDS, SUMMARY_FORMATS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["register", "run"]

EPILOG = f"""\
bundlers: {", ".join(BUNDLERS)} (default: all)

examples:
  eidos bundle -f recipe.yaml                          all bundles under ./bundles
  eidos bundle -f recipe.yaml -b gpu-operator -o out   one bundle under ./out
  eidos recipe --service eks --gpu h100 | eidos bundle -f - --force
  eidos bundle -f https://example.com/recipe.json --format json
  eidos bundle -f recipe.yaml --chart-version gpu-operator=v25.3.3 --namespace gpu-system

Each bundler writes <output>/<bundler>/: values.yaml, manifests/, scripts/install.sh,
scripts/uninstall.sh, README.md and checksums.txt. The same recipe always gives the same
bytes. The output directory is written in one atomic step and holds the bundles of one run
only; it is replaced only with --force and only if eidos wrote it (its .eidos-bundle file
lists every file eidos wrote). A second eidos writing the same directory waits for the
first (--no-wait: exit 3 at once). A summary goes to stdout; the exit code is that of the
first failure (2: bad recipe or arguments, 3: file I/O, or a directory eidos did not write).
"""


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Declare ``eidos bundle`` and its options."""
    from eidos.cli.app import completes

    p: argparse.ArgumentParser = subparsers.add_parser(
        "bundle",
        help=COMMANDS["bundle"],
        description="Render deployment bundles for the NVIDIA GPU and Network Operators from a "
        "recipe: Helm values, custom resources, install scripts and a README.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument(
        "-f",
        "--recipe",
        metavar="URI",
        required=True,
        help="the recipe: FILE, - (stdin), http(s)://... or cm://namespace/name",
    )
    completes(
        p.add_argument(
            "-b",
            "--bundlers",
            metavar="NAME[,NAME]",
            action="append",
            help="bundlers to run; repeatable and comma-separated (default: all)",
        ),
        BUNDLERS,
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="DIR",
        default="./bundles",
        help="directory for the bundles (default ./bundles)",
    )
    completes(
        p.add_argument(
            "-t",
            "--format",
            metavar="FORMAT",
            default=SUMMARY_FORMATS[0],
            help=f"summary format on stdout: {', '.join(SUMMARY_FORMATS)} "
            f"(default {SUMMARY_FORMATS[0]})",
        ),
        SUMMARY_FORMATS,
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="replace the bundles in the output directory (only a directory eidos wrote)",
    )
    p.add_argument(
        "--no-wait",
        action="store_true",
        help="fail at once (exit 3) if another eidos is writing the output directory, "
        "instead of waiting for it",
    )
    p.add_argument(
        "--fail-fast",
        action="store_true",
        help="write nothing if any bundler rejects the recipe, and stop the others "
        "at the first failure",
    )
    p.add_argument(
        "--namespace",
        metavar="NAMESPACE",
        help="install every bundle into this namespace (default: the bundler name)",
    )
    p.add_argument(
        "--chart-version",
        metavar="BUNDLER=VERSION",
        action="append",
        default=[],
        help="Helm chart version (default: the operator version in the recipe)",
    )
    p.add_argument(
        "--chart-repo",
        metavar="BUNDLER=URL",
        action="append",
        default=[],
        help="Helm repository (default https://helm.ngc.nvidia.com/nvidia)",
    )
    p.add_argument(
        "--label",
        metavar="KEY=VALUE",
        action="append",
        default=[],
        help="label for the generated custom resources (repeatable)",
    )
    p.add_argument(
        "--annotation",
        metavar="KEY=VALUE",
        action="append",
        default=[],
        help="annotation for the generated custom resources (repeatable)",
    )
    return p


def _names(values: list[str] | None) -> list[str]:
    return [part.strip() for value in values or () for part in value.split(",") if part.strip()]


def _pairs(option: str, values: list[str]) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise InvalidRequestError(f"{option} expects KEY=VALUE, got {item!r}")
        pairs[key.strip()] = value.strip()
    return pairs


def _summary(report: Any, fmt: str) -> str:
    if fmt != "table":
        from eidos.serializer import dumps

        return dumps(report.to_dict(), fmt)
    rows = [("BUNDLER", "FILES", "BYTES", "DURATION", "STATUS")]
    for r in report.results:
        rows.append(
            (r.name, str(len(r.files)), str(r.total_bytes), f"{r.duration * 1000:.1f}ms", r.status)
        )
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row[:4], widths, strict=True)) + "  " + row[4]
        for row in rows
    ]
    return "\n".join(line.rstrip() for line in lines) + "\n"


def _config(args: argparse.Namespace) -> Any:
    from eidos.bundlers import BundleConfig

    return BundleConfig(
        namespace=args.namespace,
        force=args.force,
        wait=not args.no_wait,
        fail_fast=args.fail_fast,
        chart_versions=_pairs("--chart-version", args.chart_version),
        chart_repositories=_pairs("--chart-repo", args.chart_repo),
        labels=_pairs("--label", args.label),
        annotations=_pairs("--annotation", args.annotation),
    )


def _recipe(uri: str) -> Any:
    from eidos.model import DocumentError, Recipe
    from eidos.serializer import read_document

    raw = read_document(uri)
    try:
        return raw if isinstance(raw, Recipe) else Recipe.from_dict(raw)
    except DocumentError as exc:
        origin = "stdin" if uri == "-" else uri
        raise InvalidRequestError(f"{origin}: {exc}") from None


def _raise_failures(report: Any) -> None:
    """Raise the first failure's error class with every failure's message."""
    errors = [(r.name, r.error) for r in report.results if r.error is not None]
    if not errors:
        return
    messages = [
        e.message if e.message.startswith(f"{name}:") else f"{name}: {e.message}"
        for name, e in errors
    ]
    first = errors[0][1]
    if len(errors) == 1:
        raise type(first)(messages[0], details=first.details)
    raise type(first)(
        f"{len(errors)} of {len(report.results)} bundlers failed: " + "; ".join(messages),
        details=first.details,
    )


def run(args: argparse.Namespace) -> int:
    """Read the recipe, make the bundles, print the summary; raise the first failure."""
    from eidos.bundlers import make_bundles, select
    from eidos.serializer import parse_format
    from eidos.serializer.destinations import StdoutDestination

    fmt = parse_format(args.format, default=SUMMARY_FORMATS[0])
    names = _names(args.bundlers)
    if args.bundlers is not None and not names:
        raise InvalidRequestError(
            f"no bundler selected; valid bundlers: {', '.join(BUNDLERS)} (omit -b for all)"
        )
    select(names)
    summary = StdoutDestination()  # a closed stdout fails here, before anything is written
    config = _config(args)
    recipe = _recipe(args.recipe)
    report = make_bundles(recipe, args.output, names, config)
    summary.write(_summary(report, fmt), fmt=fmt)
    _raise_failures(report)
    return 0
