"""The validation report: every constraint's outcome on every node, and the verdict.

Outcomes: ``pass``; ``fail`` (an error-severity constraint does not hold); ``warn`` (a
warning-severity one does not hold); ``skip`` (the reading is absent, with why). The run
fails when any outcome at or above ``--fail-on`` occurs: ``error`` counts fails,
``warning`` also warns, ``skip`` also skips.
"""

from __future__ import annotations

from eidos.names import FAIL_ON

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from eidos.model.constraint import Constraint
    from eidos.model.measurement import Reading

__all__ = [
    "API_VERSION",
    "KIND_REPORT",
    "STATUSES",
    "CheckResult",
    "NodeReport",
    "Report",
    "failing_statuses",
    "reading_text",
]

KIND_REPORT = "ValidationReport"
API_VERSION = "validation.dgxc.io/v1"
STATUSES = ("pass", "fail", "warn", "skip")
_COUNT_KEYS = {"pass": "passed", "fail": "failed", "warn": "warnings", "skip": "skipped"}


def failing_statuses(fail_on: str) -> frozenset[str]:
    """The outcomes that fail a run under ``--fail-on fail_on``."""
    return frozenset(("fail", "warn", "skip")[: FAIL_ON.index(fail_on) + 1])


def reading_text(value: Reading | None) -> str:
    """A reading as people write it (``true``, ``8``, ``v1.33.5``)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


class CheckResult:
    """One constraint on one node: its outcome, the reading and a one-line message."""

    __slots__ = ("actual", "constraint", "message", "status")

    def __init__(
        self, constraint: Constraint, status: str, actual: Reading | None, message: str
    ) -> None:
        self.constraint = constraint
        self.status = status
        self.actual = actual
        self.message = message

    @property
    def expected(self) -> str:
        """What the constraint tests: ``>= 1.32``, ``contains H100``, ``in [a, b]``."""
        return str(self.constraint.predicate)

    def to_dict(self) -> dict[str, Any]:
        """Wire form; ``actual`` keeps the reading's type and is left out when absent."""
        c = self.constraint
        out: dict[str, Any] = {
            "check": c.check,
            "path": c.path,
            "severity": c.severity,
            "status": self.status,
            "expected": self.expected,
        }
        if self.actual is not None:
            out["actual"] = self.actual
        if self.message:
            out["message"] = self.message
        out["reason"] = c.reason
        return out


class NodeReport:
    """Every check of one node (``missing`` says why a listed node has no snapshot)."""

    __slots__ = ("checks", "counts", "missing", "node", "origin")

    def __init__(self, node: str, origin: str, checks: list[CheckResult], missing: str = ""):
        self.node = node
        self.origin = origin
        self.checks = checks
        self.missing = missing
        self.counts = dict.fromkeys(STATUSES, 0)
        for check in checks:
            self.counts[check.status] += 1

    def fails(self, failing: frozenset[str]) -> bool:
        """Whether an outcome in ``failing`` occurred on this node."""
        return any(self.counts[s] for s in failing)

    def to_dict(self, failing: frozenset[str]) -> dict[str, Any]:
        """Wire form: node, source, result, counts and every check."""
        out: dict[str, Any] = {
            "node": self.node,
            "source": self.origin,
            "result": "fail" if self.fails(failing) else "pass",
        }
        if self.missing:
            out["missing"] = self.missing
        out.update({_COUNT_KEYS[s]: n for s, n in self.counts.items()})
        out["checks"] = [c.to_dict() for c in self.checks]
        return out


class Report:
    """A whole validation: the recipe, ``--fail-on``, each node and the verdict."""

    __slots__ = ("fail_on", "failing", "finished", "metadata", "nodes", "recipe", "started")

    def __init__(
        self,
        nodes: list[NodeReport],
        *,
        fail_on: str = FAIL_ON[0],
        recipe: dict[str, Any] | None = None,
        metadata: dict[str, str] | None = None,
        started: float = 0.0,
        finished: float = 0.0,
    ) -> None:
        if fail_on not in FAIL_ON:
            raise ValueError(f"fail_on must be one of {', '.join(FAIL_ON)}")
        self.nodes = nodes
        self.fail_on = fail_on
        self.failing = failing_statuses(fail_on)
        self.recipe: dict[str, Any] = recipe or {}
        self.metadata: dict[str, str] = metadata or {}
        self.started = started
        """Unix time the run started (seconds; 0 when not measured)."""
        self.finished = finished
        """Unix time the run finished."""

    @property
    def passed(self) -> bool:
        """True when no node has an outcome that ``--fail-on`` counts."""
        return not any(n.fails(self.failing) for n in self.nodes)

    @property
    def failed_nodes(self) -> list[str]:
        """Names of the nodes that fail, in report order."""
        return [n.node for n in self.nodes if n.fails(self.failing)]

    def totals(self) -> dict[str, int]:
        """Outcome counts over every node."""
        totals = dict.fromkeys(STATUSES, 0)
        for node in self.nodes:
            for status, count in node.counts.items():
                totals[status] += count
        return totals

    def summary(self) -> dict[str, Any]:
        """Nodes, constraints, checks, outcome counts and the failing nodes' count."""
        totals = self.totals()
        out: dict[str, Any] = {
            "nodes": len(self.nodes),
            "failedNodes": len(self.failed_nodes),
            "constraints": int(self.recipe.get("constraints", 0)),
            "checks": sum(totals.values()),
        }
        out.update({_COUNT_KEYS[s]: n for s, n in totals.items()})
        return out

    def to_dict(self) -> dict[str, Any]:
        """Wire form of the whole report (``-t json|yaml``, ``POST /v1/validate``)."""
        out: dict[str, Any] = {"kind": KIND_REPORT, "apiVersion": API_VERSION}
        if self.metadata:
            out["metadata"] = dict(sorted(self.metadata.items()))
        out["result"] = "pass" if self.passed else "fail"
        out["failOn"] = self.fail_on
        if self.recipe:
            out["recipe"] = self.recipe
        out["summary"] = self.summary()
        out["nodes"] = [n.to_dict(self.failing) for n in self.nodes]
        return out
