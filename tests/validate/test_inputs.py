"""Reading snapshots: files, directories (name order, only snapshot files), SnapshotLists
with failures, node names from source-node or the file name, and clear refusals."""

from __future__ import annotations

import json

import pytest
from validate_helpers import H100, h100, renamed

from eidos.errors import InvalidRequestError, NotFoundError
from eidos.model import NodeFailure, Snapshot, SnapshotList
from eidos.serializer import dumps, loads
from eidos.validate import read_nodes
from eidos.validate.inputs import node_name


def _write(path, doc, fmt="json"):
    path.write_text(dumps(doc, fmt))
    return path


def test_a_file_is_one_node_named_by_its_source_node():
    (node,) = read_nodes([str(H100)])
    assert node.node == "ip-10-0-158-18.ec2.internal" and node.origin == str(H100)
    assert node.doc is not None and node.doc["kind"] == "Snapshot"


@pytest.mark.parametrize(
    ("origin", "name"),
    [
        ("fleet/gpu-7.yaml", "gpu-7"),
        ("gpu-7.json", "gpu-7"),
        ("https://host/snaps/gpu-8.yml?token=1", "gpu-8"),
        ("cm://gpu-operator/eidos-snapshot", "eidos-snapshot"),
        ("stdin", "stdin"),
    ],
)
def test_without_source_node_the_file_name_names_the_node(origin, name):
    assert node_name({"metadata": {}}, origin) == name


def test_a_directory_is_read_in_name_order_skipping_other_files(tmp_path):
    _write(tmp_path / "b.json", renamed(h100(), "node-b"))
    _write(tmp_path / "a.yaml", renamed(h100(), "node-a"), "yaml")
    (tmp_path / ".hidden.yaml").write_text("not: read")
    (tmp_path / "notes.txt").write_text("not read either")
    (tmp_path / "sub.yaml").mkdir()
    assert [n.node for n in read_nodes([str(tmp_path)])] == ["node-a", "node-b"]


def test_an_empty_directory_is_refused(tmp_path):
    with pytest.raises(InvalidRequestError, match="no snapshot files in this directory"):
        list(read_nodes([str(tmp_path)]))


def test_a_snapshot_list_yields_its_items_and_its_failures(tmp_path):
    items = [Snapshot.from_dict(renamed(h100(), f"gpu-{i}")) for i in (1, 2)]
    fleet = SnapshotList(items, [NodeFailure("gpu-3", "agent Job timed out after 300s")])
    path = _write(tmp_path / "fleet.json", fleet.to_dict())
    nodes = list(read_nodes([str(path)]))
    assert [(n.node, n.doc is None, n.missing) for n in nodes] == [
        ("gpu-1", False, ""),
        ("gpu-2", False, ""),
        ("gpu-3", True, "agent Job timed out after 300s"),
    ]
    assert nodes[1].origin == f"{path} items[1]"
    assert SnapshotList.from_dict(loads(path.read_text())) == fleet


def test_files_lists_and_directories_mix(tmp_path):
    fleet = tmp_path / "fleet"
    fleet.mkdir()
    _write(fleet / "x.json", renamed(h100(), "x"))
    one = SnapshotList([Snapshot.from_dict(renamed(h100(), "y"))])
    lst = _write(tmp_path / "list.yaml", one.to_dict(), "yaml")
    names = [n.node for n in read_nodes([str(H100), str(fleet), str(lst)])]
    assert names == ["ip-10-0-158-18.ec2.internal", "x", "y"]


@pytest.mark.parametrize(
    ("doc", "message"),
    [
        ({"kind": "Recipe"}, r"not a Snapshot or SnapshotList document \(kind 'Recipe'\)"),
        ({"measurements": []}, r"not a Snapshot or SnapshotList document \(no 'kind' field\)"),
        ({"kind": "SnapshotList", "items": {}}, "items: expected a list"),
        ({"kind": "SnapshotList", "items": [{"kind": "Recipe"}]}, r"items\[0\]: not a Snapshot"),
        ({"kind": "SnapshotList", "failures": [{"node": "a"}]}, r"failures\[0\]: expected"),
        ({"kind": "SnapshotList", "apiVersion": "v2"}, "unsupported apiVersion 'v2'"),
    ],
)
def test_other_documents_are_refused_naming_the_file(tmp_path, doc, message):
    path = tmp_path / "x.json"
    path.write_text(json.dumps(doc))
    with pytest.raises(InvalidRequestError, match=message) as err:
        list(read_nodes([str(path)]))
    assert str(err.value.message).startswith(str(path))


def test_a_missing_file_is_not_found(tmp_path):
    with pytest.raises(NotFoundError):
        list(read_nodes([str(tmp_path / "absent.yaml")]))


def test_documents_are_read_one_at_a_time(tmp_path):
    for i in range(3):
        _write(tmp_path / f"n{i}.json", renamed(h100(), f"n{i}"))
    (tmp_path / "n3.json").write_text("{broken")
    nodes = read_nodes([str(tmp_path)])
    assert [next(nodes).node for _ in range(3)] == ["n0", "n1", "n2"]  # before the bad one
    with pytest.raises(InvalidRequestError, match=r"n3\.json: invalid"):
        next(nodes)
