"""Constraints against the real h100 snapshot: it passes its own recipe; made to look like
another GPU, an older driver or a half-captured node it fails or skips, and says why."""

from __future__ import annotations

import pytest
from validate_helpers import h100, reading, renamed

from eidos.errors import InvalidRequestError
from eidos.model import Constraint, Recipe
from eidos.validate import NodeInput, Validator, validate


def _node(doc, name="n1", origin="n1.yaml"):
    return NodeInput(name, origin, doc)


def _checks(report, node=0):
    return {c.constraint.path: c for c in report.nodes[node].checks}


def _recipe(*checks: tuple[str, str]) -> Recipe:
    return Recipe(constraints=[Constraint(check, sev, "why it matters") for check, sev in checks])


def test_the_h100_snapshot_passes_the_recipe_built_from_it(h100_recipe):
    assert len(h100_recipe.constraints) >= 8
    report = validate(h100_recipe, [_node(h100())])
    statuses = {c.constraint.check: c.status for c in report.nodes[0].checks}
    assert set(statuses.values()) == {"pass"}, statuses
    assert report.passed and report.to_dict()["result"] == "pass"


def test_another_gpu_fails_naming_the_constraint_expected_and_actual(h100_recipe):
    doc = h100()
    reading(doc, "GPU", "smi")["gpu.model"] = "NVIDIA A100-SXM4-80GB"
    report = validate(h100_recipe, [_node(doc)])
    assert not report.passed
    failed = [c for c in report.nodes[0].checks if c.status == "fail"]
    assert [c.constraint.check for c in failed] == ["GPU.smi.gpu.model contains H100"]
    row = failed[0].to_dict()
    assert row["expected"] == "contains H100"
    assert row["actual"] == "NVIDIA A100-SXM4-80GB"
    assert row["message"] == "expected contains H100, got NVIDIA A100-SXM4-80GB"
    assert "H100" in row["reason"]


def test_an_older_driver_fails_with_the_driver_floor(h100_recipe):
    doc = h100()
    reading(doc, "GPU", "smi")["driver"] = "525.147.05"
    report = validate(h100_recipe, [_node(doc)])
    check = _checks(report)["GPU.smi.driver"]
    assert (check.status, check.expected, check.actual) == ("fail", ">= 535", "525.147.05")
    assert report.failed_nodes == ["n1"]


def test_an_older_kubernetes_fails_the_kubernetes_floor(h100_recipe):
    doc = h100()
    reading(doc, "K8s", "server")["version"] = "v1.29.15-eks-1"
    check = _checks(validate(h100_recipe, [_node(doc)]))["K8s.server.version"]
    assert check.status == "fail" and check.message.startswith("expected >= 1.30, got v1.29.15")


def test_a_missing_measurement_subtype_or_key_is_a_skip_that_says_why():
    recipe = _recipe(
        ("GPU.smi.driver >= 535", "error"),
        ("K8s.node.kernel-version >= 6.1", "error"),
        ("OS.release.NOPE == x", "error"),
    )
    doc = h100()
    doc["measurements"] = [m for m in doc["measurements"] if m["type"] != "GPU"]
    for m in doc["measurements"]:
        if m["type"] == "K8s":
            m["subtypes"] = [s for s in m["subtypes"] if s["subtype"] != "node"]
    report = validate(recipe, [_node(doc)])
    got = {c.constraint.path: (c.status, c.message) for c in report.nodes[0].checks}
    assert got == {
        "GPU.smi.driver": ("skip", "the snapshot has no GPU measurement"),
        "K8s.node.kernel-version": ("skip", "the snapshot has no K8s/node subtype"),
        "OS.release.NOPE": ("skip", "OS/release has no key 'NOPE'"),
    }
    assert report.passed  # skips do not fail by default ...
    strict = validate(recipe, [_node(doc)], fail_on="skip")
    assert not strict.passed  # ... unless --fail-on skip


def test_a_module_missing_from_the_loaded_list_reads_as_not_loaded():
    recipe = _recipe(
        ("OS.kmod.nouveau == false", "error"), ("OS.kmod.nvidia_peermem == true", "error")
    )
    checks = _checks(validate(recipe, [_node(h100())]))
    assert checks["OS.kmod.nouveau"].status == "pass"
    uvm = checks["OS.kmod.nvidia_peermem"]
    assert uvm.status == "fail"
    assert uvm.message == ("expected == true, got false (not in the snapshot's loaded modules)")
    doc = h100()
    reading(doc, "OS", "kmod")["nouveau"] = True
    assert _checks(validate(recipe, [_node(doc)]))["OS.kmod.nouveau"].status == "fail"


def test_a_reading_of_the_wrong_kind_fails_and_says_so():
    doc = h100()
    reading(doc, "K8s", "server")["version"] = "unknown"
    check = _checks(validate(_recipe(("K8s.server.version >= 1.30", "error")), [_node(doc)]))
    assert check["K8s.server.version"].status == "fail"
    assert check["K8s.server.version"].message.endswith("got unknown (not a version)")


def test_a_failing_warning_is_a_warn_that_fails_only_with_fail_on_warning():
    recipe = _recipe(("GPU.smi.driver >= 580", "warning"))
    report = validate(recipe, [_node(h100())])
    assert report.nodes[0].checks[0].status == "warn"
    assert report.passed
    assert not validate(recipe, [_node(h100())], fail_on="warning").passed


def test_equal_readings_of_different_types_are_judged_separately():
    validator = Validator([Constraint("OS.sysctl./proc/sys/vm/swappiness == 10", "error", "r")])
    docs = []
    for value in ("10", 10, "ten"):
        doc = h100()
        reading(doc, "OS", "sysctl")["/proc/sys/vm/swappiness"] = value
        docs.append(doc)
    statuses = [validator.check(_node(d)).checks[0].status for d in docs]
    assert statuses == ["pass", "pass", "fail"]


def test_a_fleet_failure_is_a_node_whose_checks_are_skipped_with_the_reason(h100_recipe):
    missing = NodeInput("gpu-9", "fleet.yaml", None, "agent Job timed out after 300s")
    report = validate(h100_recipe, [_node(h100()), missing])
    node = report.nodes[1]
    assert node.missing == "agent Job timed out after 300s"
    assert {c.status for c in node.checks} == {"skip"}
    assert node.checks[0].message == "no snapshot: agent Job timed out after 300s"
    assert report.passed and not validate(h100_recipe, [missing], fail_on="skip").passed


def test_nodes_with_the_same_name_are_kept_apart():
    recipe = _recipe(("GPU.smi.gpu-count >= 1", "error"))
    a, b = renamed(h100(), "gpu-1"), renamed(h100(), "gpu-1")
    report = validate(recipe, [_node(a, "gpu-1", "a.yaml"), _node(b, "gpu-1", "b.yaml")])
    assert [n.node for n in report.nodes] == ["gpu-1", "gpu-1 (b.yaml)"]


def test_a_malformed_snapshot_names_its_origin():
    doc = h100()
    doc["measurements"][0]["subtypes"] = {"not": "a list"}
    with pytest.raises(InvalidRequestError, match=r"^n1.yaml: measurements\[0\] \(SystemD\)"):
        validate(_recipe(("GPU.smi.gpu-count >= 1", "error")), [_node(doc)])
    doc = h100()
    reading(doc, "GPU", "smi")["gpu-count"] = [8]
    with pytest.raises(InvalidRequestError, match=r"GPU\.smi\.gpu-count: expected a scalar"):
        validate(_recipe(("GPU.smi.gpu-count >= 1", "error")), [_node(doc)])


def test_nothing_to_validate_is_an_error():
    with pytest.raises(InvalidRequestError, match="no snapshot to validate"):
        validate(_recipe(("GPU.smi.gpu-count >= 1", "error")), [])


def test_the_report_counts_and_summary_agree_with_the_checks(h100_recipe):
    doc = h100()
    reading(doc, "GPU", "smi")["gpu.model"] = "NVIDIA L40S"
    report = validate(h100_recipe, [_node(h100(), "a"), _node(doc, "b")], recipe_origin="r.yaml")
    out = report.to_dict()
    n = len(h100_recipe.constraints)
    assert out["summary"] == {
        "nodes": 2,
        "failedNodes": 1,
        "constraints": n,
        "checks": 2 * n,
        "passed": 2 * n - 1,
        "failed": 1,
        "warnings": 0,
        "skipped": 0,
    }
    assert out["recipe"]["source"] == "r.yaml" and out["recipe"]["request"]["gpu"] == "h100"
    assert [x["result"] for x in out["nodes"]] == ["pass", "fail"]
    assert out["kind"] == "ValidationReport" and out["failOn"] == "error"
