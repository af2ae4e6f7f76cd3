"""The Bundler protocol: what every bundler (extension point 2) provides."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from threading import Event
from typing import Protocol

from eidos.bundlers.config import BundleConfig
from eidos.bundlers.result import BundleResult
from eidos.model import Recipe

__all__ = ["Bundler", "BundlerCancelled", "BundlerFactory"]


class BundlerCancelled(Exception):
    """Raised by ``make`` that saw ``stop`` set before writing (reported as cancelled)."""


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

    def make(self, recipe: Recipe, out_dir: Path, *, stop: Event) -> BundleResult:
        """Write the bundle under ``out_dir`` and describe what was written.

        Called in its own thread, concurrently with the other bundlers, so it must not
        touch shared mutable state. ``stop`` is set when another bundler failed under
        fail-fast: check it before writing and raise :class:`BundlerCancelled` if set.

        Raises:
            BundlerCancelled: ``stop`` was set before anything was written.
            EidosError: validation (exit 2), refusal to overwrite (exit 2), I/O (exit 3).
        """
        ...


BundlerFactory = Callable[[BundleConfig], Bundler]
