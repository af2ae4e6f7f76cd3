"""Bundlers (extension point 2): turn a recipe into deployable bundles, one per bundler."""

from eidos.bundlers.base import Bundler, BundlerFactory
from eidos.bundlers.config import BundleConfig
from eidos.bundlers.registry import BUILTIN_BUNDLERS, select
from eidos.bundlers.result import BundleReport, BundleResult, FileRecord
from eidos.bundlers.runner import make_bundles

__all__ = [
    "BUILTIN_BUNDLERS",
    "BundleConfig",
    "BundleReport",
    "BundleResult",
    "Bundler",
    "BundlerFactory",
    "FileRecord",
    "make_bundles",
    "select",
]
