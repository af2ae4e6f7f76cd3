"""Safety and determinism: identical bytes, no injection, clear validation errors."""

from __future__ import annotations

import copy
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from bundle_helpers import bundle, component_dir, read_yaml, reference_dict, with_key

from eidos.errors import BundlerValidationError
from eidos.model import DocumentError, Recipe

HOSTILE = [
    "v1\nkind: Secret",
    "x' ; rm -rf / '",
    "$(touch /tmp/pwned)",
    "a: b",
    "`id`",
    '"quoted"',
    "v1 --set x=y",
    "../../etc",
]
#: every string key the bundlers read, with the bundlers that read it
STRING_KEYS = {
    "K8s/registry/uri": ["gpu-operator", "network-operator"],
    "K8s/server/version": ["gpu-operator", "network-operator"],
    "K8s/image/gpu-operator": ["gpu-operator", "network-operator"],
    "K8s/image/driver": ["gpu-operator"],
    "K8s/image/container-toolkit": ["gpu-operator"],
    "K8s/image/dcgm-exporter": ["gpu-operator"],
    "K8s/image/gdrdrv": ["gpu-operator"],
    "K8s/config/driver_install_dir": ["gpu-operator"],
    "K8s/config/toolkit_install_dir": ["gpu-operator"],
    "K8s/config/mig_profile": ["gpu-operator"],
    "K8s/config/mig_strategy": ["gpu-operator"],
    "GPU/smi/driver-version": ["gpu-operator"],
    "K8s/image/network-operator": ["network-operator"],
    "K8s/image/mofed-driver": ["network-operator"],
    "K8s/image/multus-cni": ["network-operator"],
    "K8s/image/whereabouts-ipam": ["network-operator"],
}


def _files(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(p.relative_to(root)): (p.read_bytes(), p.stat().st_mode)
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize("key", list(STRING_KEYS))
def test_hostile_recipe_strings_are_rejected_naming_bundler_and_key(
    tmp_path: Path, key: str, value: str
) -> None:
    raw = with_key(reference_dict(), key, value)
    if key == "GPU/smi/driver-version":
        raw = with_key(raw, "K8s/image/driver", ...)
    report = bundle(raw, tmp_path)
    for result in report.results:
        if result.name in STRING_KEYS[key]:
            assert isinstance(result.error, BundlerValidationError), result.name
            assert result.error.message.startswith(f"{result.name}: recipe key {key} must be")
            assert result.error.exit_code == 2
    written = [p.name[3:] for p in tmp_path.iterdir()] if tmp_path.exists() else []
    assert not set(written) & set(STRING_KEYS[key])


def _hostile_texts(raw: dict[str, Any], payload: str = "$(touch /tmp/pwned)") -> dict[str, Any]:
    out = copy.deepcopy(raw)
    text = f"ok\nkind: Secret\n{payload} `id` ' \" | <b> # x: y"
    for measurement in out["measurements"]:
        for sub in measurement["subtypes"]:
            sub["context"] = dict.fromkeys(sub["data"], text)
    out["metadata"] = {"recipe-version": text, "recipe-timestamp": text}
    return out


def test_same_recipe_gives_byte_identical_bundles(tmp_path: Path) -> None:
    assert bundle(reference_dict(), tmp_path / "one").ok
    assert bundle(reference_dict(), tmp_path / "two").ok
    one, two = _files(tmp_path / "one"), _files(tmp_path / "two")
    assert one == two and ".eidos-bundle" in one
    assert {"deploy.sh", "undeploy.sh", "images.txt", "01-gpu-operator/values.yaml"} <= set(one)


def test_hostile_contexts_and_metadata_cannot_change_any_file_structure(tmp_path: Path) -> None:
    assert bundle(reference_dict(), tmp_path / "clean").ok
    assert bundle(_hostile_texts(reference_dict()), tmp_path / "hostile").ok
    for name in ("gpu-operator", "network-operator"):
        clean = component_dir(tmp_path / "clean", name)
        hostile = component_dir(tmp_path / "hostile", name)
        for path in clean.rglob("*.yaml"):
            assert read_yaml(hostile / path.relative_to(clean)) == read_yaml(path)
    for path in (tmp_path / "hostile").rglob("*"):
        if path.is_file():
            lines = path.read_text().splitlines()
            assert not any(line.startswith(("kind: Secret", "$(touch")) for line in lines), path
    for script in ("deploy.sh", "undeploy.sh"):
        subprocess.run(["bash", "-n", str(tmp_path / "hostile" / script)], check=True)


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_hostile_metadata_in_scripts_stays_inside_comments(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"
    raw = _hostile_texts(reference_dict(), f"$(touch {marker}) `touch {marker}`")
    assert bundle(raw, tmp_path / "b").ok
    for script in ("deploy.sh", "undeploy.sh"):
        done = subprocess.run(
            ["bash", str(tmp_path / "b" / script), "--dry-run"],
            capture_output=True,
            text=True,
            check=True,
            env={"PATH": "/usr/bin:/bin"},
            timeout=30,
        )
        assert "helm" in done.stdout
    assert not marker.exists()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ("no-k8s", "recipe has no K8s measurement and no componentRefs"),
        ("no-versions", "recipe has no componentRefs and no K8s/image/gpu-operator"),
    ],
)
def test_a_recipe_without_anything_to_bundle_is_a_clear_error(
    tmp_path: Path, edit: str, message: str
) -> None:
    raw = reference_dict()
    if edit == "no-k8s":
        raw["measurements"] = [m for m in raw["measurements"] if m["type"] != "K8s"]
    else:
        raw = with_key(raw, "K8s/image/gpu-operator", ...)
        raw = with_key(raw, "K8s/image/network-operator", ...)
    with pytest.raises(BundlerValidationError, match=message) as caught:
        bundle(raw, tmp_path / "out")
    assert caught.value.exit_code == 2
    assert not (tmp_path / "out").exists()


def test_a_legacy_recipe_without_one_operator_bundles_the_other(tmp_path: Path) -> None:
    raw = with_key(reference_dict(), "K8s/image/network-operator", ...)
    report = bundle(raw, tmp_path)
    assert [(r.name, r.status) for r in report.results] == [("gpu-operator", "ok")]
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_dir()) == ["01-gpu-operator"]


def test_a_document_of_another_kind_is_not_a_recipe() -> None:
    raw = reference_dict()
    raw["kind"] = "Snapshot"
    with pytest.raises(DocumentError, match="not a Recipe document: kind 'Snapshot'"):
        Recipe.from_dict(raw)


@pytest.mark.parametrize(
    ("edits", "message"),
    [
        (
            {"K8s/config/vgpu": True, "K8s/config/confidential_computing": True},
            "vgpu and K8s/config/confidential_computing are both true",
        ),
        (
            {
                "K8s/config/secure_boot": True,
                "K8s/image/driver": ...,
                "GPU/smi/driver-version": ...,
            },
            "secure_boot is true but the recipe has no K8s/image/driver",
        ),
        (
            {"K8s/network-config/deploy_ofed": True, "K8s/network-config/use_host_mofed": True},
            "use_host_mofed and K8s/network-config/deploy_ofed are both true",
        ),
        (
            {"K8s/network-config/enable_nv_ipam": True},
            "recipe key K8s/image/nv-ipam is missing: K8s/network-config/enable_nv_ipam enables",
        ),
        (
            {
                "K8s/network-config/enable_whereabouts": True,
                "K8s/image/network-operator": "v25.10.0",
            },
            "has no whereabouts IPAM plugin",
        ),
    ],
)
def test_contradictory_or_incomplete_recipes_are_rejected(
    tmp_path: Path, edits: dict[str, Any], message: str
) -> None:
    raw = reference_dict()
    for key, value in edits.items():
        raw = with_key(raw, key, value)
    report = bundle(raw, tmp_path)
    errors = [r.error.message for r in report.results if r.error is not None]
    assert any(message in e for e in errors), errors
