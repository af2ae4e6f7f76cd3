from __future__ import annotations

import http.server
import os
import threading
from collections.abc import Iterator

import pytest

from eidos.errors import InvalidRequestError, IOFailureError, NotFoundError
from eidos.serializer import open_destination, read_document, read_text
from eidos.serializer.destinations import FileDestination, StdoutDestination
from eidos.serializer.formats import MAX_DOCUMENT_BYTES


class _Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        if self.path == "/snap.yaml":
            body = b"kind: Snapshot\nmeasurements: []\n"
        elif self.path == "/big":
            body = b"a" * (MAX_DOCUMENT_BYTES + 10)
        else:
            self.send_error(404 if self.path == "/missing" else 500)
            return
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=srv.serve_forever, args=(0.01,), daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()
    srv.server_close()


def test_url_read_leaves_no_temp_files(server, tmp_path, monkeypatch):
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    assert read_document(f"{server}/snap.yaml") == {"kind": "Snapshot", "measurements": []}
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("path", "error", "message"),
    [
        ("/missing", NotFoundError, "404"),
        ("/boom", IOFailureError, "HTTP 500"),
        ("/big", InvalidRequestError, "larger than"),
    ],
)
def test_url_errors(server, path, error, message):
    with pytest.raises(error, match=message):
        read_text(f"{server}{path}")


def test_unreachable_url_is_io_error():
    with pytest.raises(IOFailureError, match="cannot reach"):
        read_text("http://127.0.0.1:9/x.yaml", timeout=2)


def test_missing_and_unreadable_files(tmp_path):
    with pytest.raises(NotFoundError) as info:
        read_text(str(tmp_path / "nope.yaml"))
    assert info.value.exit_code == 3
    with pytest.raises(IOFailureError, match="directory"):
        read_text(str(tmp_path))
    bad = tmp_path / "bad.yaml"
    bad.write_bytes(b"\xff\xfe kind")
    with pytest.raises(InvalidRequestError, match="UTF-8"):
        read_text(str(bad))


def test_unknown_scheme_is_rejected():
    with pytest.raises(InvalidRequestError, match="unsupported source ftp://"):
        read_text("ftp://host/x")
    with pytest.raises(InvalidRequestError, match="unsupported output s3://"):
        open_destination("s3://bucket/x", component="snapshot")


@pytest.mark.parametrize("uri", [None, "", "-", "  "])
def test_stdout_is_the_default(uri):
    assert isinstance(open_destination(uri, component="recipe"), StdoutDestination)


def test_file_write_is_atomic_and_replaces(tmp_path):
    target = tmp_path / "out.yaml"
    target.write_text("old\n")
    dest = open_destination(str(target), component="recipe")
    assert isinstance(dest, FileDestination)
    dest.write("new: 1\n", fmt="yaml")
    assert target.read_text() == "new: 1\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.yaml"]


def test_failed_write_leaves_the_old_file_and_no_temp(tmp_path, monkeypatch):
    target = tmp_path / "out.yaml"
    target.write_text("old\n")
    dest = FileDestination(str(target))

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(IOFailureError, match="No space left"):
        dest.write("new\n", fmt="yaml")
    assert target.read_text() == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.yaml"]


def test_missing_directory_fails_before_any_work(tmp_path):
    with pytest.raises(IOFailureError, match="does not exist"):
        open_destination(str(tmp_path / "nope" / "x.yaml"), component="snapshot")
    with pytest.raises(InvalidRequestError, match="is a directory"):
        open_destination(str(tmp_path), component="snapshot")
