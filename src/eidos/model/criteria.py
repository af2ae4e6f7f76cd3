"""Criteria documents: the recipe criteria as a file, for CI (``eidos recipe --criteria``).

Either a bare mapping of criteria or a document (the Go peer's ``RecipeCriteria`` shape)::

    kind: RecipeCriteria
    apiVersion: recipe.dgxc.io/v1      # optional
    metadata: {name: h100-eks-training} # optional, ignored
    spec:
      service: eks
      accelerator: h100                 # alias of gpu
      os: ubuntu
      intent: training
      platform: kubeflow
      nodes: 8
"""

from __future__ import annotations

from eidos.model.query import ALIASES, FIELDS, QueryError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["CRITERIA_KIND", "read_criteria"]

CRITERIA_KIND = "RecipeCriteria"
_ENVELOPE = ("kind", "apiVersion", "metadata", "spec")


def read_criteria(raw: Any) -> dict[str, Any]:
    """The criteria a decoded criteria document names (aliases resolved, values unchecked).

    Raises:
        QueryError: not a mapping, another kind, or an unknown criterion.
    """
    if not isinstance(raw, dict):
        raise QueryError(f"a criteria document is a mapping, not a {type(raw).__name__}")
    if "kind" in raw or "spec" in raw:
        if raw.get("kind") != CRITERIA_KIND:
            raise QueryError(f"expected kind: {CRITERIA_KIND}, got kind: {raw.get('kind')!r}")
        extra = [str(k) for k in raw if k not in _ENVELOPE]
        if extra:
            raise QueryError(f"unknown field(s) {', '.join(extra)}; valid: {', '.join(_ENVELOPE)}")
        raw = raw.get("spec") or {}
        if not isinstance(raw, dict):
            raise QueryError("spec: expected a mapping of criteria")
    out: dict[str, Any] = {}
    for key, value in raw.items():
        name = ALIASES.get(key, key) if isinstance(key, str) else key
        if name not in FIELDS:
            valid = ", ".join([*FIELDS, *ALIASES])
            raise QueryError(f"unknown criterion {key!r}; valid: {valid}")
        if name in out:
            raise QueryError(f"{name} is given twice (once as an alias)")
        out[name] = value
    return out
