#!/usr/bin/env python3
"""Take docs/explorer.png: the recipe explorer in Debian's headless Chromium.

Starts the real server on 127.0.0.1 (a free port, rate limiting off), opens a deep link
with a comparison, and saves a PNG of the page. Needs chromium and chromium-driver
(apt-get install chromium chromium-driver) and selenium (the dev extra).

    .venv/bin/python tools/screenshot.py [--out docs/explorer.png] [--width 1280]
"""

from __future__ import annotations

import argparse
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests" / "server"))

from browser_support import Browser, missing  # noqa: E402

LINK = (
    "/?os=ubuntu&service=eks&gpu=h100&intent=training"
    "&vs.os=ubuntu&vs.service=eks&vs.gpu=gb200&vs.intent=training"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=str(REPO / "docs" / "explorer.png"))
    parser.add_argument("--width", type=int, default=1280)
    parser.add_argument("--height", type=int, default=2700)
    args = parser.parse_args()
    reason = missing()
    if reason:
        print(f"Error: {reason}", file=sys.stderr)
        return 1
    port = _free_port()
    env = {**os.environ, "EIDOS_RATE_LIMIT": "0", "EIDOS_CLIENT_RATE_LIMIT": "0"}
    server = subprocess.Popen(
        [sys.executable, "-m", "eidos.server", "--host", "127.0.0.1", "--port", str(port)],
        env=env,
        stderr=subprocess.DEVNULL,
    )
    browser = None
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/ready", timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    print("Error: the server did not start", file=sys.stderr)
                    return 1
                time.sleep(0.1)
        browser = Browser(args.width, args.height)
        browser.open(f"http://127.0.0.1:{port}{LINK}")
        browser.driver.save_screenshot(args.out)
        print(f"wrote {args.out}")
        return 0
    finally:
        if browser is not None:
            browser.close()
        server.send_signal(signal.SIGTERM)
        server.wait(15)


if __name__ == "__main__":
    sys.exit(main())
