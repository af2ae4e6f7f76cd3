"""The Bundler protocol: what every bundler (extension point 2) provides."""

from __future__ import annotations

from collections.abc import Callable
from threading import Event
from typing import Protocol

from eidos.bundlers.config import BundleConfig
from eidos.bundlers.result import BundleResult
from eidos.bundlers.tree import FileTree
from eidos.model import Recipe

__all__ = ["Bundler", "BundlerCancelled", "BundlerFactory"]


class BundlerCancelled(Exception):
    """Raised by ``make`` that saw ``stop`` set before writing (reported as cancelled)."""


class Bundler(Protocol):
    """Turns a recipe into the files of ``<output>/<name>/``; built from a BundleConfig."""

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

    def make(self, recipe: Recipe, out: FileTree, *, stop: Event) -> BundleResult:
        """Stage the bundle's files in ``out`` (paths relative to the bundle) and describe them.

        Called in its own thread, concurrently with the other bundlers, so it must not
        touch shared mutable state; ``out`` is this bundler's own tree. The runner writes
        the trees of every bundler that succeeded in one step. ``stop`` is set when another
        bundler failed under fail-fast: check it before finishing and raise
        :class:`BundlerCancelled` if set.

        Raises:
            BundlerCancelled: ``stop`` was set before the bundle was complete.
            EidosError: validation (exit 2) or a template failure.
        """
        ...


BundlerFactory = Callable[[BundleConfig], Bundler]
