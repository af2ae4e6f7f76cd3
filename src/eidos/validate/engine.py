"""Evaluate a recipe's constraints against snapshots, one node at a time.

``Validator(recipe.constraints)`` is built once per run. For every node it reads each
constraint's reading from the snapshot's frame (:mod:`eidos.validate.readings`) and
remembers each distinct reading's outcome per constraint: a fleet's nodes mostly share
their values, so a thousand nodes cost about as many version parses as one.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator

from eidos import __version__
from eidos.errors import InvalidRequestError
from eidos.model.measurement import DocumentError
from eidos.validate.inputs import NodeInput, unique_names
from eidos.validate.readings import SnapshotReadings
from eidos.validate.report import CheckResult, NodeReport, Report, reading_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from eidos.model.constraint import Constraint
    from eidos.model.measurement import Reading
    from eidos.model.recipe import Recipe

__all__ = ["Validator", "recipe_summary", "validate"]


class Validator:
    """Checks snapshots against one list of constraints (a recipe's)."""

    def __init__(self, constraints: list[Constraint]) -> None:
        self.constraints = list(constraints)
        self._memo: list[dict[tuple[type, Reading], tuple[str, str]]] = [
            {} for _ in self.constraints
        ]

    def _outcome(self, i: int, actual: Reading, note: str) -> tuple[str, str]:
        memo = self._memo[i]
        key = (type(actual), actual)
        found = memo.get(key)
        if found is None:
            c = self.constraints[i]
            predicate = c.predicate
            if predicate.holds(actual):
                found = ("pass", "")
            else:
                why = note
                if predicate.convert(actual) is None:
                    why = f"not a {predicate.kind}"
                detail = f" ({why})" if why else ""
                message = f"expected {predicate}, got {reading_text(actual)}{detail}"
                found = ("fail" if c.severity == "error" else "warn", message)
            memo[key] = found
        return found

    def check(self, item: NodeInput) -> NodeReport:
        """Every constraint's outcome on one node.

        Raises:
            InvalidRequestError: the snapshot's measurements are malformed (names where).
        """
        if item.doc is None:
            why = f"no snapshot: {item.missing}"
            return NodeReport(
                item.node,
                item.origin,
                [CheckResult(c, "skip", None, why) for c in self.constraints],
                item.missing,
            )
        try:
            readings = SnapshotReadings(item.doc)
            checks = []
            for i, c in enumerate(self.constraints):
                actual, absent, note = readings.lookup(c.mtype, c.subtype, c.key)
                if actual is None:
                    checks.append(CheckResult(c, "skip", None, absent))
                else:
                    status, message = self._outcome(i, actual, note)
                    checks.append(CheckResult(c, status, actual, message))
        except DocumentError as exc:
            raise InvalidRequestError(f"{item.origin}: {exc}") from None
        return NodeReport(item.node, item.origin, checks)

    def check_all(self, items: Iterable[NodeInput]) -> Iterator[NodeReport]:
        """Check each node as it comes (names made unique); nothing is read ahead."""
        for item in unique_names(items):
            yield self.check(item)


def recipe_summary(recipe: Recipe, origin: str) -> dict[str, Any]:
    """What the report says of its recipe: where it came from, its request, its size."""
    out: dict[str, Any] = {"source": origin}
    if recipe.request is not None and not recipe.request.is_empty():
        request = recipe.request.to_dict()
        request.pop("withContext", None)
        out["request"] = request
    out["constraints"] = len(recipe.constraints)
    return out


def validate(
    recipe: Recipe,
    nodes: Iterable[NodeInput],
    *,
    fail_on: str = "error",
    recipe_origin: str = "recipe",
    timestamp: str = "",
) -> Report:
    """Check every node against ``recipe`` and return the report.

    Raises:
        InvalidRequestError: no node to check, or a malformed snapshot.
    """
    started = time.time()
    reports = list(Validator(recipe.constraints).check_all(nodes))
    if not reports:
        raise InvalidRequestError("no snapshot to validate")
    metadata = {"eidos-version": __version__}
    if timestamp:
        metadata["report-timestamp"] = timestamp
    return Report(
        reports,
        fail_on=fail_on,
        recipe=recipe_summary(recipe, recipe_origin),
        metadata=metadata,
        started=started,
        finished=time.time(),
    )
