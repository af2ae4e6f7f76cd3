"""Safe YAML reading: libyaml's C parser, YAML 1.2-style scalars, bounded expansion.

Only ``true``/``false`` (any case form yaml.v3 accepts) are booleans, so ``yes``/``no``/
``on``/``off`` stay strings; dates stay strings. A key repeated in one mapping is an error
(naming the key and its line), never "last one wins". Aliases are expanded only while the
expanded document stays within the size limits, so a "billion laughs" document is refused,
not built; nesting is bounded by :data:`~eidos.serializer.limits.MAX_DEPTH`.
"""

from __future__ import annotations

import re
from typing import Any

import yaml

from eidos.serializer.limits import (
    MAX_DEPTH,
    MAX_DOCUMENT_BYTES,
    DocumentLimitError,
    check_depth,
    too_deep,
)

__all__ = ["MAX_NODES", "YamlLoadError", "load_yaml"]

#: Upper bound on nodes after alias expansion (a large snapshot has ~3,000).
MAX_NODES = 1_000_000

_Base: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlLoadError(ValueError):
    """A YAML text that is malformed or unsafe to expand."""


_MERGE = "tag:yaml.org,2002:merge"


class _Loader(_Base):  # type: ignore[misc]
    """SafeLoader with YAML 1.2-ish implicit types (no yes/no booleans, no timestamps)."""

    yaml_implicit_resolvers: dict[Any, Any] = {}

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._own_pairs: dict[int, list[Any]] = {}

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        """Remember a mapping's own pairs before ``<<`` merges mix others into them."""
        if id(node) not in self._own_pairs:
            self._own_pairs[id(node)] = node.value[:]
        super().flatten_mapping(node)

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """Build the mapping; fewer keys than pairs means a key came twice: find it.

        Keys merged in with ``<<`` may repeat (the mapping's own key wins, as YAML
        intends), so only the mapping's own pairs are searched for the duplicate.
        """
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        if len(mapping) != len(node.value):
            self._refuse_duplicates(self._own_pairs.get(id(node)) or node.value)
        return mapping

    def _refuse_duplicates(self, pairs: list[Any]) -> None:
        first: dict[Any, int] = {}
        for key_node, _ in pairs:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _MERGE:
                continue
            key = (key_node.tag, self.construct_object(key_node))
            line = key_node.start_mark.line + 1
            if key in first:
                raise YamlLoadError(
                    f"line {line}, column {key_node.start_mark.column + 1}: duplicate key "
                    f"{key_node.value!r} (first on line {first[key]})"
                )
            first[key] = line


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


def _check_expansion(root: Any, max_nodes: int, max_bytes: int, max_depth: int) -> None:
    """Measure the document as aliases would expand it, without expanding it.

    One post-order walk over the collections with memoised (values, bytes, depth), so a
    shared node costs one visit however often it is referenced; a scalar counts its length
    plus one byte and is never put on the stack.

    Raises:
        DocumentLimitError: too many values, too many bytes, too deep, or a cycle.
    """
    scalar = yaml.ScalarNode
    memo: dict[int, tuple[int, int, int]] = {}
    active: set[int] = set()
    stack = [] if isinstance(root, scalar) else [root]
    while stack:
        node = stack[-1]
        key = id(node)
        if key in memo:
            stack.pop()
            continue
        if isinstance(node, yaml.MappingNode):
            children = [child for pair in node.value for child in pair]
        else:
            children = node.value
        if key not in active:
            active.add(key)
            pending = [c for c in children if not isinstance(c, scalar) and id(c) not in memo]
            if pending:
                if any(id(c) in active for c in pending):
                    raise DocumentLimitError("document refused: an alias refers to itself")
                stack.extend(pending)
                continue
        stack.pop()
        active.discard(key)
        values = size = depth = 1
        for child in children:
            if isinstance(child, scalar):
                values += 1
                size += len(child.value) + 1
            else:
                n, b, d = memo[id(child)]
                values, size, depth = values + n, size + b, max(depth, d + 1)
        if values > max_nodes or size > max_bytes:
            raise DocumentLimitError(
                f"document refused: larger than {max_bytes // (1024 * 1024)} MiB or "
                f"{max_nodes} values once aliases are expanded (the size limit; a YAML "
                "alias bomb?)"
            )
        if depth > max_depth:
            raise too_deep(max_depth)
        memo[key] = (values, size, depth)


def load_yaml(
    text: str,
    *,
    max_nodes: int = MAX_NODES,
    max_bytes: int = MAX_DOCUMENT_BYTES,
    max_depth: int = MAX_DEPTH,
) -> Any:
    """Parse one YAML document safely.

    Raises:
        YamlLoadError: malformed YAML, several documents, or a duplicate key.
        DocumentLimitError: too large once aliases expand, or nested deeper than allowed.
    """
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None
        aliases = "*" in text
        if aliases:
            _check_expansion(node, max_nodes, max_bytes, max_depth)
        doc = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        if "maximum nesting depth" in str(exc.problem):
            raise too_deep(max_depth) from None
        raise YamlLoadError(_describe(exc)) from None
    except yaml.YAMLError as exc:
        raise YamlLoadError(" ".join(str(exc).split())) from None
    except RecursionError:  # the pure-Python parser, where libyaml is missing
        raise too_deep(max_depth) from None
    finally:
        loader.dispose()
    if not aliases:
        check_depth(doc, max_depth)
    return doc


def _describe(exc: yaml.MarkedYAMLError) -> str:
    """``line L, column C: problem (context)`` without PyYAML's "<unicode string>" noise."""
    mark = exc.problem_mark or exc.context_mark
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark is not None else ""
    problem = exc.problem or exc.context or "malformed YAML"
    context = f" ({exc.context})" if exc.problem and exc.context else ""
    return " ".join(f"{where}{problem}{context}".split())
