"""The explorer page's files: served at / to browsers, weight, CSP, ETags, what ships."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from eidos.server.page import ASSETS, CSP, PAGE_PATHS, STATIC_DIR

REPO = Path(__file__).parents[2]
HTML = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


def test_the_page_weighs_at_most_60_kb():
    names = [name for name, media in ASSETS.values() if media.split(";")[0] != "image/svg+xml"]
    assert sorted(names) == ["app.css", "app.js", "index.html"]
    total = sum((STATIC_DIR / name).stat().st_size for name in names)
    assert total <= 60 * 1024, f"HTML+CSS+JS is {total} bytes"


def test_every_shipped_file_is_served_and_every_served_file_ships():
    assert sorted(p.name for p in STATIC_DIR.iterdir()) == sorted(n for n, _ in ASSETS.values())


class _Inline(HTMLParser):
    """Collects what a strict CSP would block or what would leave the origin."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[str] = []
        self.refs: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        if tag == "style":
            self.problems.append("<style> element")
        if tag == "script" and not names.get("src"):
            self.problems.append("inline <script>")
        for name, value in attrs:
            if name == "style" or name.startswith("on"):
                self.problems.append(f"{name}= attribute on <{tag}>")
            if name in ("src", "href"):
                self.refs.append(value or "")


def test_the_html_has_nothing_inline_and_references_only_this_origin():
    parser = _Inline()
    parser.feed((STATIC_DIR / "index.html").read_text())
    assert parser.problems == []
    assert parser.refs and all(
        ref.startswith(("/", "#")) and not ref.startswith("//") for ref in parser.refs
    )
    local = [ref for ref in parser.refs if ref.startswith("/explorer/")]
    assert sorted(set(local)) == sorted(PAGE_PATHS)


def test_the_script_never_writes_html():
    script = (STATIC_DIR / "app.js").read_text()
    for sink in (
        "innerHTML",
        "outerHTML",
        "insertAdjacentHTML",
        "document.write",
        "eval(",
        "new Function",
    ):
        assert sink not in script, sink
    assert not re.search(r"https?://", script), "the script must not name another origin"


async def test_browsers_get_the_page_at_root_and_others_keep_the_json(client):
    page = await client.get("/", headers=HTML)
    assert page.status_code == 200
    assert page.headers["content-type"] == "text/html; charset=utf-8"
    assert page.headers["content-security-policy"] == CSP
    assert "default-src 'self'" in CSP and "'unsafe-inline'" not in CSP
    assert page.headers["vary"] == "Accept"
    assert page.headers["x-content-type-options"] == "nosniff"
    assert page.content == (STATIC_DIR / "index.html").read_bytes()
    for accept in (None, "*/*", "application/json"):
        headers = {"Accept": accept} if accept else {}
        r = await client.get("/", headers=headers)
        assert r.headers["content-type"] == "application/json"
        assert r.json()["service"] == "eidos-api-server"
        assert r.headers["vary"] == "Accept"


@pytest.mark.parametrize("path", ["/", *PAGE_PATHS])
async def test_page_files_are_cached_with_etags(client, path):
    r = await client.get(path, headers=HTML)
    assert r.status_code == 200
    etag = r.headers["etag"]
    assert re.fullmatch(r'"[0-9a-f]{32}"', etag)
    assert r.headers["cache-control"] == "no-cache"
    assert r.headers["content-type"] == ASSETS[path][1]
    again = await client.get(path, headers={**HTML, "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["etag"] == etag
    other = await client.get(path, headers={**HTML, "If-None-Match": '"0000"'})
    assert other.status_code == 200 and other.content == r.content


async def test_head_of_the_page_has_no_body(client):
    r = await client.head("/explorer/app.js")
    assert r.status_code == 200 and r.content == b""
    assert int(r.headers["content-length"]) == (STATIC_DIR / "app.js").stat().st_size


async def test_page_requests_are_counted_under_their_own_path(client):
    await client.get("/explorer/app.css")
    text = (await client.get("/metrics")).text
    assert (
        'eidos_http_requests_total{method="GET",path="/explorer/app.css",status="200"} 1.0' in text
    )


async def test_unknown_page_files_are_404(client):
    r = await client.get("/explorer/other.js")
    assert r.status_code == 404 and r.json()["code"] == "NOT_FOUND"


def test_the_wheel_ships_the_page(tmp_path):
    """hatchling packages src/eidos whole: the static files are in the wheel."""
    import subprocess
    import sys
    import zipfile

    hatchling = subprocess.run(
        [sys.executable, "-c", "import hatchling"], capture_output=True, check=False
    )
    if hatchling.returncode != 0:
        pytest.skip("hatchling is not installed in this environment")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(tmp_path),
            str(REPO),
        ],
        check=True,
        capture_output=True,
    )
    (wheel,) = tmp_path.glob("eidos-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    for name, _ in ASSETS.values():
        assert f"eidos/server/static/{name}" in names
