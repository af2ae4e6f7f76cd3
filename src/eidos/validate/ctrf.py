"""The report in the Common Test Report Format (CTRF), the JSON that NVIDIA AICR emits.

One test per constraint per node: ``name`` is the check, ``suite`` is ``[node,
Type.subtype]``, ``rawStatus`` our outcome (pass/fail/warn/skip) and ``labels`` carry
node, path, severity, expected and actual. ``status`` follows ``--fail-on`` so that the
report agrees with the exit code: a counted warning is ``failed``, an uncounted one
``passed``; a skip is ``skipped`` unless ``--fail-on skip`` makes it ``failed``.
"""

from __future__ import annotations

from datetime import UTC, datetime

from eidos import __version__
from eidos.validate.report import Report, reading_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from eidos.validate.report import CheckResult

__all__ = ["SPEC_VERSION", "ctrf_document"]

#: The CTRF specification version written (the one AICR's validator writes).
SPEC_VERSION = "0.0.1"
_STATUS = {"pass": "passed", "fail": "failed", "warn": "passed", "skip": "skipped"}


def _test(node: str, check: CheckResult, failing: frozenset[str]) -> dict[str, Any]:
    c = check.constraint
    status = "failed" if check.status in failing else _STATUS[check.status]
    labels: dict[str, Any] = {
        "node": node,
        "path": c.path,
        "severity": c.severity,
        "expected": check.expected,
    }
    if check.actual is not None:
        labels["actual"] = reading_text(check.actual)
    out: dict[str, Any] = {
        "name": c.check,
        "status": status,
        "duration": 0,
        "suite": [node, f"{c.mtype}.{c.subtype}"],
        "rawStatus": check.status,
        "labels": labels,
    }
    if check.status != "pass":
        out["message"] = check.message or c.reason
    out["extra"] = {"reason": c.reason}
    return out


def ctrf_document(report: Report) -> dict[str, Any]:
    """The CTRF document of ``report`` (serialise it as JSON)."""
    tests = [_test(n.node, check, report.failing) for n in report.nodes for check in n.checks]
    counts = dict.fromkeys(("passed", "failed", "skipped", "pending", "other"), 0)
    for test in tests:
        counts[test["status"]] += 1
    start, stop = int(report.started * 1000), int(report.finished * 1000)
    request = report.recipe.get("request") or {}
    return {
        "reportFormat": "CTRF",
        "specVersion": SPEC_VERSION,
        "timestamp": datetime.fromtimestamp(report.finished, UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "generatedBy": "eidos",
        "results": {
            "tool": {"name": "eidos", "version": __version__},
            "summary": {"tests": len(tests), **counts, "start": start, "stop": max(start, stop)},
            "tests": tests,
            "environment": {
                "reportName": "eidos validate",
                "appName": "eidos",
                "appVersion": __version__,
                "testEnvironment": " ".join(f"{k}={v}" for k, v in request.items()) or "any",
                "healthy": report.passed,
            },
            "extra": {
                "failOn": report.fail_on,
                "recipe": str(report.recipe.get("source", "")),
                "nodes": len(report.nodes),
                "failedNodes": report.failed_nodes,
            },
        },
    }
