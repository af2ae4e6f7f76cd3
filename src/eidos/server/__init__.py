"""The HTTP API server: Starlette on uvicorn, sharing the recipe engine with the CLI.

Imports are lazy so that ``eidos-api-server --help`` and the settings stay cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from eidos.server.app import create_app
    from eidos.server.settings import ServerSettings
    from eidos.server.source import EngineSource, RecipeSource

__all__ = ["EngineSource", "RecipeSource", "ServerSettings", "create_app"]

_HOMES = {
    "create_app": "eidos.server.app",
    "ServerSettings": "eidos.server.settings",
    "EngineSource": "eidos.server.source",
    "RecipeSource": "eidos.server.source",
}


def __getattr__(name: str) -> Any:
    if name not in _HOMES:
        raise AttributeError(f"module 'eidos.server' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_HOMES[name]), name)
