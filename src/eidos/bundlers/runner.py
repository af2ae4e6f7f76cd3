"""make_bundles: validate, then run the selected bundlers together, one thread each.

Without fail-fast every bundler finishes and failures are reported per bundler. With
fail-fast nothing is written when any bundler rejects the recipe, and the first failure
during writing sets the stop event: bundlers still running give up before they write.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

from eidos.bundlers.base import Bundler, BundlerCancelled, BundlerFactory
from eidos.bundlers.config import BundleConfig
from eidos.bundlers.registry import BUILTIN_BUNDLERS, select
from eidos.bundlers.result import BundleReport, BundleResult
from eidos.bundlers.writer import prepare_output
from eidos.errors import EidosError, InvalidRequestError, IOFailureError
from eidos.logging import get_logger
from eidos.model import Recipe

__all__ = ["make_bundles"]

log = get_logger(__name__)


def _run(bundler: Bundler, recipe: Recipe, out: Path, stop: threading.Event) -> BundleResult:
    start = time.perf_counter()
    try:
        return bundler.make(recipe, out, stop=stop)
    except (EidosError, OSError) as exc:
        error = (
            exc
            if isinstance(exc, EidosError)
            else IOFailureError(f"{bundler.name}: {exc.strerror or exc}")
        )
        return BundleResult(
            name=bundler.name,
            directory=str(out / bundler.name),
            duration=time.perf_counter() - start,
            error=error,
        )


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
    bundlers: list[Bundler], recipe: Recipe, out: Path, fail_fast: bool
) -> dict[str, BundleResult]:
    """Run ``bundlers`` in threads (one alone runs inline); results by name (absent: cancelled).

    A bug in a bundler (any other exception) stops the others and is re-raised as itself.
    """
    results: dict[str, BundleResult] = {}
    bugs: list[BaseException] = []
    stop = threading.Event()
    lock = threading.Lock()

    def work(bundler: Bundler) -> None:
        try:
            result = _run(bundler, recipe, out, stop)
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
    """Make the bundles ``names`` (all when empty) of ``recipe`` under ``out_dir``.

    Raises:
        InvalidRequestError: an unknown bundler name or override, or a bad ``out_dir``.
        IOFailureError: ``out_dir`` cannot be created.
    """
    config = config or BundleConfig()
    selected = select(names, table)
    _check_overrides(config, table)
    out = prepare_output(out_dir)
    start = time.perf_counter()
    bundlers = [factory(config) for _, factory in selected]
    failures = _validate(bundlers, recipe)
    results = {
        name: BundleResult(name=name, directory=str(out / name), error=error)
        for name, error in failures.items()
    }
    if not (failures and config.fail_fast):
        runnable = [b for b in bundlers if b.name not in failures]
        results.update(_run_all(runnable, recipe, out, config.fail_fast))
    ordered = tuple(
        results.get(b.name)
        or BundleResult(name=b.name, directory=str(out / b.name), cancelled=True)
        for b in bundlers
    )
    for result in ordered:
        for warning in result.warnings:
            log.warning(warning, bundler=result.name)
    return BundleReport(output_dir=str(out), duration=time.perf_counter() - start, results=ordered)
