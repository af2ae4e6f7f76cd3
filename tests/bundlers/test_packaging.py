"""``-o``: archives the same files as a directory, byte-identical; OCI push to a real registry."""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import tarfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from bundle_helpers import reference_recipe

from eidos.bundlers import BundleConfig, make_bundles
from eidos.bundlers.outdir import MARKER
from eidos.bundlers.output import OciOutput, open_output
from eidos.errors import InvalidRequestError, IOFailureError
from eidos.serializer.oci import LAYER_MEDIA_TYPE, parse_reference

REGISTRY = shutil.which("docker-registry")


def _config(**kwargs: object) -> BundleConfig:
    return BundleConfig(version="1.0", **kwargs)  # type: ignore[arg-type]


def _dir_files(root: Path) -> dict[str, tuple[bytes, int]]:
    out = {}
    for path in sorted(root.rglob("*")):
        if path.is_file() and path.name != MARKER:
            out[str(path.relative_to(root))] = (path.read_bytes(), path.stat().st_mode & 0o777)
    return out


def _tar_files(data: bytes) -> dict[str, tuple[bytes, int]]:
    with tarfile.open(fileobj=io.BytesIO(data), mode="r:gz") as tar:
        return {
            m.name: (tar.extractfile(m).read(), m.mode)  # type: ignore[union-attr]
            for m in tar.getmembers()
            if m.isfile()
        }


def test_tar_gz_holds_exactly_the_directory_files_and_is_reproducible(tmp_path: Path) -> None:
    recipe = reference_recipe()
    make_bundles(recipe, tmp_path / "dir", _config())
    make_bundles(recipe, tmp_path / "one.tar.gz", _config())
    make_bundles(recipe, tmp_path / "two.tgz", _config())
    one, two = (tmp_path / "one.tar.gz").read_bytes(), (tmp_path / "two.tgz").read_bytes()
    assert one == two
    assert _tar_files(one) == _dir_files(tmp_path / "dir")
    assert _tar_files(one)["deploy.sh"][1] == 0o755
    with tarfile.open(fileobj=io.BytesIO(one), mode="r:gz") as tar:
        stamp = {m.mtime for m in tar.getmembers()}
    assert stamp == {int((tmp_path / "dir" / "README.md").stat().st_mtime)}
    assert sorted(os.listdir(tmp_path)) == ["dir", "one.tar.gz", "two.tgz"]


def test_an_existing_archive_is_replaced_only_with_force(tmp_path: Path) -> None:
    target = tmp_path / "b.tar.gz"
    target.write_bytes(b"keep me")
    with pytest.raises(InvalidRequestError, match="use --force"):
        make_bundles(reference_recipe(), target, _config())
    assert target.read_bytes() == b"keep me"
    make_bundles(reference_recipe(), target, _config(force=True))
    assert "README.md" in _tar_files(target.read_bytes())
    (tmp_path / "d.zip").mkdir()
    with pytest.raises(IOFailureError, match="is a directory"):
        make_bundles(reference_recipe(), tmp_path / "d.zip", _config())


@pytest.mark.parametrize(
    ("target", "kwargs", "message"),
    [
        ("./bundles", {"plain_http": True}, "--plain-http applies to oci://"),
        ("b.tar.gz", {"insecure_tls": True}, "--insecure-tls applies to oci://"),
        ("s3://bucket/b", {}, "unsupported output"),
        ("oci://registry.example.com", {}, "invalid OCI reference"),
        ("oci://registry.example.com/Upper/case", {}, "invalid OCI reference"),
        ("oci://registry.example.com/repo:bad:tag", {}, "invalid OCI reference"),
        ("oci:///repo", {}, "invalid OCI reference"),
        ("../b.tar.gz", {}, "'..'"),
    ],
)
def test_bad_outputs_are_refused_before_anything_is_made(
    target: str, kwargs: dict[str, bool], message: str
) -> None:
    with pytest.raises(InvalidRequestError, match=message):
        open_output(target, **kwargs)


def test_oci_references_parse_with_a_default_tag() -> None:
    ref = parse_reference("oci://127.0.0.1:5000/gpu/bundle")
    assert (ref.registry, ref.repository, ref.tag) == ("127.0.0.1:5000", "gpu/bundle", "latest")
    assert str(parse_reference("oci://r.example.com/a/b_c-d:v1.2")) == "r.example.com/a/b_c-d:v1.2"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def registry(tmp_path: Path) -> Iterator[str]:
    """A real CNCF distribution registry (Debian's docker-registry) on 127.0.0.1."""
    if REGISTRY is None:
        pytest.skip("docker-registry is not installed (apt-get install docker-registry)")
    port = _free_port()
    config = tmp_path / "registry.yml"
    config.write_text(
        "version: 0.1\n"
        f"storage:\n  filesystem:\n    rootdirectory: {tmp_path / 'storage'}\n"
        f"http:\n  addr: 127.0.0.1:{port}\n"
        "log:\n  level: error\n"
    )
    log = tmp_path / "registry.log"
    with log.open("wb") as sink:
        proc = subprocess.Popen([REGISTRY, "serve", str(config)], stdout=sink, stderr=sink)
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    pytest.fail(f"docker-registry did not start: {log.read_text()!r}")
                time.sleep(0.05)
        yield f"127.0.0.1:{port}"
    finally:
        proc.kill()
        proc.wait()


def test_oci_push_pulls_back_byte_identical_to_the_archive(registry: str, tmp_path: Path) -> None:
    import oras.provider

    recipe = reference_recipe()
    make_bundles(recipe, tmp_path / "bundle.tar.gz", _config())
    output = OciOutput(f"oci://{registry}/eidos/bundle:v1", plain_http=True)
    report = make_bundles(recipe, output, _config())
    assert report.output_dir == f"oci://{registry}/eidos/bundle:v1@{output.digest}"
    assert output.digest.startswith("sha256:")
    client = oras.provider.Registry(hostname=registry, insecure=True)
    manifest = client.get_manifest(f"{registry}/eidos/bundle:v1")
    assert [layer["mediaType"] for layer in manifest["layers"]] == [LAYER_MEDIA_TYPE]
    pulled = client.pull(target=f"{registry}/eidos/bundle:v1", outdir=str(tmp_path / "pulled"))
    assert [Path(p).name for p in pulled] == ["bundle.tar.gz"]
    assert Path(pulled[0]).read_bytes() == (tmp_path / "bundle.tar.gz").read_bytes()
    again = OciOutput(f"oci://{registry}/eidos/bundle:v2", plain_http=True)
    make_bundles(recipe, again, _config())
    assert again.digest == output.digest, "the same bundle is the same artifact"


def test_oci_push_errors_are_io_failures_with_a_hint(registry: str) -> None:
    with pytest.raises(IOFailureError, match="needs --plain-http"):
        make_bundles(reference_recipe(), f"oci://{registry}/eidos/bundle", _config())
    closed = _free_port()
    with pytest.raises(IOFailureError, match=f"cannot connect to 127.0.0.1:{closed}"):
        make_bundles(
            reference_recipe(), OciOutput(f"oci://127.0.0.1:{closed}/b", plain_http=True), _config()
        )


def test_oras_retry_decorator_still_wraps_do_request() -> None:
    """Canary for serializer/oci.py: it calls the undecorated ``do_request`` (one try)."""
    import oras.provider

    assert callable(oras.provider.Registry.do_request.__wrapped__)
