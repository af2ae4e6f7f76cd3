"""``GET /v1/criteria``: every criterion the server accepts, its values, and what the data knows.

Built once per process from the one table of criteria (``eidos.model.query``) and the
loaded recipe data, so the explorer page, the OpenAPI document and ``/v1/recipe`` agree.
"""

from __future__ import annotations

from typing import Any

from eidos.model.query import ALIASES, ENUM_FIELDS, FIELDS, MAX_NODES, VERSION_FIELDS
from eidos.server.params import FLAGS

__all__ = ["VERSION_EXAMPLES", "criteria_document"]

#: An example of each version criterion, as the CLI's help gives it.
VERSION_EXAMPLES = {"osv": "24.04", "kernel": "6.8.0-1028-aws", "k8s": "1.33"}


def _entry(field: str, known: list[str]) -> dict[str, Any]:
    entry: dict[str, Any] = {"name": field}
    if field in ENUM_FIELDS:
        values, human = ENUM_FIELDS[field]
        entry.update(kind="enum", description=human, values=list(values))
    elif field == "nodes":
        entry.update(kind="count", description="number of nodes", minimum=1, maximum=MAX_NODES)
    else:
        entry.update(
            kind="version", description=VERSION_FIELDS[field], example=VERSION_EXAMPLES[field]
        )
    entry["aliases"] = [alias for alias, target in ALIASES.items() if target == field]
    entry["known"] = known
    return entry


def criteria_document(known: dict[str, list[str]] | None) -> dict[str, Any]:
    """The ``/v1/criteria`` body; ``known`` is per-criterion data values (None: unknown)."""
    known = known or {}
    return {
        "criteria": [_entry(field, list(known.get(field, []))) for field in FIELDS],
        "flags": [{"name": name, "description": text} for name, text in FLAGS.items()],
    }
