"""URL reads against real, hostile servers on 127.0.0.1: bad URLs, bad answers, cut-short
bodies, drip-feeding, redirects and proxies."""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import threading
import time
from pathlib import Path

import pytest

from eidos.errors import InvalidRequestError, IOFailureError, NotFoundError
from eidos.serializer import read_document, read_text
from eidos.serializer.fetch import MAX_REDIRECTS, fetch
from eidos.serializer.sources import URL_TIMEOUT, url_timeout
from http_fixtures import answer, drip, elapsed, raw, serving, silent, url

DOC = b"kind: Snapshot\nmeasurements: []\n"


@pytest.mark.parametrize(
    ("bad", "problem"),
    [
        ("http://127.0.0.1/a b.yaml", "contains a space (%20); percent-encode it"),
        ("http://127.0.0.1/a\r\nX-Injected: 1", "contains the control character '\\r'"),
        ("http://127.0.0.1/a\nb", "contains the control character '\\n'"),
        ("http://127.0.0.1/\x00", "contains the control character '\\x00'"),
        ("http://127.0.0.1/ä.yaml", "percent-encode non-ASCII characters"),
        ("http://127.0.0.1:http/x", "Port could not be cast"),
        ("http:///x.yaml", "no host given"),
    ],
)
def test_a_malformed_url_is_the_users_mistake(bad, problem):
    with pytest.raises(InvalidRequestError) as info:
        read_text(bad)
    assert info.value.exit_code == 2
    assert problem in info.value.message


def test_a_good_url_reads_the_document():
    with serving(answer(DOC)) as server:
        assert read_document(url(server)) == {"kind": "Snapshot", "measurements": []}
        head = server.heads[0].decode()
    assert head.startswith("GET /doc.yaml HTTP/1.1\r\n")
    assert "User-Agent: eidos/" in head


def test_query_strings_are_kept():
    with serving(answer(DOC)) as server:
        read_text(url(server, "/doc.yaml?ref=main&x=%20"))
        assert server.heads[0].startswith(b"GET /doc.yaml?ref=main&x=%20 HTTP/1.1\r\n")


@pytest.mark.parametrize(
    ("data", "problem"),
    [
        (b"SSH-2.0-OpenSSH_9.6\r\n", "not an HTTP status line: SSH-2.0-OpenSSH_9.6"),
        (b"HTTP/1.1 abc Nope\r\n\r\n", "not an HTTP status line"),
        (b"", "the server closed the connection"),
        (b"HTTP/1.1 200 OK\r\n" + b"X: " + b"y" * 70_000 + b"\r\n\r\n", "LineTooLong"),
    ],
)
def test_a_non_http_answer_is_a_bad_answer_not_a_crash(data, problem):
    with serving(raw(data)) as server, pytest.raises(IOFailureError) as info:
        read_text(url(server))
    assert info.value.exit_code == 3
    assert info.value.message.startswith(f"bad answer from {url(server)}: ")
    assert problem in info.value.message


def test_a_body_shorter_than_its_content_length_is_refused():
    body = b"x" * 4710
    head = b"HTTP/1.1 200 OK\r\nContent-Length: 5872\r\nConnection: close\r\n\r\n"
    with serving(raw(head + body)) as server, pytest.raises(IOFailureError) as info:
        read_text(url(server))
    assert info.value.message == f"{url(server)}: incomplete download: got 4710 of 5872 bytes"


def test_a_cut_short_chunked_body_is_refused():
    data = b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n100\r\nabc"
    with (
        serving(raw(data)) as server,
        pytest.raises(
            IOFailureError, match=r"incomplete download: the connection closed in the middle"
        ),
    ):
        read_text(url(server))


@pytest.mark.parametrize(
    "script",
    [
        drip(b"HTTP/1.1 200 OK\r\nContent-Length: 100000\r\n\r\n"),  # in the body
        drip(b"HTTP/1.1 200 OK\r\nX-Slow: "),  # in the headers
        silent,  # never answers
    ],
    ids=["body", "headers", "silent"],
)
def test_the_timeout_bounds_the_whole_read_not_each_recv(script):
    with serving(script) as server:
        started = time.monotonic()
        with pytest.raises(IOFailureError) as info:
            read_text(url(server), timeout=1)
        took = elapsed(started)
    assert "timed out after 1s (the limit for the whole download, EIDOS_URL_TIMEOUT)" in (
        info.value.message
    )
    assert 0.9 < took < 10  # a hang budget: dripping every 0.2 s would otherwise never end


def test_eidos_url_timeout_sets_the_limit(monkeypatch):
    assert url_timeout() == URL_TIMEOUT == 30
    monkeypatch.setenv("EIDOS_URL_TIMEOUT", "2.5")
    assert url_timeout() == 2.5
    monkeypatch.setenv("EIDOS_URL_TIMEOUT", "1s")
    assert url_timeout() == 1
    server = serving(drip(b"HTTP/1.1 200 OK\r\nContent-Length: 9\r\n\r\n"))
    with server as running, pytest.raises(IOFailureError, match="timed out after 1s"):
        read_text(url(running))
    for bad in ("0", "-3", "soon", "inf", "nan"):
        monkeypatch.setenv("EIDOS_URL_TIMEOUT", bad)
        with pytest.raises(InvalidRequestError, match="invalid EIDOS_URL_TIMEOUT"):
            url_timeout()


def test_status_codes():
    gone = serving(answer(b"gone", status="404 Not Found"))
    with gone as server, pytest.raises(NotFoundError, match="HTTP 404"):
        read_text(url(server))
    broken = serving(answer(b"oops", status="503 Service Unavailable"))
    with broken as server, pytest.raises(IOFailureError, match="HTTP 503 Service Unavailable"):
        read_text(url(server))


def test_redirects_are_followed_a_few_times():
    def script(sock, head, stop):
        path = head.split()[1].decode()
        if path == "/doc.yaml":
            answer(DOC)(sock, head, stop)
        else:
            hops = int(path.strip("/") or 0)
            location = "/doc.yaml" if hops == 0 else f"/{hops - 1}"
            answer(b"", status="302 Found", headers=f"Location: {location}\r\n")(sock, head, stop)

    with serving(script) as server:
        assert read_text(url(server, f"/{MAX_REDIRECTS - 1}")) == DOC.decode()
        with pytest.raises(IOFailureError, match=f"more than {MAX_REDIRECTS} redirects"):
            read_text(url(server, f"/{MAX_REDIRECTS}"))


@pytest.mark.parametrize("location", ["ftp://example.com/x", "http://exa mple/", "/a b"])
def test_a_bad_redirect_is_a_bad_answer(location):
    moved = serving(answer(b"", status="301 Moved", headers=f"Location: {location}\r\n"))
    with moved as server, pytest.raises(IOFailureError, match="bad redirect: invalid URL"):
        read_text(url(server))


def test_an_unreachable_or_unknown_host(monkeypatch):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # bound, never listening: refused
        with pytest.raises(IOFailureError, match=r"cannot reach .*: Connection refused"):
            read_text(f"http://127.0.0.1:{port}/x.yaml", timeout=5)
    with pytest.raises(IOFailureError, match="unknown host"):
        read_text("http://host.invalid/x.yaml", timeout=5)


def test_http_goes_through_the_proxy_the_environment_names(monkeypatch):
    with serving(answer(DOC)) as proxy:
        monkeypatch.setenv("http_proxy", f"http://user:p%40ss@127.0.0.1:{proxy.server_address[1]}")
        assert read_text("http://docs.example.invalid/snap.yaml") == DOC.decode()
        head = proxy.heads[0].decode()
        assert head.startswith("GET http://docs.example.invalid/snap.yaml HTTP/1.1\r\n")
        assert "Proxy-Authorization: Basic dXNlcjpwQHNz\r\n" in head  # user:p@ss
        monkeypatch.setenv("no_proxy", "localhost,.example.invalid")
        with pytest.raises(IOFailureError, match="unknown host"):
            read_text("http://docs.example.invalid/snap.yaml", timeout=5)
        monkeypatch.setenv("NO_PROXY", "*")
        monkeypatch.delenv("no_proxy")
        with pytest.raises(IOFailureError, match="unknown host"):
            read_text("http://other.invalid/snap.yaml", timeout=5)


def test_an_unsupported_proxy_is_named(monkeypatch):
    monkeypatch.setenv("https_proxy", "socks5://127.0.0.1:1080")
    with pytest.raises(
        InvalidRequestError, match=r"unsupported proxy 'socks5://127\.0\.0\.1:1080'"
    ):
        read_text("https://example.invalid/x")


@pytest.fixture(scope="module")
def tls_files(tmp_path_factory) -> tuple[Path, Path]:
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed (needed to make a test certificate)")
    where = tmp_path_factory.mktemp("tls")
    cert, key = where / "cert.pem", where / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-nodes", "-days", "2", "-subj", "/CN=127.0.0.1"),
            *("-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"),
            *("-keyout", str(key), "-out", str(cert), "-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )
    return cert, key


def _tls_answer(cert: Path, key: Path, body: bytes):
    """A TLS server (use with ``serving(..., read_head=False)``)."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)

    def script(sock, head, stop):
        with context.wrap_socket(sock, server_side=True) as tls:
            request = b""
            while b"\r\n\r\n" not in request:
                request += tls.recv(4096)
            answer(body)(tls, request, stop)

    return script


def _connect_proxy(target_port: int, *, status: bytes = b"200 Connection established"):
    """Answers CONNECT, then pipes bytes both ways to 127.0.0.1:target_port."""

    def script(sock, head, stop):
        assert head.startswith(b"CONNECT ")
        sock.sendall(b"HTTP/1.1 " + status + b"\r\n\r\n")
        if not status.startswith(b"200"):
            return
        upstream = socket.create_connection(("127.0.0.1", target_port))

        def pipe(src, dst):
            try:
                while data := src.recv(65536):
                    dst.sendall(data)
            except OSError:
                pass
            finally:
                dst.close()

        threading.Thread(target=pipe, args=(upstream, sock), daemon=True).start()
        pipe(sock, upstream)

    return script


def test_https_through_a_connect_tunnel(tls_files, monkeypatch):
    cert, key = tls_files
    monkeypatch.setenv("SSL_CERT_FILE", str(cert))
    with serving(_tls_answer(cert, key, DOC), read_head=False) as origin:
        port = origin.server_address[1]
        assert read_text(f"https://127.0.0.1:{port}/doc.yaml") == DOC.decode()
        with serving(_connect_proxy(port)) as proxy:
            monkeypatch.setenv("HTTPS_PROXY", f"127.0.0.1:{proxy.server_address[1]}")
            assert read_text(f"https://127.0.0.1:{port}/doc.yaml") == DOC.decode()
            assert proxy.heads[0].startswith(f"CONNECT 127.0.0.1:{port} HTTP/1.1\r\n".encode())
        with serving(_connect_proxy(port, status=b"403 Forbidden")) as proxy:
            monkeypatch.setenv("HTTPS_PROXY", f"http://127.0.0.1:{proxy.server_address[1]}")
            with pytest.raises(IOFailureError, match=r"the proxy refused the tunnel: .* 403"):
                read_text(f"https://127.0.0.1:{port}/doc.yaml")


def test_an_untrusted_certificate_is_refused(tls_files):
    cert, key = tls_files
    origin = serving(_tls_answer(cert, key, DOC), read_head=False)
    with origin as server, pytest.raises(IOFailureError, match="CERTIFICATE_VERIFY_FAILED"):
        read_text(f"https://127.0.0.1:{server.server_address[1]}/doc.yaml")


def test_a_tls_handshake_that_drips_is_cut_off_at_the_deadline():
    # a "server hello" that never completes: one byte of a TLS record every 0.2 s
    with serving(drip(b"\x16\x03\x03")) as server:
        started = time.monotonic()
        with pytest.raises(IOFailureError, match="timed out after 1s"):
            fetch(f"https://127.0.0.1:{server.server_address[1]}/x", timeout=1, max_bytes=10)
        assert elapsed(started) < 10
