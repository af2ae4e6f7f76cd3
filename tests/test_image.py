"""The container image: what goes in, what is pinned, and (marker ``image``) that it works.

The ``image`` tests build the Containerfile with buildah from a Debian base made locally
with debootstrap (no registry needed), then run ``eidos --version`` and a snapshot in the
image as uid 65532 and as the agent's uid, with a read-only root file system. They take
minutes the first time (the base is cached under ~/.cache/eidos/image-test): ``make
test-image``. Tools or privileges this machine lacks make them skip, saying which.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import tomllib
from pathlib import Path

import pytest

from eidos import IMAGE_REPOSITORY, __version__
from eidos.agent.manifests import AGENT_UID, DEFAULT_IMAGE

ROOT = Path(__file__).resolve().parent.parent
CACHE = Path(os.path.expanduser("~/.cache/eidos/image-test"))
BASE = "localhost/eidos-test-base:bookworm"
IMAGE = "localhost/eidos-image-test:latest"
MIRROR = os.environ.get("EIDOS_DEBIAN_MIRROR", "http://deb.debian.org/debian")


def _name(requirement: str) -> str:
    return re.split(r"[\[<>=!~; ]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def test_constraints_pin_every_runtime_dependency_exactly():
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    pins = {}
    for line in (ROOT / "constraints.txt").read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, sep, version = line.partition("==")
            assert sep and version, f"not an exact pin: {line}"
            pins[_name(name)] = version
    missing = {_name(r) for r in project["dependencies"]} - set(pins)
    assert not missing, f"constraints.txt does not pin {missing}; run make constraints"


def test_the_build_context_is_what_the_containerfile_copies():
    copied = set()
    for line in (ROOT / "Containerfile").read_text().splitlines():
        if line.startswith("COPY ") and "--from" not in line:
            copied.update(p.rstrip("/") for p in line.split()[1:-1])
    rules = [r for r in (ROOT / ".containerignore").read_text().splitlines() if r and r[0] != "#"]
    assert rules[0] == "*"  # everything else (.git, .venv, caches) stays out
    allowed = {r[1:].rstrip("/") for r in rules if r.startswith("!")}
    assert allowed == copied
    assert (ROOT / ".dockerignore").resolve() == (ROOT / ".containerignore").resolve()


def test_make_image_builds_and_pushes_the_image_the_agent_defaults_to():
    for target in ("image", "image-push"):
        done = subprocess.run(
            ["make", "-n", target], cwd=ROOT, capture_output=True, text=True, check=True
        )
        assert (
            f'tools/build_image {"--push " if target == "image-push" else ""}"{DEFAULT_IMAGE}"'
            in done.stdout
        )
    assert f"{IMAGE_REPOSITORY}:v{__version__}" == DEFAULT_IMAGE


def test_every_manifest_runs_the_released_image():
    import yaml

    images = []
    for path in sorted((ROOT / "deploy").rglob("*.yaml")):
        for doc in yaml.safe_load_all(path.read_text()):
            spec = ((doc or {}).get("spec") or {}).get("template", {}).get("spec", {})
            images += [c["image"] for c in spec.get("containers", [])]
    assert images and set(images) == {DEFAULT_IMAGE}


# --- building and running (marker: image) ---------------------------------------------


def _run(argv: list[str], **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(argv, capture_output=True, text=True, **kw)  # type: ignore[call-overload]


def _need(tool: str) -> str:
    path = shutil.which(tool)
    if path is None:
        pytest.skip(f"{tool} is not installed (Debian: apt-get install -y {tool})")
    return path


def _base_image() -> str:
    """A Debian bookworm base with python3, made with debootstrap (cached)."""
    if _run(["buildah", "inspect", "--type", "image", BASE]).returncode == 0:
        return BASE
    _need("debootstrap")
    rootfs = CACHE / "bookworm-rootfs"
    if not (rootfs / "usr/bin/python3").exists():
        shutil.rmtree(rootfs, ignore_errors=True)
        rootfs.parent.mkdir(parents=True, exist_ok=True)
        done = _run(
            [
                "debootstrap",
                "--variant=minbase",
                "--include=python3,python3-venv,ca-certificates",
                "bookworm",
                str(rootfs),
                MIRROR,
            ],
            timeout=1200,
        )
        if done.returncode != 0:
            pytest.skip(f"debootstrap cannot make a base here: {done.stderr.strip()[-300:]}")
    ctr = _run(["buildah", "from", "scratch"], check=True).stdout.strip()
    try:
        mount = _run(["buildah", "mount", ctr], check=True).stdout.strip()
        _run(["cp", "-a", f"{rootfs}/.", mount], check=True)
        _run(["buildah", "umount", ctr], check=True)
        _run(["buildah", "commit", "-q", ctr, BASE], check=True)
    finally:
        _run(["buildah", "rm", ctr])
    return BASE


@pytest.fixture(scope="module")
def image() -> str:
    _need("buildah")
    _need("podman")
    info = _run(["buildah", "info"])
    if info.returncode != 0:
        pytest.skip(f"buildah cannot run here: {info.stderr.strip()}")
    env = {
        **os.environ,
        "CONTAINER_TOOL": "buildah",
        "BASE": _base_image(),
        "BUILD_NETWORK": "host",
        # chroot isolation: RUN steps need no OCI runtime or cgroups (CI containers)
        "BUILDAH_ISOLATION": "chroot",
    }
    ca = Path("/etc/ssl/certs/ca-certificates.crt")
    if ca.is_file():  # this machine's CAs, as a build with a private index would pass its own
        env["PIP_CA"] = str(ca)
    done = _run([str(ROOT / "tools/build_image"), IMAGE], env=env, timeout=1500)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
    return IMAGE


def _podman(image: str, *args: str, user: int = 65532, entrypoint: str | None = None) -> str:
    """Run ``image`` read-only, without network, as ``user``; its stdout."""
    argv = ["podman", "run", "--rm", "--read-only", "--network", "none", "--user", f"{user}:{user}"]
    # Limits this machine allows without CAP_SYS_RESOURCE (podman's defaults exceed them),
    # and runc where crun cannot handle hybrid cgroups.
    argv += ["--ulimit", "nofile=1024:1024", "--ulimit", "nproc=1024:1024"]
    if shutil.which("runc"):
        argv += ["--runtime", "runc"]
    if entrypoint:
        argv += ["--entrypoint", entrypoint]
    done = _run([*argv, image, *args], timeout=120)
    if done.returncode != 0 and "OCI" in done.stderr:
        pytest.skip(f"podman cannot run containers here: {done.stderr.strip()}")
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.image
@pytest.mark.timeout(1800)
@pytest.mark.parametrize("user", [65532, AGENT_UID])
def test_the_image_runs_eidos_as_non_root_on_a_read_only_root(image, user):
    assert _podman(image, "--version", user=user).strip() == f"eidos version {__version__}"
    doc = json.loads(_podman(image, "snapshot", "-t", "json", "--collectors", "os", user=user))
    assert doc["kind"] == "Snapshot"
    assert doc["measurements"][0]["subtypes"][0]["subtype"] == "grub"


CHECK = """
import glob, importlib.util, sys
stale = []
for pyc in glob.glob("/opt/eidos/lib/python3*/site-packages/**/*.pyc", recursive=True):
    with open(pyc, "rb") as fh:
        flags = int.from_bytes(fh.read(8)[4:8], "little")
    if flags & 1 == 0:  # timestamp-based: recompiled whenever mtimes do not match
        stale.append(pyc)
pip = importlib.util.find_spec("pip") is not None
print(len(stale), pip, len(glob.glob("/opt/eidos/bin/pip*")))
"""


@pytest.mark.image
@pytest.mark.timeout(1800)
def test_the_image_has_hash_based_bytecode_and_no_installer(image):
    stale, has_pip, pip_scripts = _podman(image, "-c", CHECK, entrypoint="python3").split()
    assert (stale, has_pip, pip_scripts) == ("0", "False", "0")
