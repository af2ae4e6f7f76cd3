"""A real server process on 127.0.0.1: limits, timeouts, the wire, graceful shutdown, exits."""

from __future__ import annotations

import json
import signal
import socket
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from server_support import free_port, read_until_closed, responses

RECIPE = "/v1/recipe?os=ubuntu&gpu=h100&service=eks"


def raw_request(port: int, data: bytes, *, chunk: int = 65536) -> bytes:
    """Send ``data`` on a fresh connection and read the answer until the server closes."""
    with socket.create_connection(("127.0.0.1", port), timeout=5) as sock:
        try:
            for start in range(0, len(data), chunk):
                sock.sendall(data[start : start + chunk])
        except (BrokenPipeError, ConnectionResetError):
            pass  # the server answered early and closed; read what it said
        answer = b""
        try:
            while b"\r\n\r\n" not in answer and (part := sock.recv(65536)):
                answer += part
        except ConnectionResetError:
            pass
    return answer


def status_of(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def in_flight(url: str) -> float:
    for line in httpx.get(f"{url}/metrics").text.splitlines():
        if line.startswith("eidos_http_requests_in_flight "):
            return float(line.split()[1])
    raise AssertionError("no in-flight gauge")


def listener_closes(url: str, within: float = 3.0) -> bool:
    """Whether new connections start being refused within ``within`` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            httpx.get(f"{url}/health", timeout=1)
        except (httpx.ConnectError, httpx.ConnectTimeout):
            return True  # refused, or dropped while the listener stops taking connections
        except (httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError):
            # accepted into the backlog just as the listener closed, then reset: the
            # listener is going away; the next attempt is refused
            pass
        time.sleep(0.02)
    return False


def test_the_api_answers_the_same_recipe_as_the_cli(shared_live):
    served = httpx.get(shared_live.url + RECIPE).json()
    cli = subprocess.run(
        [
            sys.executable,
            "-m",
            "eidos",
            "recipe",
            "--os",
            "ubuntu",
            "--gpu",
            "h100",
            "--service",
            "eks",
            "-t",
            "json",
        ],
        capture_output=True,
        text=True,
        check=True,
        timeout=30,
    )
    printed = json.loads(cli.stdout)
    for key in ("request", "matchedRules", "measurements"):
        assert served[key] == printed[key], key


def test_long_request_target_is_414_and_huge_headers_431(shared_live):
    r = httpx.get(f"{shared_live.url}/v1/recipe?os={'u' * 9000}")
    assert r.status_code == 414 and r.json()["code"] == "INVALID_REQUEST"
    assert r.json()["requestId"] == r.headers["x-request-id"]
    assert "8192" in r.json()["message"]
    r = httpx.get(f"{shared_live.url}/health", headers={"X-Big": "a" * 70_000})
    assert r.status_code == 431 and "65536" in r.json()["message"]
    many = {f"X-H{i}": "v" * 100 for i in range(700)}
    assert httpx.get(f"{shared_live.url}/health", headers=many).status_code == 431
    assert httpx.get(f"{shared_live.url}/health").status_code == 200


def test_an_endless_header_line_is_cut_off_with_431(shared_live):
    head = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Endless: " + b"a" * 1_000_000
    answer = raw_request(shared_live.port, head)
    assert status_of(answer) == 431 and b"connection: close" in answer.lower()


@pytest.mark.parametrize(
    "data",
    [
        b"GARBAGE\r\n\r\n",
        b"GET /v1/recipe HTTP/9.9\r\nHost: x\r\n\r\n",
        b"GET /v1/recipe HTTP/1.1\r\nHost: x\r\nBad Header: y\r\n\r\n",
        b"GET /v1/recipe?os=\xff\xfe HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /v1/\xe2\x98\x83 HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /v1/recipe?%%%%=%zz HTTP/1.1\r\nHost: x\r\n\r\n",
        b"BREW /v1/recipe HTTP/1.1\r\nHost: x\r\n\r\n",
        b"POST /v1/recipe HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello",
        b"GET /v1/recipe?os=ubuntu&os=cos&os=rhel HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /v1/recipe?" + b"&".join(b"gpu=%d" % i for i in range(100)) + b" HTTP/1.1\r\n\r\n",
        b"GET //v1/recipe HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET /../../etc/passwd HTTP/1.1\r\nHost: x\r\n\r\n",
    ],
    ids=[
        "garbage",
        "bad-version",
        "bad-header-name",
        "invalid-utf8",
        "unicode-path",
        "bad-escapes",
        "unknown-method",
        "post-body",
        "repeated",
        "many-params",
        "double-slash",
        "traversal",
    ],
)
def test_bad_input_on_the_wire_is_4xx_never_5xx(shared_live, data):
    answer = raw_request(shared_live.port, data)
    assert 400 <= status_of(answer) < 500, answer[:300]


def test_a_refused_request_is_one_log_line(shared_live):
    with socket.create_connection(("127.0.0.1", shared_live.port), timeout=5) as sock:
        sock.sendall(b"GARBAGE /\x00 HTTP/1.1\r\n\r\n")
        answer = read_until_closed(sock)
    request_id = json.loads(answer.partition(b"\r\n\r\n")[2])["requestId"]
    deadline = time.monotonic() + 5
    while request_id not in shared_live.logs() and time.monotonic() < deadline:
        time.sleep(0.02)
    [line] = [json.loads(x) for x in shared_live.logs().splitlines() if request_id in x]
    assert line["msg"] == "request refused" and line["status"] == 400
    assert "Invalid HTTP request received" not in shared_live.logs()  # uvicorn's echo of it


def test_junk_query_strings_are_4xx_never_5xx(shared_live):
    junk = [
        "os=%00",
        "gpu=h100%0d%0aX-Injected:1",
        "k8s=" + "9" * 40,
        "osv=1.2.3.4.5",
        "kernel=v",
        "context=%F0%9F%92%A5",
        "os=ＵＢＵＮＴＵ",
        "osv=٣.٤",
        "=&=&=",
        "strict=2",
        "k8s=1.33&k8s=1.32",
    ]
    with httpx.Client(base_url=shared_live.url) as client:
        for query in junk:
            r = client.get(f"/v1/recipe?{query}")
            assert 400 <= r.status_code < 500, (query, r.status_code)
            assert r.json()["code"] == "INVALID_REQUEST"
            assert "x-injected" not in r.headers


def test_rate_limit_on_the_wire(live):
    server = live(
        {"EIDOS_RATE_LIMIT": "0", "EIDOS_CLIENT_RATE_LIMIT": "0.5", "EIDOS_CLIENT_RATE_BURST": "3"}
    )
    with httpx.Client(base_url=server.url) as client:
        codes = [client.get(RECIPE) for _ in range(5)]
        assert [r.status_code for r in codes] == [200, 200, 200, 429, 429]
        assert [r.headers["x-ratelimit-remaining"] for r in codes[:3]] == ["2", "1", "0"]
        assert codes[3].headers["retry-after"] == "2"
        assert client.get("/health").status_code == 200
        assert "eidos_rate_limit_rejects_total 2.0" in client.get("/metrics").text
    assert server.stop() == 0


def test_a_slow_handler_gets_504_while_probes_stay_fast(live):
    server = live(
        {
            "EIDOS_HANDLER_TIMEOUT": "300ms",
            "EIDOS_CACHE_SIZE": "0",
            "EIDOS_RATE_LIMIT": "0",
            "EIDOS_CLIENT_RATE_LIMIT": "0",
        },
        slow=3,
    )
    with ThreadPoolExecutor(2) as pool:
        slow = pool.submit(httpx.get, server.url + RECIPE, timeout=10)
        while in_flight(server.url) < 2:
            time.sleep(0.01)
        assert httpx.get(f"{server.url}/health").status_code == 200
        assert not slow.done()  # the probe was answered while the slow request waited
        r = slow.result()
    assert r.status_code == 504 and r.json()["code"] == "TIMEOUT"
    assert server.stop() == 0


def test_sigterm_drains_every_in_flight_request_then_exits_0(live):
    server = live(
        {"EIDOS_CACHE_SIZE": "0", "EIDOS_RATE_LIMIT": "0", "EIDOS_CLIENT_RATE_LIMIT": "0"}, slow=1.0
    )
    count = 16
    # One shared client: a client per request spends ~30 ms each on TLS set-up, which
    # spread the requests' start over half a second and ate into the 1 s margin.
    limits = httpx.Limits(max_connections=count)
    with ThreadPoolExecutor(count) as pool, httpx.Client(timeout=10, limits=limits) as client:
        futures = [pool.submit(client.get, server.url + RECIPE) for _ in range(count)]
        deadline = time.monotonic() + 5
        while in_flight(server.url) < count + 1 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert in_flight(server.url) == count + 1  # all of them, plus this /metrics request
        server.proc.send_signal(signal.SIGTERM)
        assert listener_closes(server.url)
        assert not any(f.done() for f in futures)  # they were still in flight at that point
        responses = [f.result() for f in futures]
    assert [r.status_code for r in responses] == [200] * count
    assert all(r.json()["kind"] == "Recipe" for r in responses)
    assert server.proc.wait(10) == 0
    assert "shutdown complete" in server.logs()


def test_readiness_turns_503_at_once_and_serving_goes_on_during_the_delay(live):
    server = live({"EIDOS_SHUTDOWN_DELAY": "1s"})
    with httpx.Client(base_url=server.url) as client:
        assert client.get("/ready").status_code == 200
        server.proc.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 0.7
        while (r := client.get("/ready")).status_code == 200 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert r.status_code == 503 and r.headers["content-type"] == "application/json"
        assert r.json()["reason"] == "service is shutting down"
        assert client.get(RECIPE).status_code == 200
    assert server.proc.wait(10) == 0


def test_a_drain_past_its_deadline_exits_1(live):
    server = live({"EIDOS_CACHE_SIZE": "0", "EIDOS_SHUTDOWN_TIMEOUT": "300ms"}, slow=20)
    with ThreadPoolExecutor(1) as pool:
        pending = pool.submit(httpx.get, server.url + RECIPE, timeout=10)
        while in_flight(server.url) < 2:
            time.sleep(0.02)
        server.proc.send_signal(signal.SIGTERM)
        assert server.proc.wait(10) == 1
        cut_off = pending.result()
    assert cut_off.status_code == 503
    assert cut_off.json()["code"] == "SERVICE_UNAVAILABLE" and cut_off.json()["retryable"]
    assert "shutdown deadline passed" in server.logs()


def test_two_workers_share_the_port_and_drain_together(live):
    server = live({"EIDOS_WORKERS": "2"})
    with httpx.Client(base_url=server.url) as client:
        assert all(client.get(RECIPE).status_code == 200 for _ in range(10))
    assert server.stop() == 0


@pytest.mark.parametrize(
    ("env", "variable"),
    [
        ({"PORT": "eighty"}, "PORT"),
        ({"EIDOS_RATE_LIMIT": "-1"}, "EIDOS_RATE_LIMIT"),
        ({"EIDOS_HANDLER_TIMEOUT": "soon"}, "EIDOS_HANDLER_TIMEOUT"),
        ({"LOG_LEVEL": "chatty"}, "LOG_LEVEL"),
        ({"EIDOS_WORKERS": "0"}, "EIDOS_WORKERS"),
        ({"EIDOS_TRUSTED_PROXIES": "not-an-ip,999.1.1.1/99"}, "EIDOS_TRUSTED_PROXIES"),
        ({"HOST": "999.1.1.1"}, "HOST"),
        ({"EIDOS_MAX_CONNECTIONS": "0"}, "EIDOS_MAX_CONNECTIONS"),
        ({"EIDOS_READ_HEADER_TIMEOUT": "0s"}, "EIDOS_READ_HEADER_TIMEOUT"),
    ],
)
def test_invalid_settings_exit_2_with_one_line_naming_the_variable(env, variable):
    proc = subprocess.run(
        [sys.executable, "-m", "eidos.server"],
        capture_output=True,
        text=True,
        timeout=30,
        env={"PATH": "/usr/bin", **env},
        check=False,
    )
    assert proc.returncode == 2
    assert proc.stderr.startswith(f"Error: invalid {variable} ")
    assert proc.stderr.count("\n") == 1, proc.stderr


def test_invalid_flag_value_exit_2_naming_the_flag():
    proc = subprocess.run(
        [sys.executable, "-m", "eidos.server", "--port", "99999"],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert proc.returncode == 2 and "invalid --port '99999'" in proc.stderr


def _data_nested(depth: int) -> str:
    return '{"base": ' + "[" * depth + "]" * depth + ', "overlays": []}'


@pytest.mark.parametrize(
    ("name", "content", "code"),
    [
        ("nope.yaml", None, 3),
        ("snapshot.yaml", "kind: Snapshot\nmeasurements: []\n", 5),
        ("deep.json", _data_nested(100_000), 5),
    ],
    ids=["missing", "not-recipe-data", "nested-too-deeply"],
)
def test_bad_recipe_data_fails_before_listening_with_one_line(tmp_path, name, content, code):
    data = tmp_path / name
    if content is not None:
        data.write_text(content)
    proc = subprocess.run(
        [sys.executable, "-m", "eidos.server", "--port", "0", "--data", str(data)],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    assert proc.returncode == code, proc.stderr
    assert proc.stderr.startswith("Error: ") and str(data) in proc.stderr
    assert proc.stderr.count("\n") == 1, proc.stderr


def test_a_port_in_use_exits_1(tmp_path):
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", free_port()))
        busy.listen()
        port = busy.getsockname()[1]
        proc = subprocess.run(
            [sys.executable, "-m", "eidos.server", "--host", "127.0.0.1", "--port", str(port)],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    assert proc.returncode == 1
    assert proc.stderr == (
        f"Error: could not start serving on 127.0.0.1:{port}: address already in use; "
        "check --host and --port\n"
    )


def test_trusted_proxies_make_x_forwarded_for_the_client(live):
    server = live(
        {
            "EIDOS_RATE_LIMIT": "0",
            "EIDOS_CLIENT_RATE_LIMIT": "0.5",
            "EIDOS_CLIENT_RATE_BURST": "1",
            "EIDOS_TRUSTED_PROXIES": "127.0.0.1",
        }
    )
    with httpx.Client(base_url=server.url) as client:
        for client_ip in ("198.51.100.1", "198.51.100.2"):
            forwarded = {"X-Forwarded-For": client_ip}
            assert client.get("/", headers=forwarded).status_code == 200
            assert client.get("/", headers=forwarded).status_code == 429
    assert '"client": "198.51.100.2"' in server.logs()
    assert server.stop() == 0


def test_half_open_connections_are_cut_off_and_health_still_answers(live):
    server = live({"EIDOS_READ_HEADER_TIMEOUT": "1s"})
    address = ("127.0.0.1", server.port)
    partial = [socket.create_connection(address, timeout=10) for _ in range(100)]
    silent = [socket.create_connection(address, timeout=10) for _ in range(100)]
    try:
        for sock in partial:
            sock.sendall(b"GET /v1/recipe HTTP/1.1\r\nHost: x\r\nX-Never: ending")
        health = httpx.get(f"{server.url}/health", timeout=2)  # fast despite 200 held sockets
        assert health.status_code == 200
        for sock in partial:
            answer = raw_answer(sock)
            assert status_of(answer) == 408 and b'"code":"TIMEOUT"' in answer
        assert all(raw_answer(sock) == b"" for sock in silent)  # closed without a word
    finally:
        for sock in partial + silent:
            sock.close()
    assert server.stop() == 0


def raw_answer(sock: socket.socket) -> bytes:
    answer = b""
    try:
        while part := sock.recv(65536):
            answer += part
    except ConnectionResetError:
        pass
    return answer


def test_a_valid_pipelined_request_is_answered_before_the_garbage_after_it(shared_live):
    with socket.create_connection(("127.0.0.1", shared_live.port), timeout=5) as sock:
        sock.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n\r\nGARBAGE\r\n\r\n")
        answers = responses(read_until_closed(sock))
    assert [status for status, _, _ in answers] == [200, 400]
    assert json.loads(answers[0][2])["status"] == "healthy"
    assert json.loads(answers[1][2])["code"] == "INVALID_REQUEST"


def test_a_websocket_handshake_gets_a_json_error(shared_live):
    handshake = (
        b"GET /v1/recipe HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
        b"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
    )
    with socket.create_connection(("127.0.0.1", shared_live.port), timeout=5) as sock:
        sock.sendall(handshake)
        [(status, headers, body)] = responses(read_until_closed(sock))
    assert status == 400 and headers["content-type"] == "application/json"
    assert json.loads(body)["code"] == "INVALID_REQUEST"
