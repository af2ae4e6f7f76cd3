"""Validation, diff and fleet aggregation: is a node (or a fleet) what the recipe says?

Reads ``Recipe`` and ``Snapshot`` documents (and SnapshotLists, and directories of
snapshots), evaluates every constraint on every node, compares documents and finds the
odd nodes out of a fleet; reports go out through the serializer (docs/architecture.md).
"""

from eidos.validate.diff import DocumentDiff, document_entries, reading_entries
from eidos.validate.engine import Validator, validate
from eidos.validate.inputs import NodeInput, read_nodes
from eidos.validate.outliers import FleetDiff
from eidos.validate.render import parse_report_format, render_report
from eidos.validate.report import Report
from eidos.validate.volatile import KeyFilter

__all__ = [
    "DocumentDiff",
    "FleetDiff",
    "KeyFilter",
    "NodeInput",
    "Report",
    "Validator",
    "document_entries",
    "parse_report_format",
    "read_nodes",
    "reading_entries",
    "render_report",
    "validate",
]
