"""cm://namespace/name as an output and an input: layout, updates, read-back, bad URIs."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eidos.errors import InvalidRequestError, NotFoundError
from eidos.kube import read_configmap, write_configmap
from eidos.serializer import open_destination, read_document, read_text
from eidos.serializer.configmap import ConfigMapDestination, parse_configmap_uri

H100 = Path(__file__).parents[1] / "fixtures" / "reference" / "snapshots" / "h100.yaml"
BAD_URIS = [
    "cm://",
    "cm://ns",
    "cm://ns/",
    "cm:///name",
    "cm://ns/a/b",
    "cm://NS/name",
    "cm://ns/Name",
    "cm://ns/na_me",
    "cm://-ns/name",
    "cm://ns/name\n",
    "cm:// ns/name",
    "cm://" + "n" * 64 + "/name",
]


@pytest.mark.parametrize("uri", BAD_URIS)
def test_malformed_uris_are_invalid_requests_never_a_fallback(uri):
    with pytest.raises(InvalidRequestError, match="ConfigMap URI") as err:
        open_destination(uri, component="snapshot")
    assert err.value.exit_code == 2
    with pytest.raises(InvalidRequestError, match="ConfigMap URI"):
        read_text(uri)


@given(st.text(alphabet="abc-./_ Z9\n", max_size=20))
def test_a_parsed_uri_is_exactly_a_valid_namespace_and_name(rest):
    try:
        namespace, name = parse_configmap_uri("cm://" + rest)
    except InvalidRequestError:
        return
    assert f"{namespace}/{name}" == rest
    assert namespace.replace("-", "").isalnum() and namespace == namespace.lower()
    assert "/" not in name and "\n" not in name and " " not in name


def test_snapshot_layout(kube, kube_backend):
    ns = kube_backend.namespace
    dest = open_destination(f"cm://{ns}/eidos-snapshot", component="snapshot", kube=kube)
    dest.write("kind: Snapshot\n", fmt="yaml")
    cm = read_configmap(kube, ns, "eidos-snapshot")
    assert set(cm["data"]) == {"snapshot.yaml", "format", "timestamp"}
    assert cm["data"]["snapshot.yaml"] == "kind: Snapshot\n"
    assert cm["data"]["format"] == "yaml"
    assert cm["data"]["timestamp"].endswith("Z") and len(cm["data"]["timestamp"]) == 20
    assert cm["metadata"]["labels"] == {
        "app.kubernetes.io/name": "eidos",
        "app.kubernetes.io/component": "snapshot",
    }


def test_rewriting_in_another_format_replaces_the_old_key(kube, kube_backend):
    uri = f"cm://{kube_backend.namespace}/eidos-recipe"
    ConfigMapDestination(uri, component="recipe", kube=kube).write("a: 1\n", fmt="yaml")
    ConfigMapDestination(uri, component="recipe", kube=kube).write('{"a": 2}', fmt="json")
    data = read_configmap(kube, kube_backend.namespace, "eidos-recipe")["data"]
    assert set(data) == {"recipe.json", "format", "timestamp"}
    assert read_document(uri, kube=kube) == {"a": 2}


def test_a_table_is_stored_but_cannot_be_read_back(kube, kube_backend):
    uri = f"cm://{kube_backend.namespace}/table"
    ConfigMapDestination(uri, component="snapshot", kube=kube).write("FIELD VALUE\n", fmt="table")
    assert "snapshot.txt" in read_configmap(kube, kube_backend.namespace, "table")["data"]
    with pytest.raises(InvalidRequestError, match="holds a table"):
        read_text(uri, kube=kube)


def test_reading_falls_back_to_any_document_key(kube, kube_backend):
    ns = kube_backend.namespace
    write_configmap(kube, ns, "odd", data={"format": "yaml", "recipe.json": '{"k": 1}'}, labels={})
    assert read_document(f"cm://{ns}/odd", kube=kube) == {"k": 1}


def test_a_configmap_without_a_document_is_not_found(kube, kube_backend):
    ns = kube_backend.namespace
    write_configmap(kube, ns, "other", data={"foo": "bar"}, labels={})
    with pytest.raises(NotFoundError, match=r"no snapshot or recipe document \(data keys: foo\)"):
        read_text(f"cm://{ns}/other", kube=kube)
    with pytest.raises(NotFoundError, match=f"ConfigMap {ns}/missing not found") as err:
        read_text(f"cm://{ns}/missing", kube=kube)
    assert err.value.exit_code == 3


def test_a_document_over_1_mib_fails_before_the_write(kube, kube_backend):
    dest = ConfigMapDestination(
        f"cm://{kube_backend.namespace}/big", component="snapshot", kube=kube
    )
    with pytest.raises(InvalidRequestError, match="holds at most 1048576 bytes"):
        dest.write("x" * (1 << 20), fmt="yaml")
    with pytest.raises(NotFoundError):
        read_configmap(kube, kube_backend.namespace, "big")


def test_the_default_client_comes_from_kubeconfig(kube_emulator, tmp_path, monkeypatch):
    monkeypatch.setenv("KUBECONFIG", str(kube_emulator.write_kubeconfig(tmp_path / "kc")))
    open_destination("cm://ns/doc", component="recipe").write("a: b\n", fmt="yaml")
    assert read_document("cm://ns/doc") == {"a": "b"}


def _eidos(*args: str, kubeconfig: Path, stdin: str | None = None):
    env = {k: v for k, v in os.environ.items() if k not in ("KUBECONFIG", "NODE_NAME")}
    env["KUBECONFIG"] = str(kubeconfig)
    return subprocess.run(
        [sys.executable, "-m", "eidos", *args],
        capture_output=True,
        text=True,
        env=env,
        input=stdin,
        timeout=60,
    )


def test_cli_recipe_from_and_to_configmaps_then_bundle(kube, kube_backend, tmp_path):
    ns = kube_backend.namespace
    ConfigMapDestination(f"cm://{ns}/eidos-snapshot", component="snapshot", kube=kube).write(
        H100.read_text(), fmt="yaml"
    )
    done = _eidos(
        "recipe",
        "-f",
        f"cm://{ns}/eidos-snapshot",
        "--intent",
        "training",
        "-o",
        f"cm://{ns}/eidos-recipe",
        kubeconfig=kube_backend.kubeconfig,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == ""
    recipe = read_document(f"cm://{ns}/eidos-recipe", kube=kube)
    assert recipe["kind"] == "Recipe" and recipe["request"]["service"] == "eks"
    labels = read_configmap(kube, ns, "eidos-recipe")["metadata"]["labels"]
    assert labels["app.kubernetes.io/component"] == "recipe"
    out = tmp_path / "bundles"
    done = _eidos(
        "bundle",
        "-f",
        f"cm://{ns}/eidos-recipe",
        "-o",
        str(out),
        kubeconfig=kube_backend.kubeconfig,
    )
    assert done.returncode == 0, done.stderr
    assert len(list(out.glob("*-gpu-operator/values.yaml"))) == 1


def test_cli_missing_configmap_exits_3(kube_backend):
    done = _eidos(
        "recipe", "-f", f"cm://{kube_backend.namespace}/nothing", kubeconfig=kube_backend.kubeconfig
    )
    assert done.returncode == 3
    assert done.stderr.startswith("Error: ConfigMap") and "not found" in done.stderr


@pytest.mark.parametrize("uri", ["cm://", "cm://ns", "cm:///name"])
def test_cli_bad_output_uri_exits_2_before_collecting(uri, tmp_path):
    done = _eidos("snapshot", "-o", uri, kubeconfig=tmp_path / "none")
    assert done.returncode == 2
    assert done.stdout == ""
    assert "invalid ConfigMap URI" in done.stderr


def test_cli_unreachable_cluster_exits_4(tmp_path):
    kc = tmp_path / "kc"
    kc.write_text(
        "clusters: [{name: c, cluster: {server: 'http://127.0.0.1:9'}}]\n"
        "users: [{name: u, user: {}}]\n"
        "contexts: [{name: x, context: {cluster: c, user: u}}]\ncurrent-context: x\n"
    )
    done = _eidos("recipe", "--gpu", "h100", "-o", "cm://ns/r", kubeconfig=kc)
    assert done.returncode == 4
    assert "cannot get configmaps/r in namespace ns" in done.stderr
    assert "Traceback" not in done.stderr
