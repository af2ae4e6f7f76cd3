"""POST /v1/bundle: the zip holds exactly what the CLI writes; limits and errors."""

from __future__ import annotations

import io
import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
import yaml

from eidos.bundlers.outdir import MARKER

RECIPE = (
    Path(__file__).parents[1]
    / "fixtures"
    / "reference"
    / "recipes"
    / "h100-eks-ubuntu-training.yaml"
)
OPTIONS = [
    ("deployer", "helmfile", "--deployer"),
    ("set", "gpu-operator:driver.version=580.95.05", "--set"),
    ("set", "network-operator:operator.tag=v25.4.1", "--set"),
    ("registry", "registry.example.com/mirror", "--registry"),
    ("system-toleration", "dedicated=system:NoSchedule", "--system-toleration"),
    ("accelerated-node-selector", "nvidia.com/gpu.present=true", "--accelerated-node-selector"),
]


def _zip_files(data: bytes) -> dict[str, tuple[bytes, int]]:
    with zipfile.ZipFile(io.BytesIO(data)) as zf:
        return {
            i.filename: (zf.read(i), (i.external_attr >> 16) & 0o777)
            for i in zf.infolist()
            if not i.is_dir()
        }


async def _post(client, body: bytes, params, content_type: str = "application/yaml"):
    return await client.post(
        "/v1/bundle", content=body, params=params, headers={"Content-Type": content_type}
    )


async def test_zip_holds_exactly_the_files_the_cli_writes(client, tmp_path: Path) -> None:
    out = tmp_path / "cli"
    flags = [arg for _, value, flag in OPTIONS for arg in (flag, value)]
    subprocess.run(
        [sys.executable, "-m", "eidos", "bundle", "-f", str(RECIPE), "-o", str(out), *flags],
        check=True,
        capture_output=True,
        timeout=60,
    )
    written = {
        str(p.relative_to(out)): (p.read_bytes(), p.stat().st_mode & 0o777)
        for p in sorted(out.rglob("*"))
        if p.is_file() and p.name != MARKER
    }
    response = await _post(client, RECIPE.read_bytes(), [(k, v) for k, v, _ in OPTIONS])
    assert response.status_code == 200, response.text
    assert response.headers["content-type"] == "application/zip"
    assert response.headers["content-disposition"] == 'attachment; filename="bundle.zip"'
    assert _zip_files(response.content) == written
    assert "helmfile.yaml" in written and written["checksums.txt"][1] == 0o644
    again = await _post(client, RECIPE.read_bytes(), [(k, v) for k, v, _ in OPTIONS])
    assert again.content == response.content


async def test_json_and_yaml_bodies_give_the_same_zip(client) -> None:
    as_json = json.dumps(yaml.safe_load(RECIPE.read_text())).encode()
    a = await _post(client, as_json, {}, "application/json")
    b = await _post(client, RECIPE.read_bytes(), {})
    assert a.status_code == b.status_code == 200
    assert a.content == b.content
    assert "deploy.sh" in _zip_files(a.content)


@pytest.mark.parametrize(
    ("body", "params", "message"),
    [
        (b"kind: [", {}, "request body: invalid YAML"),
        (b"", {}, "request body: the document is empty"),
        (b"\xff\xfe", {}, "not valid UTF-8"),
        (b"{}", {}, "request body"),
        (None, {"deployer": "kubectl"}, "unknown deployer 'kubectl'"),
        (None, {"deployer": "argocd"}, "argocd deployer needs --repo"),
        (None, {"colour": "red"}, "unknown parameter 'colour'"),
        (None, [("registry", "a.io"), ("registry", "b.io")], "given twice"),
        (None, {"set": "gpu-operator"}, "COMPONENT:PATH=VALUE"),
        (None, {"component": "nope"}, "unknown component 'nope'"),
        (None, {"system-toleration": "a=b:Sometimes"}, "system-toleration"),
        (None, {"repo": "ftp://x/y", "deployer": "argocd"}, "invalid Git repository"),
    ],
)
async def test_bad_recipes_and_options_are_400_with_the_error_body(client, body, params, message):
    response = await _post(client, RECIPE.read_bytes() if body is None else body, params)
    assert response.status_code == 400, response.text
    error = response.json()
    assert error["code"] == "INVALID_REQUEST"
    assert message in error["message"]
    assert set(error) >= {"code", "message", "requestId", "timestamp", "retryable"}


async def test_a_body_over_the_cap_is_413(make_client) -> None:
    async with make_client(max_bundle_body=1024) as client:
        response = await _post(client, b"#" * 2048 + b"\n" + RECIPE.read_bytes(), {})
    assert response.status_code == 413
    assert response.json()["details"] == {"limit": 1024}


async def test_bundles_have_their_own_per_client_rate_limit(make_client) -> None:
    async with make_client(bundle_rate_limit=0.01, bundle_rate_burst=2) as client:
        codes = [(await _post(client, RECIPE.read_bytes(), {})).status_code for _ in range(3)]
        refused = await _post(client, RECIPE.read_bytes(), {})
        recipe = await client.get("/v1/recipe", params={"service": "eks"})
    assert codes == [200, 200, 429]
    assert refused.status_code == 429 and int(refused.headers["retry-after"]) >= 1
    assert refused.json()["code"] == "RATE_LIMIT_EXCEEDED"
    assert recipe.status_code == 200, "other routes keep their own budget"
