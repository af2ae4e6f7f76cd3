"""``eidos recipe``: a recipe from query flags or from a snapshot (file, URL, stdin, cm://)."""

from __future__ import annotations

import argparse

from eidos.names import COMMANDS, OUTPUT_FORMATS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["register", "run"]

EPILOG = """\
examples:
  eidos recipe --os ubuntu --service eks --gpu h100 --intent training
  eidos recipe --service gke --os cos --gpu h100 -t json -o recipe.json
  eidos recipe --k8s v1.33.5-eks-3025e55 --kernel 6.8.0-1028-aws --service eks --gpu gb200
  eidos recipe --snapshot snapshot.yaml --intent inference
  eidos snapshot | eidos recipe --snapshot -
  eidos recipe -f cm://gpu-operator/eidos-snapshot -o cm://gpu-operator/eidos-recipe
  eidos recipe --data ./my-recipes/ --gpu a100 --strict

Criteria left out are wildcards. Overlays apply from least to most specific; versions match
at the precision you give (--k8s 1.33 matches v1.33.5-eks-3025e55). When only the base
matches, eidos warns on stderr; --strict makes that an error (exit 5).
"""


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Declare ``eidos recipe`` and its options."""
    from eidos.cli.app import completes
    from eidos.model.query import GPUS, INTENTS, OS_FAMILIES, SERVICES

    p: argparse.ArgumentParser = subparsers.add_parser(
        "recipe",
        help=COMMANDS["recipe"],
        description="Build a validated configuration recipe: the base plus every overlay that "
        "matches the criteria.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    q = p.add_argument_group("criteria (case-insensitive; omit or 'any' for a wildcard)")
    completes(
        q.add_argument("--os", metavar="OS", help=f"OS family: {', '.join(OS_FAMILIES)}"),
        OS_FAMILIES,
    )
    q.add_argument("--osv", metavar="VERSION", help="OS version, e.g. 24.04")
    q.add_argument("--kernel", metavar="VERSION", help="kernel release, e.g. 6.8.0-1028-aws")
    completes(
        q.add_argument(
            "--service", metavar="SERVICE", help=f"Kubernetes service: {', '.join(SERVICES)}"
        ),
        SERVICES,
    )
    q.add_argument("--k8s", metavar="VERSION", help="Kubernetes version, e.g. 1.33 or v1.33.5")
    completes(q.add_argument("--gpu", metavar="GPU", help=f"GPU type: {', '.join(GPUS)}"), GPUS)
    completes(
        q.add_argument("--intent", metavar="INTENT", help=f"workload intent: {', '.join(INTENTS)}"),
        INTENTS,
    )
    src = p.add_argument_group("input and output")
    src.add_argument(
        "-f",
        "--snapshot",
        metavar="URI",
        help="infer the criteria from a snapshot: FILE, -, http(s)://, "
        "cm://namespace/name (query flags other than --intent are ignored)",
    )
    src.add_argument(
        "--context",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="include the explanation of every value (default: off for criteria, "
        "on for --snapshot)",
    )
    src.add_argument(
        "-o",
        "--output",
        metavar="URI",
        help="FILE, cm://namespace/name or - for stdout (default stdout)",
    )
    completes(
        src.add_argument(
            "-t",
            "--format",
            metavar="FORMAT",
            default=OUTPUT_FORMATS[0],
            help=f"output format: {', '.join(OUTPUT_FORMATS)} (default {OUTPUT_FORMATS[0]})",
        ),
        OUTPUT_FORMATS,
    )
    src.add_argument(
        "--data",
        metavar="PATH",
        help="use recipe data from this YAML/JSON file or directory instead of the embedded data",
    )
    src.add_argument(
        "--strict",
        action="store_true",
        help="fail (exit 5) when no overlay matches and only the base would apply",
    )
    return p


def _query(args: argparse.Namespace) -> Any:
    from eidos.errors import InvalidRequestError
    from eidos.model import DocumentError, Query, QueryError, Snapshot
    from eidos.recipe import query_from_snapshot

    try:
        if args.snapshot is None:
            return Query.build(
                os=args.os,
                osv=args.osv,
                kernel=args.kernel,
                service=args.service,
                k8s=args.k8s,
                gpu=args.gpu,
                intent=args.intent,
                with_context=bool(args.context),
            )
        from eidos.serializer import read_document

        ignored = [
            f"--{n}" for n in ("os", "osv", "kernel", "service", "k8s", "gpu") if getattr(args, n)
        ]
        if ignored:
            from eidos.logging import get_logger

            get_logger(__name__).warning(
                f"{', '.join(ignored)} ignored: with --snapshot the criteria come from the "
                "snapshot (only --intent is added)"
            )
        raw = read_document(args.snapshot)
        snapshot = Snapshot.from_dict(raw)
        query = query_from_snapshot(snapshot, args.intent)
        query.with_context = args.context is not False
        return query
    except QueryError as exc:
        raise InvalidRequestError(str(exc)) from None
    except DocumentError as exc:
        origin = "stdin" if args.snapshot == "-" else args.snapshot
        raise InvalidRequestError(f"{origin}: {exc}") from None


def run(args: argparse.Namespace) -> int:
    """Build the recipe and write it where ``--output`` says."""
    from eidos.errors import NoMatchingRuleError
    from eidos.recipe import RecipeBuilder, RecipeStore
    from eidos.serializer import dumps, open_destination, parse_format

    fmt = parse_format(args.format)
    destination = open_destination(args.output, component="recipe")
    query = _query(args)
    builder = RecipeBuilder(RecipeStore.load(args.data), cache_size=0)
    recipe = builder.build(query)
    if not recipe.matched_rules:
        message = f"no overlay matched {_describe(query)}; the recipe holds only the base defaults"
        if args.strict:
            raise NoMatchingRuleError(message)
        from eidos.logging import get_logger

        get_logger(__name__).warning(f"{message} (use --strict to make this an error)")
    destination.write(dumps(recipe.to_dict(), fmt), fmt=fmt)
    return 0


def _describe(query: Any) -> str:
    criteria = query.to_dict()
    criteria.pop("withContext", None)
    if not criteria:
        return "an empty query"
    return " ".join(f"{k}={v}" for k, v in criteria.items())
