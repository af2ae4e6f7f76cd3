"""What a Helm chart accepts, read from its real values.yaml, values.schema.json and
Chart.yaml (copies under tests/fixtures/charts/<chart>-<version>/).

A values path is accepted when it exists in the chart's values.yaml; or it leads into a
mapping the chart leaves empty or null there (free-form: ``resources: {}``,
``nodeSelector: {}``); or a vendored subchart's values.yaml accepts the rest of it; or the
chart's values.schema.json allows it. Commented-out keys do not count.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import yaml

CHARTS = Path(__file__).resolve().parents[1] / "fixtures" / "charts"

#: Subcharts whose charts are not vendored here, and the top-level keys of theirs that the
#: registry uses. Each is a top-level value of that chart (grafana, kube-state-metrics and
#: prometheus-node-exporter place every pod by their own nodeSelector and tolerations).
UNVENDORED: dict[tuple[str, str], set[str]] = {
    ("kube-prometheus-stack", "grafana"): {"nodeSelector", "tolerations", "image"},
    ("kube-prometheus-stack", "kube-state-metrics"): {"nodeSelector", "tolerations", "image"},
    ("kube-prometheus-stack", "prometheus-node-exporter"): {"tolerations", "image"},
    ("nvsentinel", "gpu-health-monitor"): {"image"},
    ("nvsentinel", "syslog-health-monitor"): {"image"},
    ("nvsentinel", "labeler"): {"image"},
    ("nvsentinel", "metadata-collector"): {"image"},
}


def chart_dir(name: str, version: str) -> Path | None:
    """The fixture directory of chart ``name`` at ``version`` (a leading v is optional)."""
    bare = version.removeprefix("v")
    for candidate in (f"{name}-{version}", f"{name}-{bare}", f"{name}-v{bare}"):
        if (CHARTS / candidate).is_dir():
            return CHARTS / candidate
    return None


class ChartFacts:
    """One chart's accepted values paths."""

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.chart: dict[str, Any] = yaml.safe_load((directory / "Chart.yaml").read_text())
        values = directory / "values.yaml"
        self.values: dict[str, Any] = (
            (yaml.safe_load(values.read_text()) or {}) if values.exists() else {}
        )
        schema = directory / "values.schema.json"
        self.schema: dict[str, Any] | None = (
            json.loads(schema.read_text()) if schema.exists() else None
        )
        self.subcharts: dict[str, ChartFacts | None] = {}
        for dep in self.chart.get("dependencies") or []:
            found = chart_dir(dep["name"], str(dep.get("version", "")))
            self.subcharts[dep.get("alias") or dep["name"]] = ChartFacts(found) if found else None

    @property
    def name(self) -> str:
        return str(self.chart["name"])

    def value(self, path: str) -> tuple[bool, Any]:
        """(found, value) of ``path`` in values.yaml, walking mappings only."""
        node: Any = self.values
        for part in path.split("."):
            if not isinstance(node, dict) or part not in node:
                return False, None
            node = node[part]
        return True, node

    def accepts(self, path: str) -> bool:
        """Whether the chart accepts a value at ``path`` (see the module docstring)."""
        parts = path.split(".")
        if _walk(self.values, parts):
            return True
        head, rest = parts[0], parts[1:]
        if rest and head in self.subcharts:
            sub = self.subcharts[head]
            if sub is not None and sub.accepts(".".join(rest)):
                return True
            if sub is None and rest[0] in UNVENDORED.get((self.name, head), set()):
                return True
        return self.schema is not None and _schema_allows(self.schema, self.schema, parts)


def _walk(values: Any, parts: list[str]) -> bool:
    node = values
    for i, part in enumerate(parts):
        if isinstance(node, dict) and part in node:
            node = node[part]
            continue
        return i > 0 and (node is None or node == {})
    return True


def _resolve(root: dict[str, Any], schema: Any) -> Any:
    seen = 0
    while isinstance(schema, dict) and "$ref" in schema and seen < 32:
        ref = schema["$ref"]
        assert ref.startswith("#/"), ref
        node: Any = root
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
        schema, seen = node, seen + 1
    return schema


def _schema_allows(root: dict[str, Any], schema: Any, parts: list[str]) -> bool:
    schema = _resolve(root, schema)
    if not parts:
        return True
    if schema is True or schema == {}:
        return True
    if not isinstance(schema, dict):
        return False
    for combinator in ("allOf", "anyOf", "oneOf"):
        for option in schema.get(combinator, []):
            if _schema_allows(root, option, parts):
                return True
    props = schema.get("properties", {})
    if parts[0] in props:
        return _schema_allows(root, props[parts[0]], parts[1:])
    extra = schema.get("additionalProperties", None)
    if extra is False:
        return False
    if isinstance(extra, dict):
        return _schema_allows(root, extra, parts[1:])
    types = schema.get("type")
    return (types == "object" or (isinstance(types, list) and "object" in types)) and not props
