"""eidos diff: added / removed / changed keys grouped by measurement, volatile and per-node
keys ignored by default, --ignore globs, recipes by component; the fleet's odd nodes out."""

from __future__ import annotations

import pytest
from validate_helpers import h100, reading, renamed

from eidos.errors import InvalidRequestError
from eidos.model import Query
from eidos.recipe import RecipeBuilder, RecipeStore
from eidos.validate import DocumentDiff, FleetDiff, KeyFilter, document_entries, reading_entries
from eidos.validate.diff import MISSING
from eidos.validate.diff_table import render_diff_table, render_fleet_table
from eidos.validate.outliers import ABSENT
from eidos.validate.volatile import IDENTITY, VOLATILE


def _diff(a, b, keys=None):
    (_, before), (_, after) = document_entries(a, "a"), document_entries(b, "b")
    return DocumentDiff(before, after, keys or KeyFilter())


def test_the_same_node_read_twice_is_equal_despite_timestamps_and_counters():
    later = h100()
    later["metadata"]["snapshot-timestamp"] = "2026-02-02T00:00:00Z"
    containerd = reading(later, "SystemD", "containerd.service")
    containerd["ActiveEnterTimestamp"] += 1000
    containerd["MemoryCurrent"] = 1
    reading(later, "OS", "sysctl")["/proc/sys/kernel/random/uuid"] = "other"
    diff = _diff(h100(), later)
    assert diff.equal and diff.ignored > 40
    assert not _diff(h100(), later, KeyFilter(all_keys=True)).equal


def test_changes_are_grouped_by_measurement_and_typed():
    after = h100()
    smi = reading(after, "GPU", "smi")
    smi["driver"] = "580.105.08"
    smi["gpu-count"] = "8"  # a string now: a change, though it prints the same
    del reading(after, "OS", "sysctl")["/proc/sys/vm/swappiness"]
    reading(after, "OS", "kmod")["nvidia_peermem"] = True
    diff = _diff(h100(), after)
    assert diff.changes == [
        ("GPU/smi", "driver", "570.133.20", "580.105.08"),
        ("GPU/smi", "gpu-count", 8, "8"),
        ("OS/kmod", "nvidia_peermem", MISSING, True),
        ("OS/sysctl", "/proc/sys/vm/swappiness", "60", MISSING),
    ]
    assert diff.counts() == {"added": 1, "removed": 1, "changed": 2, "ignored": diff.ignored}
    text = render_diff_table(diff, "a.yaml", "b.yaml")
    assert "GPU/smi\n  ~ driver: 570.133.20 -> 580.105.08\n  ~ gpu-count: 8 -> 8" in text
    assert "  + nvidia_peermem: true" in text and "  - /proc/sys/vm/swappiness: 60" in text
    assert "2 changed, 1 added, 1 removed" in text
    groups = diff.to_dict("a", "b", "Snapshot")["groups"]
    assert groups[0] == {
        "group": "GPU/smi",
        "changed": [
            {"key": "driver", "from": "570.133.20", "to": "580.105.08"},
            {"key": "gpu-count", "from": 8, "to": "8"},
        ],
    }


def test_ignore_globs_match_key_paths():
    after = h100()
    reading(after, "OS", "sysctl")["/proc/sys/net/core/somaxconn"] = "1"
    reading(after, "GPU", "smi")["driver"] = "1"
    keys = KeyFilter(["OS.sysctl./proc/sys/net/*"])
    assert [c[1] for c in _diff(h100(), after, keys).changes] == ["driver"]
    assert _diff(h100(), after, KeyFilter(["GPU.*", "OS.*"])).equal


def test_two_recipes_differ_by_component_values_order_and_constraints():
    builder = RecipeBuilder(RecipeStore.load(), cache_size=0)
    a = builder.build(Query.build(service="eks", gpu="h100")).to_dict()
    b = builder.build(Query.build(service="eks", gpu="h100", k8s="1.30")).to_dict()
    diff = _diff(a, b)
    groups = {c[0] for c in diff.changes}
    assert {"components/nvidia-dra-driver-gpu", "constraints", "recipe", "request"} <= groups
    removed = [c for c in diff.changes if c[0] == "components/nvidia-dra-driver-gpu"]
    assert removed and all(c[3] is MISSING for c in removed)
    floor = next(c for c in diff.changes if c[:2] == ("constraints", "K8s.server.version"))
    assert floor[2:] == (
        "K8s.server.version >= 1.32 [error]",
        "K8s.server.version >= 1.30 [error]",
    )


def test_a_document_that_is_neither_is_refused():
    with pytest.raises(InvalidRequestError, match=r"a: not a Snapshot or Recipe document"):
        document_entries({"kind": "Bundle"}, "a")
    with pytest.raises(InvalidRequestError, match=r"\(kind 'SnapshotList'\); compare .* --fleet"):
        document_entries({"kind": "SnapshotList", "items": []}, "a")


def test_the_default_lists_ignore_real_volatile_keys_of_the_h100_snapshot():
    keys = KeyFilter()
    paths = reading_entries(h100())
    ignored = {p for p in paths if keys.ignored(p)}
    for expected in (
        "metadata.snapshot-timestamp",
        "metadata.source-node",
        "SystemD.containerd.service.ActiveEnterTimestamp",
        "SystemD.kubelet.service.MainPID",
        "OS.sysctl./proc/sys/kernel/random/boot_id",
        "OS.sysctl./proc/sys/fs/file-nr",
        "K8s.node.provider-id",
    ):
        assert expected in ignored
    assert "OS.sysctl./proc/sys/vm/swappiness" not in ignored
    assert "GPU.smi.driver" not in ignored
    assert len(set(VOLATILE) | set(IDENTITY)) == len(VOLATILE) + len(IDENTITY)


def _fleet(docs, keys=None):
    fleet = FleetDiff(keys or KeyFilter())
    for doc in docs:
        fleet.add(doc["metadata"]["source-node"], reading_entries(doc))
    return fleet


def test_the_fleet_names_the_odd_nodes_out_per_key():
    docs = [renamed(h100(), f"gpu-{i}") for i in range(5)]
    reading(docs[3], "GPU", "smi")["driver"] = "580.105.08"  # upgraded on one node
    for d in docs[:3]:
        del reading(d, "OS", "sysctl")["/proc/sys/vm/swappiness"]  # missing on three
    fleet = _fleet(docs)
    found = {(k.group, k.key): k for k in fleet.outliers()}
    assert set(found) == {("GPU/smi", "driver"), ("OS/sysctl", "/proc/sys/vm/swappiness")}
    driver = found["GPU/smi", "driver"]
    assert (driver.majority, driver.majority_nodes) == ("570.133.20", 4)
    assert driver.outliers == [("gpu-3", "580.105.08")]
    swappiness = found["OS/sysctl", "/proc/sys/vm/swappiness"]
    assert swappiness.majority is ABSENT and swappiness.majority_nodes == 3
    assert swappiness.outliers == [("gpu-3", "60"), ("gpu-4", "60")]
    doc = fleet.to_dict(fleet.outliers())
    assert doc["oddNodes"][0] == {"node": "gpu-3", "keys": 2}
    assert doc["summary"]["oddKeys"] == 2 and not doc["equal"]
    text = render_fleet_table(fleet, fleet.outliers())
    assert "  driver: 570.133.20 (4 of 5 nodes); differs on:\n    gpu-3  580.105.08" in text
    assert "5 nodes: 2 keys differ, on 2 nodes" in text


def test_a_uniform_fleet_has_no_odd_node_and_identity_keys_do_not_count():
    fleet = _fleet([renamed(h100(), f"gpu-{i}") for i in range(3)])
    assert fleet.outliers() == []
    loud = _fleet([renamed(h100(), f"gpu-{i}") for i in range(3)], KeyFilter(all_keys=True))
    keys = {k.key for k in loud.outliers()}
    assert keys == {"source-node"}


def test_a_tie_is_marked_and_the_first_value_seen_is_the_reference():
    docs = [renamed(h100(), "a"), renamed(h100(), "b")]
    reading(docs[1], "GPU", "smi")["driver"] = "580.105.08"
    (key,) = _fleet(docs).outliers()
    assert key.tie and key.majority == "570.133.20" and key.outliers == [("b", "580.105.08")]
