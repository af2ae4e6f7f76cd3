"""Resilience of every API call: retries, Retry-After, circuit breaker, clear errors."""

from __future__ import annotations

import socket

import pytest

from eidos.errors import InvalidRequestError, NotFoundError, UnauthorizedError, UnavailableError
from eidos.kube import (
    Action,
    Kube,
    KubeSettings,
    read_configmap,
    read_node,
    server_version,
    write_configmap,
)
from eidos.kube.errors import api_error
from kube_fixtures import Sleeps


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def client(emulator_settings, sleeps):
    with Kube(emulator_settings, sleep=sleeps) as kube:
        yield kube


def test_5xx_then_success_is_retried_with_growing_backoff(kube_emulator, client, sleeps):
    kube_emulator.fail("GET", "^/version$", 503, times=2)
    assert server_version(client)["gitVersion"].startswith("v1.33")
    assert kube_emulator.count("GET", "/version") == 3
    assert len(sleeps.calls) == 2
    base = client.settings.backoff
    assert base <= sleeps.calls[0] <= 2 * base
    assert 2 * base <= sleeps.calls[1] <= 3 * base


def test_429_honours_retry_after(kube_emulator, client, sleeps):
    kube_emulator.fail("GET", "^/version$", 429, headers={"Retry-After": "2"})
    server_version(client)
    assert sleeps.calls == [2.0]


def test_retry_after_is_capped(kube_emulator, emulator_settings, sleeps):
    kube_emulator.fail("GET", "^/version$", 503, headers={"Retry-After": "3600"})
    settings = KubeSettings(kubeconfig=emulator_settings.kubeconfig, max_retry_after=5.0)
    with Kube(settings, sleep=sleeps) as kube:
        server_version(kube)
    assert sleeps.calls == [5.0]


def test_at_most_three_retries_then_unavailable(kube_emulator, client):
    kube_emulator.fail("GET", "^/version$", 500, times=10)
    with pytest.raises(UnavailableError, match=r"HTTP 500 injected fault .*4 tries") as err:
        server_version(client)
    assert err.value.exit_code == 4
    assert kube_emulator.count("GET", "/version") == 4


def test_dropped_connections_and_timeouts_are_transient(kube_emulator, emulator_settings):
    kube_emulator.fail("GET", "^/version$", drop=True)
    kube_emulator.fail("GET", "^/version$", delay=0.5)
    settings = KubeSettings(kubeconfig=emulator_settings.kubeconfig, timeout=0.2, backoff=0.001)
    with Kube(settings) as kube:
        assert server_version(kube)["platform"] == "linux/amd64"
    assert kube_emulator.count("GET", "/version") == 3


def test_circuit_opens_after_five_consecutive_failures(kube_emulator, client):
    kube_emulator.fail("GET", "/api/v1/nodes/", 502, times=100)
    with pytest.raises(UnavailableError, match="4 tries"):
        read_node(client, "a")
    with pytest.raises(UnavailableError, match=r"failed 5 times in a row.*circuit open"):
        read_node(client, "b")
    assert kube_emulator.count("GET", "/api/v1/nodes/") == 5
    with pytest.raises(UnavailableError, match="circuit open"):
        server_version(client)
    assert kube_emulator.count("GET", "/version") == 0


def test_circuit_lets_a_trial_call_through_after_the_cooldown(kube_emulator, emulator_settings):
    now = [0.0]
    with Kube(emulator_settings, sleep=lambda s: None, clock=lambda: now[0]) as kube:
        kube_emulator.fail("GET", "^/version$", 503, times=5)
        with pytest.raises(UnavailableError):
            server_version(kube)
        with pytest.raises(UnavailableError, match="circuit open"):
            server_version(kube)
        now[0] += emulator_settings.breaker_cooldown + 1
        assert server_version(kube)["major"] == "1"


def test_a_definite_answer_resets_the_failure_count(kube_emulator, client):
    for _ in range(3):
        kube_emulator.fail("GET", "^/version$", 503, times=2)
        server_version(client)
    assert server_version(client)["major"] == "1"


def test_403_names_the_permission_and_the_can_i_line(kube_emulator, client):
    kube_emulator.forbid("get", "configmaps")
    with pytest.raises(UnauthorizedError) as err:
        read_configmap(client, "gpu-operator", "eidos-snapshot")
    message = err.value.message
    assert "cannot get configmaps/eidos-snapshot in namespace gpu-operator (403)" in message
    assert "kubectl auth can-i get configmaps/eidos-snapshot -n gpu-operator" in message
    assert err.value.exit_code == 4
    assert kube_emulator.count("GET", "/api/v1/namespaces/gpu-operator/configmaps") == 1


def test_401_says_the_credentials_were_rejected(kube_emulator, emulator_settings, tmp_path):
    kube_emulator.token = "another-token"
    with (
        Kube(emulator_settings) as kube,
        pytest.raises(UnauthorizedError, match="rejected the credentials"),
    ):
        server_version(kube)


def test_404_is_not_found_exit_3(client):
    with pytest.raises(NotFoundError, match="cannot get nodes/ghost") as err:
        read_node(client, "ghost")
    assert err.value.exit_code == 3


def test_unreachable_api_is_unavailable_exit_4(tmp_path, sleeps):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    path = tmp_path / "kc"
    path.write_text(
        f"clusters: [{{name: c, cluster: {{server: 'http://127.0.0.1:{port}'}}}}]\n"
        "users: [{name: u, user: {token: t}}]\n"
        "contexts: [{name: x, context: {cluster: c, user: u}}]\n"
        "current-context: x\n"
    )
    with (
        Kube(KubeSettings(kubeconfig=str(path), backoff=0.001), sleep=sleeps) as kube,
        pytest.raises(UnavailableError, match=r"connection failed.*context x") as err,
    ):
        server_version(kube)
    assert err.value.exit_code == 4
    assert len(sleeps.calls) == 3


def test_no_cluster_configured_is_unavailable(tmp_path):
    kube = Kube(KubeSettings.from_env(environ={"HOME": str(tmp_path)}))
    with pytest.raises(UnavailableError, match="no Kubernetes cluster configured"):
        server_version(kube)


def test_other_refusals_are_invalid_requests_with_the_server_message(client):
    with pytest.raises(InvalidRequestError, match=r"refused to create .*HTTP 422.*is invalid"):
        write_configmap(client, "ns", "Bad_Name", data={}, labels={})


def test_non_json_error_bodies_are_quoted_briefly():
    action = Action("get", "nodes", name="n")
    error = api_error(418, b"<html>teapot</html>\nmore", action, server="s", context="c")
    assert error.message.endswith("(HTTP 418): <html>teapot</html>")
    assert isinstance(error, InvalidRequestError)


def test_429s_do_not_open_the_circuit_and_are_waited_out_longer(kube_emulator, client, sleeps):
    # API Priority and Fairness throttling us is flow control, not an outage.
    kube_emulator.fail("GET", "^/version$", 429, times=8, headers={"Retry-After": "1"})
    assert server_version(client)["major"] == "1"
    assert sleeps.calls == [1.0] * 8
    assert kube_emulator.count("GET", "/version") == 9


def test_a_server_that_only_ever_throttles_gives_up_with_a_clear_message(kube_emulator, client):
    kube_emulator.fail("GET", "^/version$", 429, times=11)
    with pytest.raises(UnavailableError, match=r"kept answering 429 Too Many .*\(11 times\)"):
        server_version(client)
    assert kube_emulator.count("GET", "/version") == 11
    assert server_version(client)["major"] == "1"  # and the circuit stayed closed


def test_the_emulator_notices_a_client_that_does_not_wait(kube_emulator):
    import httpx2

    kube_emulator.throttle(1.0, burst=1, retry_after="5")
    headers = {"Authorization": f"Bearer {kube_emulator.token}"}
    with httpx2.Client(base_url=kube_emulator.url, headers=headers) as http:
        codes = [http.get("/version").status_code for _ in range(3)]
    assert codes == [200, 429, 429]
    assert kube_emulator.throttled == 2 and kube_emulator.early == 1
