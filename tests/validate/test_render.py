"""Reports in every format: JUnit XML valid against the CI schema, CTRF valid against the
CTRF spec's schema, JSON/YAML that read back, and a table that shows what failed."""

from __future__ import annotations

import json
from pathlib import Path
from xml.etree import ElementTree

import jsonschema
import pytest
import xmlschema
from validate_helpers import h100, reading

from eidos.model import Constraint, Recipe
from eidos.serializer import loads
from eidos.validate import NodeInput, parse_report_format, render_report, validate
from eidos.validate.ctrf import ctrf_document

JUNIT = xmlschema.XMLSchema(str(Path(__file__).parents[1] / "fixtures" / "junit.xsd"))

#: CTRF's required structure (ctrf.io specification: report, results, tool, summary, tests).
_STATUS = {"enum": ["passed", "failed", "skipped", "pending", "other"]}
CTRF = {
    "type": "object",
    "required": ["reportFormat", "specVersion", "results"],
    "additionalProperties": False,
    "properties": {
        "reportFormat": {"const": "CTRF"},
        "specVersion": {"type": "string", "pattern": r"^[0-9]+\.[0-9]+\.[0-9]+$"},
        "reportId": {"type": "string"},
        "timestamp": {"type": "string", "format": "date-time"},
        "generatedBy": {"type": "string"},
        "extra": {"type": "object"},
        "results": {
            "type": "object",
            "required": ["tool", "summary", "tests"],
            "additionalProperties": False,
            "properties": {
                "tool": {
                    "type": "object",
                    "required": ["name"],
                    "additionalProperties": False,
                    "properties": {
                        "name": {"type": "string", "minLength": 1},
                        "version": {"type": "string"},
                        "extra": {"type": "object"},
                    },
                },
                "summary": {
                    "type": "object",
                    "required": [
                        *("tests", "passed", "failed", "skipped", "pending", "other"),
                        *("start", "stop"),
                    ],
                    "additionalProperties": False,
                    "properties": {
                        k: {"type": "integer"}
                        for k in (
                            *("tests", "passed", "failed", "skipped", "pending", "other"),
                            *("flaky", "suites", "start", "stop", "duration"),
                        )
                    }
                    | {"extra": {"type": "object"}},
                },
                "tests": {
                    "type": "array",
                    "items": {
                        "type": "object",
                        "required": ["name", "status", "duration"],
                        "additionalProperties": False,
                        "properties": {
                            "name": {"type": "string", "minLength": 1},
                            "status": _STATUS,
                            "duration": {"type": "integer"},
                            "suite": {"type": "array", "minItems": 1, "items": {"type": "string"}},
                            "message": {"type": "string"},
                            "rawStatus": {"type": "string"},
                            "labels": {
                                "type": "object",
                                "additionalProperties": {"type": ["string", "number", "boolean"]},
                            },
                            "extra": {"type": "object"},
                        },
                    },
                },
                "environment": {
                    "type": "object",
                    "additionalProperties": False,
                    "properties": {
                        k: {"type": "string"}
                        for k in ("reportName", "appName", "appVersion", "testEnvironment")
                    }
                    | {"healthy": {"type": "boolean"}, "extra": {"type": "object"}},
                },
                "extra": {"type": "object"},
            },
        },
    },
}


def _report(fail_on="error"):
    recipe = Recipe(
        constraints=[
            Constraint("GPU.smi.gpu.model contains H100", "error", "H100 settings"),
            Constraint("GPU.smi.driver >= 580", "warning", "R580 for CUDA 13"),
            Constraint("OS.release.NOPE == x", "error", "a key no snapshot has"),
            Constraint("GPU.smi.gpu-count >= 1", "error", "a GPU node"),
        ]
    )
    other = h100()
    reading(other, "GPU", "smi")["gpu.model"] = 'NVIDIA <A100> & "friends"\x01'
    nodes = [NodeInput("gpu-1", "a.yaml", h100()), NodeInput("gpu-2", "b.yaml", other)]
    return validate(recipe, nodes, fail_on=fail_on, recipe_origin="r.yaml")


@pytest.mark.parametrize("fail_on", ["error", "warning", "skip"])
def test_junit_is_valid_and_its_failures_agree_with_the_verdict(fail_on):
    report = _report(fail_on)
    text = render_report(report, "junit")
    JUNIT.validate(text)
    root = ElementTree.fromstring(text)
    suites = root.findall("testsuite")
    assert [s.get("name") for s in suites] == ["gpu-1", "gpu-2"]
    failures = root.findall(".//failure")
    expected = {"error": 1, "warning": 3, "skip": 5}[fail_on]
    assert len(failures) == expected == int(root.get("failures"))
    model = next(
        f for f in failures if f.get("type") == "error" and "H100" in (f.get("message") or "")
    )
    assert model.get("message") == ('expected contains H100, got NVIDIA <A100> & "friends"\ufffd')
    assert "expected: contains H100" in model.text
    cases = suites[1].findall("testcase")
    assert [c.get("classname") for c in cases] == ["GPU.smi", "GPU.smi", "OS.release", "GPU.smi"]
    skips = root.findall(".//skipped")
    assert len(skips) == (0 if fail_on == "skip" else 2)


def test_ctrf_is_valid_and_counts_what_the_verdict_counts():
    for fail_on, failed in (("error", 1), ("warning", 3)):
        doc = json.loads(render_report(_report(fail_on), "ctrf"))
        jsonschema.validate(doc, CTRF, format_checker=jsonschema.FormatChecker())
        summary = doc["results"]["summary"]
        assert summary["failed"] == failed
        assert summary["tests"] == 8 == len(doc["results"]["tests"])
        assert summary["passed"] + summary["failed"] + summary["skipped"] == 8
        assert summary["start"] <= summary["stop"]
    test = next(t for t in doc["results"]["tests"] if t["labels"]["node"] == "gpu-2")
    assert test["suite"] == ["gpu-2", "GPU.smi"] and test["rawStatus"] == "fail"
    assert test["labels"]["expected"] == "contains H100"


def test_ctrf_status_follows_fail_on_for_warnings_and_skips():
    statuses = {
        fail_on: sorted(
            (t["rawStatus"], t["status"])
            for t in ctrf_document(_report(fail_on))["results"]["tests"]
        )
        for fail_on in ("error", "skip")
    }
    assert ("warn", "passed") in statuses["error"] and ("skip", "skipped") in statuses["error"]
    assert ("warn", "failed") in statuses["skip"] and ("skip", "failed") in statuses["skip"]


@pytest.mark.parametrize("fmt", ["json", "yaml"])
def test_json_and_yaml_reports_read_back_equal(fmt):
    report = _report()
    assert loads(render_report(report, fmt)) == report.to_dict()


def test_the_table_lists_failures_then_nodes_then_the_verdict():
    text = render_report(_report("warning"), "table")
    lines = text.splitlines()
    assert lines[0].split() == ["NODE", "STATUS", "CONSTRAINT", "EXPECTED", "ACTUAL", "REASON"]
    problems = [line.split()[:3] for line in lines[1:4]]
    assert ["gpu-1", "warn", "GPU.smi.driver"] in problems
    assert ["gpu-2", "fail", "GPU.smi.gpu.model"] in problems
    assert lines[-1] == (
        "FAIL: 2 of 2 nodes failed (--fail-on warning); 8 checks: 3 passed, 1 failed, "
        "2 warnings, 2 skipped (-t yaml says why each was skipped)"
    )


def test_report_formats_are_checked():
    assert parse_report_format("JUnit") == "junit"
    with pytest.raises(Exception, match="valid formats: table, json, yaml, junit, ctrf"):
        parse_report_format("xml")


def test_the_fast_json_encoder_writes_what_the_standard_one_writes():
    from eidos.validate.render import json_text

    report = _report("skip").to_dict()
    report["nodes"][0]["checks"][0]["actual"] = 'tab\tquote" uni é \x01 big 18446744073709551615'
    report["extra"] = {"float": 1.5, "big": 18446744073709551615, "empty": [], "none": None}
    assert json_text(report, large=True) == json_text(report, large=False)
    ctrf = ctrf_document(_report("warning"))
    assert json_text(ctrf, large=True) == json_text(ctrf, large=False)
