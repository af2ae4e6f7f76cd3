"""Shared fixtures: paths to reference data and a clean environment for every test."""

from __future__ import annotations

from pathlib import Path

import pytest

pytest_plugins = ["dbus_fixtures", "kube_fixtures"]

FIXTURES = Path(__file__).parent / "fixtures"
REFERENCE = FIXTURES / "reference"


@pytest.fixture
def reference() -> Path:
    return REFERENCE


@pytest.fixture(scope="session")
def _cache_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("xdg-cache")


@pytest.fixture(autouse=True)
def _clean_env(monkeypatch: pytest.MonkeyPatch, _cache_home: Path) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(_cache_home))
    for name in (
        "EIDOS_DEBUG",
        "EIDOS_LOG_FORMAT",
        "EIDOS_HOST_ROOT",
        "EIDOS_DATA",
        "KUBECONFIG",
        "NODE_NAME",
        "EIDOS_URL_TIMEOUT",
        "http_proxy",
        "https_proxy",
        "no_proxy",
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "NO_PROXY",
    ):
        monkeypatch.delenv(name, raising=False)
