"""A real Chromium for the explorer tests: Debian's chromium + chromium-driver, via selenium.

No browser is downloaded: selenium is pointed at the system chromedriver (``Service``) and
binary. Chromium runs headless with a fresh profile and without background networking (this
closed network refuses its connections otherwise).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Callable
from typing import Any

import pytest

CHROMIUM = os.environ.get("EIDOS_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("EIDOS_TEST_CHROMEDRIVER", "/usr/bin/chromedriver")
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
)
WAIT = 30.0


def missing() -> str | None:
    """Why no browser test can run here, or None."""
    for path in (CHROMIUM, CHROMEDRIVER):
        if not (os.path.isfile(path) and os.access(path, os.X_OK)):
            return f"{path} not found: apt-get install chromium chromium-driver (.ci/run does)"
    try:
        import selenium  # noqa: F401
    except ImportError:
        return "selenium is not installed (pip install -e '.[dev]')"
    return None


def needs_chromium() -> pytest.MarkDecorator:
    reason = missing()
    return pytest.mark.skipif(reason is not None, reason=reason or "")


class Browser:
    """A headless Chromium session with a download directory of its own."""

    def __init__(self, width: int = 1280, height: int = 1000) -> None:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service

        self.profile = tempfile.mkdtemp(prefix="eidos-chromium-")
        self.downloads = os.path.join(self.profile, "downloads")
        os.makedirs(self.downloads)
        options = webdriver.ChromeOptions()
        options.binary_location = CHROMIUM
        for flag in FLAGS:
            options.add_argument(flag)
        options.add_argument(f"--user-data-dir={self.profile}/user")
        options.add_argument(f"--window-size={width},{height}")
        options.add_experimental_option(
            "prefs",
            {"download.default_directory": self.downloads, "download.prompt_for_download": False},
        )
        options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
        self.driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
        self.driver.set_page_load_timeout(WAIT)

    def close(self) -> None:
        try:
            self.driver.quit()
        finally:
            shutil.rmtree(self.profile, ignore_errors=True)

    def wait(
        self, condition: Callable[[Any], Any], message: str = "", timeout: float = WAIT
    ) -> Any:
        from selenium.webdriver.support.ui import WebDriverWait

        return WebDriverWait(self.driver, timeout, poll_frequency=0.05).until(condition, message)

    def js(self, script: str, *args: Any) -> Any:
        return self.driver.execute_script(script, *args)

    def settled(self) -> None:
        """Wait until the page has rendered the criteria in its URL (no request in flight)."""
        self.wait(
            lambda d: d.execute_script("return document.body.dataset.busy") == "0",
            "the page did not finish rendering",
        )

    def open(self, url: str) -> None:
        self.driver.get(url)
        self.settled()

    def text(self, element_id: str) -> str:
        return str(self.js("return document.getElementById(arguments[0]).textContent", element_id))

    def errors(self) -> list[dict[str, Any]]:
        """Console messages at SEVERE level (script errors, CSP violations) since last call."""
        return [e for e in self.driver.get_log("browser") if e["level"] == "SEVERE"]
