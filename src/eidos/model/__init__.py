"""Documents and value types: pure data, no I/O, no third-party imports."""

from eidos.model.component import Chart, ComponentRef
from eidos.model.constraint import Constraint, ConstraintError
from eidos.model.fleet import KIND_SNAPSHOT_LIST, NodeFailure, SnapshotList
from eidos.model.header import KIND_RECIPE, KIND_SNAPSHOT, Header
from eidos.model.measurement import (
    MEASUREMENT_TYPES,
    DocumentError,
    Measurement,
    Reading,
    Subtype,
)
from eidos.model.query import Query, QueryError
from eidos.model.recipe import Recipe
from eidos.model.snapshot import Snapshot
from eidos.model.version import Version, VersionError

__all__ = [
    "KIND_RECIPE",
    "KIND_SNAPSHOT",
    "KIND_SNAPSHOT_LIST",
    "MEASUREMENT_TYPES",
    "Chart",
    "ComponentRef",
    "Constraint",
    "ConstraintError",
    "DocumentError",
    "Header",
    "Measurement",
    "NodeFailure",
    "Query",
    "QueryError",
    "Reading",
    "Recipe",
    "Snapshot",
    "SnapshotList",
    "Subtype",
    "Version",
    "VersionError",
]
