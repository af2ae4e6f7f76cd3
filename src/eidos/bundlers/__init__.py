"""Bundlers: turn a recipe into one deployable bundle of every component it names.

:func:`build_bundle` renders every component (:mod:`.render`, with the operators'
profiles, :mod:`.profiles`) and lets a deployer (:mod:`.deployers`) add the files that
install them, all in memory; :func:`make_bundles` writes that tree as a directory.
"""

from eidos.bundlers.config import BundleConfig
from eidos.bundlers.overrides import Overrides
from eidos.bundlers.result import BundleReport, BundleResult, FileRecord
from eidos.bundlers.runner import Bundle, build_bundle, make_bundles

__all__ = [
    "Bundle",
    "BundleConfig",
    "BundleReport",
    "BundleResult",
    "FileRecord",
    "Overrides",
    "build_bundle",
    "make_bundles",
]
