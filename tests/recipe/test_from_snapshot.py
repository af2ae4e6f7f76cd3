"""What a snapshot says that eidos cannot use is named, with what would have been accepted."""

from __future__ import annotations

from eidos.model import Snapshot
from eidos.recipe import infer_query


def snapshot(*measurements: dict) -> Snapshot:
    return Snapshot.from_dict({"kind": "Snapshot", "measurements": list(measurements)})


def reading(mtype: str, subtype: str, **data: object) -> dict:
    return {"type": mtype, "subtypes": [{"subtype": subtype, "data": data}]}


def test_every_ignored_value_is_named_with_what_is_accepted():
    inference = infer_query(
        snapshot(
            reading("OS", "release", ID="debian", VERSION_ID="trixie"),
            {
                "type": "K8s",
                "subtypes": [
                    {"subtype": "server", "data": {"version": "garbage"}},
                    {"subtype": "node", "data": {"provider": "hetzner"}},
                ],
            },
            reading("GPU", "smi", **{"gpu.model": "Tesla T4"}),
            reading("Network", "nic", speed="400G"),
        ),
        "training",
    )
    assert inference.query.to_dict() == {"intent": "training", "withContext": True}
    notes = "\n".join(inference.ignored)
    assert "measurement type 'Network' is ignored (accepted: SystemD, OS, K8s, GPU)" in notes
    assert "OS/release/ID 'debian' is not a known OS; os stays a wildcard (accepted: " in notes
    assert "amzn" in notes and "ubuntu" in notes
    assert "OS/release/VERSION_ID 'trixie' is not a version" in notes
    assert "K8s/server/version 'garbage' is not a version; k8s stays a wildcard" in notes
    assert "node provider 'hetzner' is not a known service" in notes
    assert "GPU model 'Tesla T4' is not one eidos has recipes for" in notes
    assert "GB200, B200, H200, H100, A100, L40S, L40" in notes
    assert len(inference.ignored) == 6


def test_a_snapshot_eidos_understands_ignores_nothing(reference):
    import yaml

    snap = Snapshot.from_dict(yaml.safe_load((reference / "snapshots/h100.yaml").read_text()))
    inference = infer_query(snap)
    assert inference.ignored == []
    assert inference.query.gpu == "h100" and inference.query.service == "eks"
