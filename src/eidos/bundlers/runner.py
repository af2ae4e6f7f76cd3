"""make_bundles: validate, run the selected bundlers together (one thread each), write once.

Bundlers only stage files in memory; the bundles that succeeded are then written as one
directory tree in one atomic step (:mod:`.outdir`), so the output directory always holds
the bundles of exactly one run. Without fail-fast every bundler finishes, failures are
reported per bundler and the others are written. With fail-fast nothing is written when any
bundler fails, and the first failure sets the stop event: bundlers still running give up.
"""

from __future__ import annotations

import dataclasses
import threading
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

from eidos.bundlers.base import Bundler, BundlerCancelled, BundlerFactory
from eidos.bundlers.config import BundleConfig
from eidos.bundlers.outdir import OutputDir, mtime_of
from eidos.bundlers.registry import BUILTIN_BUNDLERS, select
from eidos.bundlers.result import BundleReport, BundleResult
from eidos.bundlers.tree import FileTree
from eidos.errors import EidosError, InvalidRequestError, IOFailureError
from eidos.logging import get_logger
from eidos.model import Recipe

__all__ = ["make_bundles"]

log = get_logger(__name__)


def _run(bundler: Bundler, recipe: Recipe, tree: FileTree, stop: threading.Event) -> BundleResult:
    start = time.perf_counter()
    try:
        return bundler.make(recipe, tree, stop=stop)
    except (EidosError, OSError) as exc:
        error = (
            exc
            if isinstance(exc, EidosError)
            else IOFailureError(f"{bundler.name}: {exc.strerror or exc}")
        )
        return BundleResult(name=bundler.name, duration=time.perf_counter() - start, error=error)


def _check_overrides(config: BundleConfig, table: Mapping[str, BundlerFactory]) -> None:
    unknown = sorted(config.overridden_bundlers() - set(table))
    if unknown:
        raise InvalidRequestError(
            f"chart override for unknown bundler {', '.join(repr(u) for u in unknown)}; "
            f"valid bundlers: {', '.join(table)}"
        )


def _validate(bundlers: list[Bundler], recipe: Recipe) -> dict[str, EidosError]:
    failures: dict[str, EidosError] = {}
    for bundler in bundlers:
        try:
            bundler.validate(recipe)
        except EidosError as exc:
            failures[bundler.name] = exc
    return failures


def _run_all(
    bundlers: list[Bundler], recipe: Recipe, trees: Mapping[str, FileTree], fail_fast: bool
) -> dict[str, BundleResult]:
    """Run ``bundlers`` in threads (one alone runs inline); results by name (absent: cancelled).

    Each bundler stages its files in its own tree of ``trees``.

    A bug in a bundler (any other exception) stops the others and is re-raised as itself.
    """
    results: dict[str, BundleResult] = {}
    bugs: list[BaseException] = []
    stop = threading.Event()
    lock = threading.Lock()

    def work(bundler: Bundler) -> None:
        try:
            result = _run(bundler, recipe, trees[bundler.name], stop)
        except BundlerCancelled:
            return
        except BaseException as exc:  # a bug: re-raised in the calling thread
            with lock:
                bugs.append(exc)
            stop.set()
            return
        with lock:
            results[bundler.name] = result
        if fail_fast and result.error is not None:
            stop.set()

    if len(bundlers) == 1:  # nothing to overlap with: skip the thread
        work(bundlers[0])
        bundlers = []
    threads = [
        threading.Thread(target=work, args=(b,), name=f"bundler-{b.name}", daemon=True)
        for b in bundlers
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if bugs:
        raise bugs[0]
    return results


def make_bundles(
    recipe: Recipe,
    out_dir: str | Path,
    names: Iterable[str] | None = None,
    config: BundleConfig | None = None,
    *,
    table: Mapping[str, BundlerFactory] = BUILTIN_BUNDLERS,
) -> BundleReport:
    """Make the bundles ``names`` (all when empty) of ``recipe`` in the directory ``out_dir``.

    ``out_dir`` ends up holding exactly the bundles that succeeded (one subdirectory each)
    and nothing else; it is not created when none did.

    Raises:
        InvalidRequestError: an unknown bundler name or override, a bad ``out_dir``, or an
            existing bundle there without ``config.force``.
        IOFailureError: ``out_dir`` holds something eidos did not write, another eidos is
            writing it (``config.wait`` off), or it cannot be written.
    """
    config = config or BundleConfig()
    selected = select(names, table)
    _check_overrides(config, table)
    output = OutputDir(out_dir, force=config.force, wait=config.wait)
    output.check()
    start = time.perf_counter()
    bundlers = [factory(config) for _, factory in selected]
    trees = {b.name: FileTree() for b in bundlers}
    results = {
        name: BundleResult(name=name, error=e) for name, e in _validate(bundlers, recipe).items()
    }
    if not (results and config.fail_fast):
        runnable = [b for b in bundlers if b.name not in results]
        results.update(_run_all(runnable, recipe, trees, config.fail_fast))
    failed = any(r.error is not None for r in results.values())
    written = [
        b.name
        for b in bundlers
        if b.name in results and results[b.name].ok and not (failed and config.fail_fast)
    ]
    if written:
        tree = FileTree()
        for name in written:
            tree.graft(name, trees[name])
        output.publish(tree, mtime=mtime_of(recipe.metadata.get("recipe-timestamp")))
    ordered = tuple(
        _final(results.get(b.name), b.name, b.name in written, Path(output.display))
        for b in bundlers
    )
    for result in ordered:
        for warning in result.warnings:
            log.warning(warning, bundler=result.name)
    return BundleReport(
        output_dir=output.display, duration=time.perf_counter() - start, results=ordered
    )


def _final(result: BundleResult | None, name: str, written: bool, out: Path) -> BundleResult:
    """The reported result: where the bundle is, or cancelled when it was not written."""
    directory = str(out / name)
    if result is None or (result.ok and not written):
        return BundleResult(name=name, directory=directory, cancelled=True)
    return dataclasses.replace(result, directory=directory)
