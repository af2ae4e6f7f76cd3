"""``eidos recipe``: a recipe from query flags, a criteria file or a snapshot.

The options and the build are shared with ``eidos query`` (``add_recipe_options`` and
``build_recipe``), so both commands take the same criteria the same way.
"""

from __future__ import annotations

from eidos.names import COMMANDS, OUTPUT_FORMATS

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any

__all__ = ["add_recipe_options", "build_recipe", "register", "run"]

EPILOG = """\
examples:
  eidos recipe --os ubuntu --service eks --gpu h100 --intent training
  eidos recipe --service eks --accelerator h100 --intent training --platform kubeflow --nodes 8
  eidos recipe --service gke --os cos --gpu h100 -t json -o recipe.json
  eidos recipe --criteria criteria.yaml --nodes 16
  eidos recipe --snapshot snapshot.yaml --intent inference
  eidos snapshot | eidos recipe --snapshot -
  eidos recipe -f cm://gpu-operator/eidos-snapshot -o cm://gpu-operator/eidos-recipe
  eidos recipe --data ./site-components.yaml --gpu a100 --strict

Criteria left out are wildcards. Overlays apply from least to most specific; versions match
at the precision you give (--k8s 1.33 matches v1.33.5-eks-3025e55). The recipe lists its
components (componentRefs: chart, values, dependencies) in deploymentOrder, and the
constraints it assumes of a node. --data with a base replaces the embedded data; without
one it adds site components and overlays. When only the base matches, eidos warns on
stderr; --strict makes that an error (exit 5).
"""

#: criteria flags that a snapshot supplies itself (only intent, platform, nodes are added)
_FROM_SNAPSHOT = ("os", "osv", "kernel", "service", "k8s", "gpu")


def add_recipe_options(p: argparse.ArgumentParser) -> None:
    """The criteria and input options ``recipe`` and ``query`` share."""
    from eidos.cli.app import completes
    from eidos.cli.fastargs import add_negatable
    from eidos.model.query import GPUS, INTENTS, OS_FAMILIES, PLATFORMS, SERVICES

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
    completes(
        q.add_argument(
            "--gpu", "--accelerator", metavar="GPU", help=f"GPU type: {', '.join(GPUS)}"
        ),
        GPUS,
    )
    completes(
        q.add_argument("--intent", metavar="INTENT", help=f"workload intent: {', '.join(INTENTS)}"),
        INTENTS,
    )
    completes(
        q.add_argument(
            "--platform", metavar="PLATFORM", help=f"AI platform: {', '.join(PLATFORMS)}"
        ),
        PLATFORMS,
    )
    q.add_argument("--nodes", metavar="N", help="number of nodes in the cluster, e.g. 8")
    q.add_argument(
        "--criteria",
        metavar="FILE",
        help="read the criteria from a file (YAML/JSON, kind RecipeCriteria); flags win",
    )
    src = p.add_argument_group("input and output")
    src.add_argument(
        "-f",
        "--snapshot",
        metavar="URI",
        help="infer the criteria from a snapshot: FILE, -, http(s)://, "
        "cm://namespace/name (only --intent, --platform and --nodes are added to it)",
    )
    add_negatable(
        src,
        "--context",
        default=None,
        help="include why every value is what it is and which overlay set it (default: off "
        "for criteria, on for --snapshot)",
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
        help="recipe data (YAML/JSON file or directory): with a base it replaces the "
        "embedded data, without one it adds site components and overlays",
    )
    src.add_argument(
        "--strict",
        action="store_true",
        help="fail (exit 5) when no overlay matches and only the base would apply",
    )


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Declare ``eidos recipe`` and its options."""
    p: argparse.ArgumentParser = subparsers.add_parser(
        "recipe",
        help=COMMANDS["recipe"],
        description="Build a validated configuration recipe: the base plus every overlay that "
        "matches the criteria.",
        epilog=EPILOG,
    )
    add_recipe_options(p)
    return p


def _criteria(args: argparse.Namespace, names: tuple[str, ...]) -> dict[str, Any]:
    """Criteria from ``--criteria FILE`` with the flags in ``names`` laid over them."""
    out: dict[str, Any] = {}
    if args.criteria is not None:
        from eidos.errors import InvalidRequestError
        from eidos.model.criteria import read_criteria
        from eidos.model.query import QueryError
        from eidos.serializer import read_document

        try:
            out = read_criteria(read_document(args.criteria))
        except QueryError as exc:
            raise InvalidRequestError(f"{args.criteria}: {exc}") from None
    for name in names:
        value = getattr(args, name)
        if value is not None:
            out[name] = value
    return out


def _query(args: argparse.Namespace, warn: Any) -> Any:
    from eidos.errors import InvalidRequestError
    from eidos.model import DocumentError, Query, QueryError, Snapshot

    try:
        if args.snapshot is None:
            fields = (*_FROM_SNAPSHOT, "intent", "platform", "nodes")
            return Query.build(with_context=bool(args.context), **_criteria(args, fields))
        from eidos.recipe import infer_query
        from eidos.serializer import read_document

        ignored = [f"--{n}" for n in (*_FROM_SNAPSHOT, "criteria") if getattr(args, n)]
        if ignored:
            warn(
                f"{', '.join(ignored)} ignored: with --snapshot the criteria come from the "
                "snapshot (only --intent, --platform and --nodes are added)"
            )
        snapshot = Snapshot.from_dict(read_document(args.snapshot))
        inference = infer_query(snapshot, args.intent)
        for note in inference.ignored:
            warn(f"snapshot: {note}")
        query = inference.query
        extra = Query.build(platform=args.platform, nodes=args.nodes)
        query.platform, query.nodes = extra.platform, extra.nodes
        query.with_context = args.context is not False
        return query
    except QueryError as exc:
        raise InvalidRequestError(str(exc)) from None
    except DocumentError as exc:
        origin = "stdin" if args.snapshot == "-" else args.snapshot
        raise InvalidRequestError(f"{origin}: {exc}") from None


def _warn(message: str) -> None:
    from eidos.logging import get_logger

    get_logger("eidos.cli.recipe").warning(message)


def build_recipe(args: argparse.Namespace) -> Any:
    """Build the recipe the options describe; warn (or with --strict fail) on base-only."""
    from eidos.errors import NoMatchingRuleError
    from eidos.recipe import RecipeBuilder, RecipeStore

    query = _query(args, _warn)
    builder = RecipeBuilder(RecipeStore.load(args.data), cache_size=0)
    recipe = builder.build(query)
    if not recipe.matched_rules:
        message = f"no overlay matched {_describe(query)}; the recipe holds only the base defaults"
        if args.strict:
            raise NoMatchingRuleError(message)
        _warn(f"{message} (use --strict to make this an error)")
    return recipe


def run(args: argparse.Namespace) -> int:
    """Build the recipe and write it where ``--output`` says."""
    from eidos.serializer import dumps, open_destination, parse_format

    fmt = parse_format(args.format)
    destination = open_destination(args.output, component="recipe")
    recipe = build_recipe(args)
    destination.write(dumps(recipe.to_dict(), fmt), fmt=fmt)
    return 0


def _describe(query: Any) -> str:
    criteria = query.to_dict()
    criteria.pop("withContext", None)
    if not criteria:
        return "an empty query"
    return " ".join(f"{k}={v}" for k, v in criteria.items())
