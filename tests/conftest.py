"""Shared fixtures: paths to reference data and a clean environment for every test."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

pytest_plugins = ["dbus_fixtures", "kube_fixtures"]

FIXTURES = Path(__file__).parent / "fixtures"
REFERENCE = FIXTURES / "reference"

# Property tests judge behaviour, not speed: on a loaded 2-core CI machine a per-example
# deadline or the "too slow" health check fails tests at random (benchmarks measure speed).
settings.register_profile("eidos", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("eidos")


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
