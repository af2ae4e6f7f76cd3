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
_STR = "tag:yaml.org,2002:str"


class _Loader(_Base):  # type: ignore[misc]
    """SafeLoader with YAML 1.2-ish implicit types (no yes/no booleans, no timestamps)."""

    yaml_implicit_resolvers: dict[Any, Any] = {}

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._checked: set[int] = set()

    def flatten_mapping(self, node: yaml.MappingNode) -> None:
        """Refuse duplicate keys among a mapping's own pairs, then apply ``<<`` merges.

        A mapping is checked the first time it is flattened, before merged pairs (which its
        own keys may override, as YAML intends) are mixed into its pairs.
        """
        if id(node) not in self._checked:
            self._checked.add(id(node))
            self._refuse_duplicates(node)
        super().flatten_mapping(node)

    def _refuse_duplicates(self, node: yaml.MappingNode) -> None:
        first: dict[tuple[str, Any], int] = {}
        for key_node, _ in node.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _MERGE:
                continue
            tag = key_node.tag
            value = key_node.value if tag == _STR else self.construct_object(key_node)
            line = key_node.start_mark.line + 1
            if (tag, value) in first:
                raise YamlLoadError(
                    f"line {line}, column {key_node.start_mark.column + 1}: duplicate key "
                    f"{key_node.value!r} (first on line {first[(tag, value)]})"
                )
            first[(tag, value)] = line


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


def _children(node: Any) -> list[Any]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def _check_expansion(root: Any, max_nodes: int, max_bytes: int, max_depth: int) -> None:
    """Measure the document as aliases would expand it, without expanding it.

    One post-order walk with memoised (values, bytes, depth) per node, so shared nodes
    cost one visit however often they are referenced. A scalar counts its length plus one.

    Raises:
        DocumentLimitError: too many values, too many bytes, too deep, or a cycle.
    """
    memo: dict[int, tuple[int, int, int]] = {}
    active: set[int] = set()
    stack: list[tuple[Any, bool]] = [(root, False)]
    while stack:
        node, done = stack.pop()
        key = id(node)
        if done:
            active.discard(key)
            values, size, depth = 1, 1, 0
            if isinstance(node, yaml.ScalarNode):
                size += len(node.value)
            for child in _children(node):
                n, b, d = memo[id(child)]
                values, size, depth = values + n, size + b, max(depth, d)
            if not isinstance(node, yaml.ScalarNode):
                depth += 1
            if values > max_nodes or size > max_bytes:
                raise DocumentLimitError(
                    f"document refused: larger than {max_bytes // (1024 * 1024)} MiB or "
                    f"{max_nodes} values once aliases are expanded (the size limit; a YAML "
                    "alias bomb?)"
                )
            if depth > max_depth:
                raise too_deep(max_depth)
            memo[key] = (values, size, depth)
        elif key not in memo:
            if key in active:
                raise DocumentLimitError("document refused: an alias refers to itself")
            active.add(key)
            stack.append((node, True))
            stack.extend((child, False) for child in _children(node) if id(child) not in memo)


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
