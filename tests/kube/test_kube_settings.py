"""Where eidos finds a cluster: --kubeconfig, KUBECONFIG lists, ~/.kube/config, in-cluster."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from eidos.errors import InvalidRequestError
from eidos.kube import Kube, KubeSettings, server_version
from eidos.kube.config import connect


def _kubeconfig(
    path: Path, *, contexts: dict[str, str], current: str | None, server: str = "http://127.0.0.1:1"
) -> Path:
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": c, "cluster": {"server": server}} for c in contexts.values()],
        "users": [{"name": "u", "user": {"token": "t"}}],
        "contexts": [
            {"name": n, "context": {"cluster": c, "user": "u", "namespace": n}}
            for n, c in contexts.items()
        ],
    }
    if current:
        config["current-context"] = current
    path.write_text(json.dumps(config))
    return path


def test_nothing_configured_means_no_source(tmp_path):
    settings = KubeSettings.from_env(environ={"HOME": str(tmp_path)})
    assert settings.source() is None
    assert not Kube(settings).configured


def test_explicit_kubeconfig_must_exist(tmp_path):
    settings = KubeSettings.from_env(kubeconfig=str(tmp_path / "nope"), environ={})
    with pytest.raises(InvalidRequestError, match=r"--kubeconfig .*nope: no such file"):
        settings.source()


def test_kubeconfig_env_list_skips_missing_files(tmp_path):
    a = _kubeconfig(tmp_path / "a", contexts={"a": "ca"}, current="a")
    value = f"{tmp_path / 'missing'}:{a}"
    source = KubeSettings.from_env(environ={"KUBECONFIG": value}).source()
    assert source is not None
    assert source.kubeconfigs == (str(a),)


def test_kubeconfig_env_naming_no_existing_file_is_an_error(tmp_path):
    settings = KubeSettings.from_env(environ={"KUBECONFIG": str(tmp_path / "gone")})
    with pytest.raises(InvalidRequestError, match="names no existing file"):
        settings.source()


def test_home_kube_config_is_the_default(tmp_path):
    (tmp_path / ".kube").mkdir()
    path = _kubeconfig(tmp_path / ".kube" / "config", contexts={"x": "cx"}, current="x")
    source = KubeSettings.from_env(environ={"HOME": str(tmp_path)}).source()
    assert source is not None and source.kubeconfigs == (str(path),)


def test_in_cluster_needs_service_variables_and_a_token(tmp_path):
    sa = tmp_path / "sa"
    sa.mkdir()
    env = {"KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"}
    assert KubeSettings.from_env(environ=env, service_account_dir=str(sa)).source() is None
    (sa / "token").write_text("secret-token")
    (sa / "namespace").write_text("gpu-operator\n")
    settings = KubeSettings.from_env(environ=env, service_account_dir=str(sa))
    source = settings.source()
    assert source is not None and source.in_cluster_server == "https://10.96.0.1:443"
    conn = connect(settings, source)
    try:
        assert (conn.server, conn.namespace, conn.context) == (
            "https://10.96.0.1:443",
            "gpu-operator",
            "in-cluster",
        )
    finally:
        conn.http.close()


def test_in_cluster_ipv6_host_is_bracketed(tmp_path):
    (tmp_path / "token").write_text("t")
    env = {"KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "443"}
    source = KubeSettings.from_env(environ=env, service_account_dir=str(tmp_path)).source()
    assert source is not None and source.in_cluster_server == "https://[fd00::1]:443"


def test_context_without_any_kubeconfig_is_an_error(tmp_path):
    settings = KubeSettings.from_env(context="prod", environ={"HOME": str(tmp_path)})
    with pytest.raises(InvalidRequestError, match="--context prod needs a kubeconfig"):
        settings.source()


def test_merged_list_first_file_wins_and_sets_the_current_context(tmp_path):
    first = _kubeconfig(
        tmp_path / "first", contexts={"dev": "c1"}, current="dev", server="http://127.0.0.1:1111"
    )
    second = _kubeconfig(
        tmp_path / "second",
        contexts={"dev": "c2", "prod": "c2"},
        current="prod",
        server="http://127.0.0.1:2222",
    )
    settings = KubeSettings.from_env(environ={"KUBECONFIG": f"{first}:{second}"})
    source = settings.source()
    assert source is not None
    conn = connect(settings, source)
    conn.http.close()
    assert (conn.context, conn.server, conn.namespace) == ("dev", "http://127.0.0.1:1111", "dev")
    prod = KubeSettings.from_env(environ={"KUBECONFIG": f"{first}:{second}"}, context="prod")
    conn = connect(prod, source)
    conn.http.close()
    assert (conn.context, conn.server) == ("prod", "http://127.0.0.1:2222")


def test_unknown_context_lists_the_available_ones(tmp_path):
    path = _kubeconfig(tmp_path / "kc", contexts={"a": "ca", "b": "cb"}, current="a")
    settings = KubeSettings.from_env(kubeconfig=str(path), context="zzz", environ={})
    with pytest.raises(InvalidRequestError, match=r"context 'zzz' not found .*available: a, b"):
        connect(settings, settings.source())  # type: ignore[arg-type]


def test_no_current_context_asks_for_one(tmp_path):
    path = _kubeconfig(tmp_path / "kc", contexts={"a": "ca"}, current=None)
    settings = KubeSettings.from_env(kubeconfig=str(path), environ={})
    with pytest.raises(InvalidRequestError, match="no current-context; pass --context"):
        connect(settings, settings.source())  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "text",
    ["{{{", "- just a list", "clusters: 5\ncontexts: []"],
    ids=["not-yaml", "not-a-mapping", "bad-shape"],
)
def test_malformed_kubeconfig_is_a_clear_error(tmp_path, text):
    path = tmp_path / "kc"
    path.write_text(text)
    settings = KubeSettings.from_env(kubeconfig=str(path), environ={})
    with pytest.raises(InvalidRequestError, match="kubeconfig"):
        connect(settings, settings.source())  # type: ignore[arg-type]


def test_relative_certificate_paths_resolve_next_to_their_kubeconfig(tmp_path):
    (tmp_path / "conf").mkdir()
    path = tmp_path / "conf" / "kc"
    path.write_text(
        json.dumps(
            {
                "current-context": "x",
                "clusters": [
                    {
                        "name": "c",
                        "cluster": {
                            "server": "https://127.0.0.1:1",
                            "certificate-authority": "ca.pem",
                        },
                    }
                ],
                "users": [{"name": "u", "user": {"token": "t"}}],
                "contexts": [{"name": "x", "context": {"cluster": "c", "user": "u"}}],
            }
        )
    )
    settings = KubeSettings.from_env(kubeconfig=str(path), environ={})
    with pytest.raises(InvalidRequestError, match=str(tmp_path / "conf" / "ca.pem")):
        connect(settings, settings.source())  # type: ignore[arg-type]


def test_the_token_from_the_kubeconfig_authenticates(kube_emulator, tmp_path):
    path = kube_emulator.write_kubeconfig(tmp_path / "kc")
    with Kube(KubeSettings(kubeconfig=str(path))) as kube:
        assert server_version(kube)["gitVersion"] == "v1.33.5-eks-3025e55"
