"""`eidos diff` as a real process: 0 equal, 1 differ (like diff(1)), 2 bad input, 3 I/O;
--fleet finds the odd nodes out of a directory."""

from __future__ import annotations

import copy
import json
import subprocess
import sys
from pathlib import Path

import pytest

from eidos.serializer import dumps, loads

H100 = Path(__file__).parents[1] / "fixtures" / "reference" / "snapshots" / "h100.yaml"
DOC = loads(H100.read_text())


def eidos(*args: str, stdin: str | None = None):
    return subprocess.run(
        [sys.executable, "-m", "eidos", "diff", *args],
        capture_output=True,
        text=True,
        input=stdin,
        timeout=60,
    )


def _variant(path: Path, node: str, driver: str = "570.133.20", stamp: str = "") -> Path:
    doc = copy.deepcopy(DOC)
    doc["metadata"]["source-node"] = node
    if stamp:
        doc["metadata"]["snapshot-timestamp"] = stamp
    for m in doc["measurements"]:
        if m["type"] == "GPU":
            m["subtypes"][0]["data"]["driver"] = driver
    path.write_text(dumps(doc, "json"))
    return path


def test_equal_documents_exit_0_despite_volatile_keys(tmp_path):
    later = _variant(tmp_path / "later.json", "other-name", stamp="2030-01-01T00:00:00Z")
    done = eidos(str(H100), str(later))
    assert done.returncode == 0, done.stderr
    assert "no differences (" in done.stdout
    assert eidos(str(H100), str(later), "--all-keys").returncode == 1


def test_different_documents_exit_1_with_the_change(tmp_path):
    new = _variant(tmp_path / "new.json", "n", driver="580.105.08")
    done = eidos(str(H100), str(new))
    assert done.returncode == 1, done.stderr
    assert "GPU/smi\n  ~ driver: 570.133.20 -> 580.105.08" in done.stdout
    as_json = json.loads(eidos(str(H100), str(new), "-t", "json").stdout)
    assert as_json["summary"]["changed"] == 1 and not as_json["equal"]
    ignored = eidos(str(H100), str(new), "--ignore", "GPU.smi.*")
    assert ignored.returncode == 0


def test_stdin_against_a_file(tmp_path):
    assert eidos("-", str(H100), stdin=H100.read_text()).returncode == 0


def test_the_fleet_names_the_odd_node(tmp_path):
    for i in range(4):
        _variant(tmp_path / f"gpu-{i}.json", f"gpu-{i}", driver="580.1" if i == 2 else "570.1")
    done = eidos("--fleet", str(tmp_path))
    assert done.returncode == 1, done.stderr
    assert "  driver: 570.1 (3 of 4 nodes); differs on:\n    gpu-2  580.1" in done.stdout
    doc = json.loads(eidos("--fleet", str(tmp_path), "-t", "json").stdout)
    assert doc["oddNodes"] == [{"node": "gpu-2", "keys": 1}]
    (tmp_path / "gpu-2.json").unlink()
    assert eidos("--fleet", str(tmp_path)).returncode == 0


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["{snap}"], 2, "compares two documents (A B), got 1"),
        (["-", "-"], 2, "cannot both come from stdin"),
        (["{snap}", "{recipe}"], 2, "cannot compare a Snapshot"),
        (["{snap}", "{snap}", "-t", "junit"], 2, "unknown output format 'junit'"),
        (["{snap}", "{missing}"], 3, "file not found"),
        (["--fleet", "{snap}"], 2, "at least two snapshots"),
        (["{bad}", "{snap}"], 2, "not a Snapshot or Recipe document"),
    ],
)
def test_bad_input_exits_with_one_line(tmp_path, args, code, message):
    recipe = tmp_path / "r.yaml"
    recipe.write_text("kind: Recipe\nmeasurements: []\n")
    bad = tmp_path / "bad.yaml"
    bad.write_text("kind: Bundle\n")
    values = {
        "snap": str(H100),
        "recipe": str(recipe),
        "missing": str(tmp_path / "x.yaml"),
        "bad": str(bad),
    }
    done = eidos(*(a.format(**values) for a in args))
    assert done.returncode == code, done.stderr
    assert done.stderr.startswith("Error: ") and message in done.stderr
