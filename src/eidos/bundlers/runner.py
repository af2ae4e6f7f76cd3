"""make_bundles: validate, then run the selected bundlers together in one TaskGroup.

Without fail-fast every bundler finishes and failures are reported per bundler. With
fail-fast nothing is written when any bundler rejects the recipe, and the first failure
during writing cancels the bundlers still running.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Iterable, Mapping
from pathlib import Path

from eidos.bundlers.base import Bundler, BundlerFactory
from eidos.bundlers.config import BundleConfig
from eidos.bundlers.registry import BUILTIN_BUNDLERS, select
from eidos.bundlers.result import BundleReport, BundleResult
from eidos.bundlers.writer import prepare_output
from eidos.errors import EidosError, InvalidRequestError, IOFailureError
from eidos.logging import get_logger
from eidos.model import Recipe

__all__ = ["make_bundles"]

log = get_logger(__name__)


class _Stop(Exception):
    """Raised inside the TaskGroup to stop the other bundlers (fail-fast only)."""

    def __init__(self, result: BundleResult) -> None:
        super().__init__(result.name)
        self.result = result


async def _run(bundler: Bundler, recipe: Recipe, out: Path, fail_fast: bool) -> BundleResult:
    start = time.perf_counter()
    try:
        return await bundler.make(recipe, out)
    except (EidosError, OSError) as exc:
        error = (
            exc
            if isinstance(exc, EidosError)
            else IOFailureError(f"{bundler.name}: {exc.strerror or exc}")
        )
        result = BundleResult(
            name=bundler.name,
            directory=str(out / bundler.name),
            duration=time.perf_counter() - start,
            error=error,
        )
        if fail_fast:
            raise _Stop(result) from None
        return result


def _first(group: BaseExceptionGroup[BaseException]) -> BaseException:
    """The first leaf of an exception group (a bug in a bundler, reported as itself)."""
    exc: BaseException = group
    while isinstance(exc, BaseExceptionGroup):
        exc = exc.exceptions[0]
    return exc


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


async def _run_all(
    bundlers: list[Bundler], recipe: Recipe, out: Path, fail_fast: bool
) -> dict[str, BundleResult]:
    """Run ``bundlers`` in one TaskGroup; results by name (absent: cancelled)."""
    results: dict[str, BundleResult] = {}
    tasks: dict[str, asyncio.Task[BundleResult]] = {}
    try:
        async with asyncio.TaskGroup() as group:
            for bundler in bundlers:
                tasks[bundler.name] = group.create_task(_run(bundler, recipe, out, fail_fast))
    except BaseExceptionGroup as group:
        stops, rest = group.split(_Stop)
        if rest is not None:
            raise _first(rest) from None
        for exc in stops.exceptions if stops is not None else ():
            if isinstance(exc, _Stop):
                results[exc.result.name] = exc.result
    for name, task in tasks.items():
        if name not in results and task.done() and not task.cancelled():
            results[name] = task.result()
    return results


async def make_bundles(
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
        results.update(await _run_all(runnable, recipe, out, config.fail_fast))
    ordered = tuple(
        results.get(b.name)
        or BundleResult(name=b.name, directory=str(out / b.name), cancelled=True)
        for b in bundlers
    )
    for result in ordered:
        for warning in result.warnings:
            log.warning(warning, bundler=result.name)
    return BundleReport(output_dir=str(out), duration=time.perf_counter() - start, results=ordered)
