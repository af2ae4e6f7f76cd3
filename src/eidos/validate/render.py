"""Render a validation report in one of ``VALIDATE_FORMATS`` (table, json, yaml, junit, ctrf).

The table is for people: one line per constraint that fails or warns, then one line per
node, then the verdict. The other formats carry every check (skips with their reasons).
"""

from __future__ import annotations

from eidos.errors import InvalidRequestError
from eidos.names import VALIDATE_FORMATS
from eidos.serializer import dumps
from eidos.serializer.table import render_rows
from eidos.validate.report import Report, reading_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "FAST_JSON_CHECKS",
    "json_text",
    "parse_report_format",
    "render_report",
    "render_report_table",
]


def parse_report_format(value: str | None) -> str:
    """Validate ``-t`` for reports (case-insensitive; default table).

    Raises:
        InvalidRequestError: unknown format, listing the valid ones.
    """
    fmt = (value or VALIDATE_FORMATS[0]).strip().lower()
    if fmt not in VALIDATE_FORMATS:
        raise InvalidRequestError(
            f"unknown output format {value!r}; valid formats: {', '.join(VALIDATE_FORMATS)}"
        )
    return fmt


def _one_line(text: str) -> str:
    return text.replace("\n", "\\n").replace("\t", "\\t")


def render_report_table(report: Report) -> str:
    """Failing and warning constraints per node, a line per node, the verdict."""
    problems = [
        [
            node.node,
            check.status,
            check.constraint.path,
            check.expected,
            _one_line(reading_text(check.actual)) or "(absent)",
            check.constraint.reason,
        ]
        for node in report.nodes
        for check in node.checks
        if check.status in ("fail", "warn") or check.status in report.failing
    ]
    out = []
    if problems:
        header = ["NODE", "STATUS", "CONSTRAINT", "EXPECTED", "ACTUAL", "REASON"]
        out.append(render_rows(header, problems))
    rows = [
        [
            node.node,
            "fail" if node.fails(report.failing) else "pass",
            *(str(node.counts[s]) for s in ("pass", "fail", "warn", "skip")),
        ]
        for node in report.nodes
    ]
    out.append(render_rows(["NODE", "RESULT", "PASSED", "FAILED", "WARNINGS", "SKIPPED"], rows))
    totals = report.totals()
    failed = len(report.failed_nodes)
    verdict = "FAIL" if failed else "PASS"
    line = (
        f"{verdict}: {failed} of {len(report.nodes)} node{'s' if len(report.nodes) != 1 else ''}"
        f" failed (--fail-on {report.fail_on}); {sum(totals.values())} checks: "
        f"{totals['pass']} passed, {totals['fail']} failed, {totals['warn']} warnings, "
        f"{totals['skip']} skipped"
    )
    if totals["skip"]:
        line += " (-t yaml says why each was skipped)"
    out.append(line + "\n")
    return "\n".join(out)


#: Above this many checks, JSON is encoded by msgspec (a heavy seam: ~60 ms to import).
FAST_JSON_CHECKS = 2000


def json_text(doc: Any, *, large: bool) -> str:
    """The text ``dumps(doc, "json")`` gives; for ``large`` documents from msgspec's encoder.

    The standard library pretty-prints in Python: ~1 s for a 1,000-node report, against
    ~60 ms in msgspec's C encoder, whose import costs more than a small report takes.
    """
    if not large:
        return dumps(doc, "json")
    import msgspec

    return msgspec.json.format(msgspec.json.encode(doc), indent=2).decode() + "\n"


def _large(report: Report) -> bool:
    return sum(len(n.checks) for n in report.nodes) > FAST_JSON_CHECKS


def render_report(report: Report, fmt: str) -> str:
    """``report`` as text in ``fmt`` (one of ``VALIDATE_FORMATS``), ending with a newline."""
    if fmt == "table":
        return render_report_table(report)
    if fmt == "junit":
        from eidos.validate.junit import render_junit

        return render_junit(report)
    if fmt == "ctrf":
        from eidos.validate.ctrf import ctrf_document

        return json_text(ctrf_document(report), large=_large(report))
    if fmt == "json":
        return json_text(report.to_dict(), large=_large(report))
    if fmt == "yaml":
        return dumps(report.to_dict(), fmt)
    raise InvalidRequestError(
        f"unknown output format {fmt!r}; valid formats: {', '.join(VALIDATE_FORMATS)}"
    )
