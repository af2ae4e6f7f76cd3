"""The connection layer on real sockets: head timeout, connection cap, pipelining, drain.

Each test runs the real server (uvicorn + eidos's protocol) in a thread of the test
process, listening on 127.0.0.1, and talks raw HTTP/1.1 to it.
"""

from __future__ import annotations

import json
import socket
import time

from server_support import SlowSource, read_until_closed, responses

HEALTH = b"GET /health HTTP/1.1\r\nHost: x\r\n\r\n"
RECIPE = b"GET /v1/recipe?gpu=h100&service=eks HTTP/1.1\r\nHost: x\r\n\r\n"


def connect(port: int) -> socket.socket:
    return socket.create_connection(("127.0.0.1", port), timeout=10)


def exchange(sock: socket.socket, request: bytes) -> tuple[int, dict[str, str], bytes]:
    """Send one request on a keep-alive connection and read its (Content-Length) response."""
    sock.sendall(request)
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(65536)
    head, _, body = data.partition(b"\r\n\r\n")
    size = int(responses(head + b"\r\n\r\n")[0][1]["content-length"])
    while len(body) < size:
        body += sock.recv(65536)
    return responses(head + b"\r\n\r\n" + body)[0]


def error_of(body: bytes) -> dict[str, object]:
    doc = json.loads(body)
    assert list(doc) == ["code", "message", "requestId", "timestamp", "retryable"]
    return doc


def test_a_stalled_head_gets_408_and_a_silent_connection_is_closed(thread_server):
    server = thread_server(read_header_timeout=0.3)
    with connect(server.port) as partial, connect(server.port) as silent:
        partial.sendall(b"GET /health HTTP/1.1\r\nHost: x\r\n")
        [(status, headers, body)] = responses(read_until_closed(partial))
        assert status == 408 and headers["connection"] == "close"
        error = error_of(body)
        assert error["code"] == "TIMEOUT" and error["retryable"] is True
        assert error["message"] == "request head not complete within 0.3s"
        assert read_until_closed(silent) == b""  # nothing was asked, nothing is answered


def test_a_head_dripped_byte_by_byte_is_cut_off_as_a_whole(thread_server):
    server = thread_server(read_header_timeout=0.5)
    head = b"GET /health HTTP/1.1\r\nHost: x\r\nX-Slow: " + b"a" * 300  # 6 s of dripping
    sent = 0
    with connect(server.port) as sock:
        try:
            for byte in head:
                sock.sendall(bytes([byte]))
                sent += 1
                time.sleep(0.02)
        except (BrokenPipeError, ConnectionResetError):
            pass  # cut off while dripping: what the test wants
        answer = read_until_closed(sock)
    assert responses(answer)[0][0] == 408
    assert sent < len(head)  # every byte came in time, but the head as a whole did not


def test_the_head_timeout_does_not_cut_idle_keep_alive_connections(thread_server):
    server = thread_server(read_header_timeout=0.2)
    with connect(server.port) as sock:
        assert exchange(sock, HEALTH)[0] == 200
        time.sleep(0.5)  # idle between requests: the keep-alive timeout applies, not this one
        assert exchange(sock, HEALTH)[0] == 200


def test_a_request_beyond_the_connection_cap_gets_503_until_one_closes(thread_server):
    server = thread_server(max_connections=2)
    with connect(server.port) as first, connect(server.port) as second:
        assert exchange(first, HEALTH)[0] == exchange(second, HEALTH)[0] == 200
        with connect(server.port) as third:
            third.sendall(HEALTH)
            [(status, headers, body)] = responses(read_until_closed(third))
        assert status == 503 and headers["retry-after"] == "1"
        assert headers["connection"] == "close" and headers["content-type"] == "application/json"
        error = error_of(body)
        assert error["code"] == "SERVICE_UNAVAILABLE" and error["retryable"] is True
        assert "limit of 2 connections" in str(error["message"])
        first.close()
        deadline = time.monotonic() + 5
        statuses = []
        while 200 not in statuses and time.monotonic() < deadline:
            with connect(server.port) as again:
                statuses.append(exchange(again, HEALTH)[0])
        assert statuses[-1] == 200  # the closed connection's place was given to a new one
        assert exchange(second, HEALTH)[0] == 200


def test_valid_pipelined_requests_are_answered_before_the_garbage_after_them(thread_server, engine):
    server = thread_server(source=SlowSource(engine, 0.3), cache_size=0)
    with connect(server.port) as sock:
        sock.sendall(RECIPE + HEALTH + b"GARBAGE\r\n\r\n")
        answers = responses(read_until_closed(sock))
    assert [status for status, _, _ in answers] == [200, 200, 400]
    assert json.loads(answers[0][2])["kind"] == "Recipe"
    assert error_of(answers[2][2])["message"] == "malformed HTTP request"
    assert answers[2][1]["connection"] == "close"


def test_a_request_with_a_body_is_answered_and_its_connection_closed(thread_server):
    server = thread_server()
    with connect(server.port) as sock:
        sock.sendall(
            b"POST /v1/recipe HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n0123456789"
        )
        [(status, headers, _)] = responses(read_until_closed(sock))
    assert status == 405 and headers["connection"] == "close"


def test_a_large_body_sent_with_its_head_in_one_write_is_not_counted_as_head(thread_server):
    # A body arriving in the same read as the head once counted towards the head cap (431).
    server = thread_server()
    body = b"x" * 96_000
    request = b"POST /v1/recipe HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(body)
    with connect(server.port) as sock:
        sock.sendall(request + body)
        [(status, headers, _)] = responses(read_until_closed(sock))
    assert status == 405 and headers["connection"] == "close"


def test_a_head_split_across_reads_at_its_blank_line_still_counts_only_the_head(thread_server):
    server = thread_server()
    head = b"POST /v1/recipe HTTP/1.1\r\nHost: x\r\nContent-Length: 96000\r\n\r"
    with connect(server.port) as sock:
        sock.sendall(head)
        time.sleep(0.05)
        sock.sendall(b"\n" + b"y" * 96000)
        [(status, _, _)] = responses(read_until_closed(sock))
    assert status == 405


def test_a_websocket_handshake_gets_the_json_error_and_leaves_nothing_tracked(thread_server):
    server = thread_server()
    handshake = (
        b"GET /v1/recipe HTTP/1.1\r\nHost: x\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
        b"Sec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
    )
    with connect(server.port) as sock:
        sock.sendall(handshake)
        [(status, headers, body)] = responses(read_until_closed(sock))
    assert status == 400 and headers["content-type"] == "application/json"
    error = error_of(body)
    assert error["code"] == "INVALID_REQUEST" and "WebSocket is not supported" in error["message"]
    assert error["requestId"] == headers["x-request-id"]
    deadline = time.monotonic() + 5
    while server.guard.connections and time.monotonic() < deadline:
        time.sleep(0.01)
    assert server.guard.connections == set()


def test_while_draining_every_response_says_close_and_idle_connections_close(thread_server):
    server = thread_server()
    with connect(server.port) as active, connect(server.port) as idle:
        assert exchange(active, HEALTH)[1].get("connection") is None  # keep-alive before
        assert exchange(idle, HEALTH)[0] == 200
        server.call(server.guard.drain)
        time.sleep(0.1)  # within the idle grace: the next request is still answered
        status, headers, _ = exchange(active, HEALTH)
        assert status == 200 and headers["connection"] == "close"
        assert read_until_closed(active) == b""
        assert read_until_closed(idle, timeout=5) == b""  # closed once idle for the grace


def test_a_request_in_flight_when_the_drain_begins_is_answered_with_close(thread_server, engine):
    server = thread_server(source=SlowSource(engine, 0.3), cache_size=0)
    with connect(server.port) as sock:
        sock.sendall(RECIPE)
        time.sleep(0.1)
        server.call(server.guard.drain)
        [(status, headers, body)] = responses(read_until_closed(sock))
    assert status == 200 and headers["connection"] == "close"
    assert json.loads(body)["kind"] == "Recipe"


def test_a_body_that_arrives_with_its_head_is_not_counted_as_head(thread_server):
    # POST /v1/validate bodies come right behind the head, often in the same read: only the
    # head counts against the head limit (a regression: big bodies were refused with 431)
    server = thread_server(max_request_line=1024, max_header_bytes=1024)
    body = b'{"x": 1' + b" " * 200_000 + b"}"
    head = b"POST /v1/validate HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(body)
    with connect(server.port) as sock:
        sock.sendall(head + body)
        [(status, headers, answer)] = responses(read_until_closed(sock))
    assert status == 400, answer
    assert "unknown field(s) x" in json.loads(answer)["message"]
    assert headers["connection"] == "close"
    with connect(server.port) as sock:  # a head that never ends is still cut off
        sock.sendall(b"GET /health HTTP/1.1\r\nX-Long: " + b"a" * 40_000)
        [(status, _, _)] = responses(read_until_closed(sock))
    assert status == 431
