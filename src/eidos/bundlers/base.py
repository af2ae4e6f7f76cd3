"""The Bundler protocol: what every bundler (extension point 2) provides."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from eidos.bundlers.config import BundleConfig
from eidos.bundlers.result import BundleResult
from eidos.model import Recipe

__all__ = ["Bundler", "BundlerFactory"]


class Bundler(Protocol):
    """Turns a recipe into ``<out_dir>/<name>/``; built by a factory from a BundleConfig."""

    @property
    def name(self) -> str:
        """The bundler's name, also its output directory and default namespace."""
        ...

    def validate(self, recipe: Recipe) -> None:
        """Check that the recipe has what this bundler needs, writing nothing.

        Raises:
            BundlerValidationError: naming this bundler and the missing or bad recipe key.
        """
        ...

    async def make(self, recipe: Recipe, out_dir: Path) -> BundleResult:
        """Write the bundle under ``out_dir`` and describe what was written.

        Raises:
            EidosError: validation (exit 2), refusal to overwrite (exit 2), I/O (exit 3).
        """
        ...


BundlerFactory = Callable[[BundleConfig], Bundler]
