"""``eidos query``: one value of a recipe, selected by a dot path, for scripts.

Takes every ``eidos recipe`` option plus ``--selector``. Scalars print raw (a version, a
namespace, ``true``) so a shell can use them directly; mappings and lists print as YAML or
JSON per ``-t``. A selector that names nothing is exit 2 with the nearest valid keys.
"""

from __future__ import annotations

from eidos.names import COMMANDS

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any

__all__ = ["register", "render_value", "run"]

EPILOG = """\
selectors (dot paths; '.' is the whole document):
  components.gpu-operator.values.driver.version   a value a component's chart gets
  components.gpu-operator.chart                   chart repository, name and version
  components.kube-prometheus-stack.namespace
  deploymentOrder                                 components, dependencies first
  constraints                                     what the recipe assumes of a node
  constraints.0.check                             lists are indexed from 0
  measurements.K8s.image.driver                   measurements by type, subtype, key
  request                                         the criteria the recipe was built for

examples:
  eidos query --service eks --gpu h100 --intent training --selector deploymentOrder
  eidos query --service eks --gpu h100 --selector components.gpu-operator.chart.version
  VERSION=$(eidos query --os ubuntu --selector measurements.K8s.image.driver)
  eidos query --snapshot snapshot.yaml --selector constraints -t json
"""


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Declare ``eidos query``: the recipe options plus ``--selector``."""
    from eidos.cli.recipe import add_recipe_options

    p: argparse.ArgumentParser = subparsers.add_parser(
        "query",
        help=COMMANDS["query"],
        description="Build the recipe the criteria describe and print the value a dot path "
        "selects: scalars raw, mappings and lists as YAML or JSON.",
        epilog=EPILOG,
    )
    p.add_argument(
        "--selector",
        "-s",
        metavar="PATH",
        required=True,
        help="dot path into the recipe, e.g. components.gpu-operator.values.driver.version",
    )
    add_recipe_options(p)
    return p


def render_value(value: Any, fmt: str) -> str:
    """Scalars as plain text (``true``, ``null``, ``580.105.08``); the rest per ``fmt``."""
    from eidos.serializer import dumps

    if isinstance(value, dict | list):
        return dumps(value, fmt)
    if value is None:
        return "null\n"
    if isinstance(value, bool):
        return ("true" if value else "false") + "\n"
    return f"{value}\n"


def run(args: argparse.Namespace) -> int:
    """Build the recipe, resolve the selector and print the value."""
    from eidos.cli.recipe import build_recipe
    from eidos.errors import InvalidRequestError
    from eidos.model.selector import SelectorError, resolve
    from eidos.serializer import open_destination, parse_format

    fmt = parse_format(args.format)
    destination = open_destination(args.output, component="query")
    recipe = build_recipe(args)
    try:
        value = resolve(recipe.query_view(), args.selector)
    except SelectorError as exc:
        raise InvalidRequestError(
            f"selector {args.selector!r}: {exc}", details={"nearest": exc.nearest}
        ) from None
    destination.write(render_value(value, fmt), fmt=fmt)
    return 0
