"""Safe YAML reading: libyaml's C parser, YAML 1.2-style scalars, alias bombs refused.

Only ``true``/``false`` (any case form yaml.v3 accepts) are booleans, so ``yes``/``no``/
``on``/``off`` stay strings; dates stay strings. Aliases are expanded only while the
expanded document stays small, so a "billion laughs" document is refused, not built.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

__all__ = ["MAX_NODES", "YamlLoadError", "load_yaml"]

#: Upper bound on nodes after alias expansion (a large snapshot has ~3,000).
MAX_NODES = 1_000_000

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlLoadError(ValueError):
    """A YAML text that is malformed or unsafe to expand."""


class _Loader(_Base):  # type: ignore[misc]
    """SafeLoader with YAML 1.2-ish implicit types (no yes/no booleans, no timestamps)."""

    yaml_implicit_resolvers: dict[Any, Any] = {}


_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:bool", re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:int",
    re.compile(
        r"^(?:[-+]?0b[0-1_]+|[-+]?0o?[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+)$"
    ),
    list("-+0123456789"),
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:float",
    re.compile(
        r"^(?:[-+]?(?:[0-9][0-9_]*)\.[0-9_]*(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?(?:[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)"
        r"|\.[0-9][0-9_]*(?:[eE][-+]?[0-9]+)?"
        r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
    ),
    list("-+0123456789."),
)
_Loader.add_implicit_resolver(
    "tag:yaml.org,2002:null", re.compile(r"^(?:~|null|Null|NULL|)$"), ["~", "n", "N", ""]
)
_Loader.add_implicit_resolver("tag:yaml.org,2002:merge", re.compile(r"^(?:<<)$"), ["<"])


def _expanded_size(node: Any, memo: dict[int, int], limit: int) -> int:
    key = id(node)
    if key in memo:
        return memo[key]
    memo[key] = limit + 1  # a cycle counts as too large
    size = 1
    if isinstance(node, yaml.SequenceNode):
        for child in node.value:
            size += _expanded_size(child, memo, limit)
            if size > limit:
                break
    elif isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            size += _expanded_size(k, memo, limit) + _expanded_size(v, memo, limit)
            if size > limit:
                break
    memo[key] = size
    return size


def load_yaml(text: str, *, max_nodes: int = MAX_NODES) -> Any:
    """Parse one YAML document safely.

    Raises:
        YamlLoadError: malformed YAML, several documents, or too large once aliases expand.
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        if "*" in text and _expanded_size(node, {}, max_nodes) > max_nodes:
            raise YamlLoadError(
                f"document refused: more than {max_nodes} values once aliases are expanded "
                "(a YAML alias bomb?)"
            )
        return loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        raise YamlLoadError(_describe(exc)) from None
    except yaml.YAMLError as exc:
        raise YamlLoadError(" ".join(str(exc).split())) from None
    finally:
        loader.dispose()


def _describe(exc: yaml.MarkedYAMLError) -> str:
    """``line L, column C: problem (context)`` without PyYAML's "<unicode string>" noise."""
    mark = exc.problem_mark or exc.context_mark
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    problem = exc.problem or exc.context or "malformed YAML"
    context = f" ({exc.context})" if exc.problem and exc.context else ""
    return " ".join(f"{where}{problem}{context}".split())
