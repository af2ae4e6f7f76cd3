"""The report as JUnit XML, the test-report format Jenkins, GitLab and GitHub render.

One ``<testsuite>`` per node (``name`` and ``hostname`` = the node), one ``<testcase>``
per constraint (``name`` = the check, ``classname`` = ``Type.subtype`` so that CI groups
checks by measurement). A failing constraint is a ``<failure>`` whose ``type`` is its
severity; a skipped one ``<skipped>``. Outcomes ``--fail-on`` counts become failures, so
the XML agrees with the exit code: a warning that does not count passes, noted in
``<system-out>``.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from xml.sax.saxutils import escape, quoteattr

from eidos.validate.report import Report, reading_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from eidos.validate.report import CheckResult, NodeReport

__all__ = ["render_junit"]

#: Characters XML 1.0 does not allow (readings may hold them); replaced by U+FFFD.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _attr(value: str) -> str:
    return quoteattr(_NOT_XML.sub("\ufffd", value))


def _body(value: str) -> str:
    return escape(_NOT_XML.sub("\ufffd", value))


def _timestamp(report: Report) -> str:
    when = datetime.fromtimestamp(report.started or 0.0, UTC)
    return when.strftime("%Y-%m-%dT%H:%M:%S")  # the JUnit schema's form: no zone, UTC


def _detail(check: CheckResult) -> str:
    lines = [check.constraint.reason, f"expected: {check.expected}"]
    if check.actual is not None:
        lines.append(f"actual: {reading_text(check.actual)}")
    return "\n".join(lines)


def _testcase(check: CheckResult, failing: frozenset[str]) -> str:
    c = check.constraint
    head = f"    <testcase name={_attr(c.check)} classname={_attr(f'{c.mtype}.{c.subtype}')}"
    head += ' time="0"'
    status = check.status
    if status == "pass":
        return head + "/>"
    message = check.message or check.constraint.reason
    if status in failing:
        kind = "skipped" if status == "skip" else c.severity
        inner = (
            f"<failure message={_attr(message)} type={_attr(kind)}>{_body(_detail(check))}"
            "</failure>"
        )
    elif status == "skip":
        inner = f"<skipped message={_attr(message)}/>"
    else:
        inner = f"<system-out>{_body(f'warning: {message}')}</system-out>"
    return f"{head}>\n      {inner}\n    </testcase>"


def _suite(node: NodeReport, report: Report, stamp: str) -> list[str]:
    failing = report.failing
    failures = sum(1 for c in node.checks if c.status in failing)
    skipped = sum(1 for c in node.checks if c.status == "skip" and c.status not in failing)
    lines = [
        f'  <testsuite name={_attr(node.node)} tests="{len(node.checks)}" '
        f'failures="{failures}" errors="0" skipped="{skipped}" time="0" '
        f"timestamp={_attr(stamp)} hostname={_attr(node.node)}>",
        "    <properties>",
        f'      <property name="source" value={_attr(node.origin)}/>',
        f'      <property name="recipe" value={_attr(str(report.recipe.get("source", "")))}/>',
        f'      <property name="fail-on" value={_attr(report.fail_on)}/>',
        "    </properties>",
    ]
    lines.extend(_testcase(check, failing) for check in node.checks)
    lines.append("  </testsuite>")
    return lines


def render_junit(report: Report) -> str:
    """The report as one ``<testsuites>`` document (UTF-8, ending with a newline)."""
    totals = report.totals()
    failures = sum(n for status, n in totals.items() if status in report.failing)
    elapsed = max(0.0, report.finished - report.started)
    stamp = _timestamp(report)
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<testsuites name="eidos validate" tests="{sum(totals.values())}" '
        f'failures="{failures}" errors="0" time="{elapsed:.3f}">',
    ]
    for node in report.nodes:
        lines.extend(_suite(node, report, stamp))
    lines.append("</testsuites>")
    return "\n".join(lines) + "\n"
