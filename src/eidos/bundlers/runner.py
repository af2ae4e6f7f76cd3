"""make_bundles: render every component of a recipe, add the deployer's files, write once.

:func:`build_bundle` makes the whole bundle in memory (a :class:`~.tree.FileTree`), which
any packaging can write; :func:`make_bundles` writes it as a directory in one atomic step
(:mod:`.outdir`). Components render one after the other in deployment order (each takes
well under a millisecond; threads would cost more than they overlap). A component that
fails is reported with its error and so is every component that depends on it; the others
are written. With fail-fast the first failure stops the run and nothing is written.
"""

from __future__ import annotations

import os
import time

from eidos.bundlers.common import bundle_meta
from eidos.bundlers.config import BundleConfig
from eidos.bundlers.deployers import deployer_for
from eidos.bundlers.legacy import legacy_components
from eidos.bundlers.outdir import mtime_of
from eidos.bundlers.output import open_output
from eidos.bundlers.plan import BundlePlan, RenderedComponent
from eidos.bundlers.readme import readme, top_level_files
from eidos.bundlers.render import render_component
from eidos.bundlers.result import BundleReport, BundleResult
from eidos.bundlers.tree import FileTree
from eidos.errors import EidosError, InvalidRequestError
from eidos.logging import get_logger
from eidos.model import ComponentRef, Recipe

TYPE_CHECKING = False
if TYPE_CHECKING:
    from os import PathLike

    from eidos.bundlers.output import Output

__all__ = ["Bundle", "build_bundle", "make_bundles", "select_components"]

log = get_logger(__name__)


class Bundle:
    """A bundle made in memory: its files and what happened per component."""

    __slots__ = ("report", "tree")

    def __init__(self, tree: FileTree, report: BundleReport) -> None:
        self.tree = tree
        self.report = report


def _ordered(recipe: Recipe) -> list[ComponentRef]:
    refs = recipe.component_refs or legacy_components(recipe)
    by_name = {r.name: r for r in refs}
    order = [n for n in recipe.deployment_order if n in by_name]
    order += [r.name for r in refs if r.name not in order]
    return [by_name[n] for n in order]


def select_components(recipe: Recipe, config: BundleConfig) -> list[ComponentRef]:
    """The components to bundle, in deployment order (see docs/bundles.md).

    Raises:
        InvalidRequestError: an option names a component the recipe lacks, or drops one
            that a kept component depends on.
    """
    refs = _ordered(recipe)
    names = [r.name for r in refs]
    unknown = sorted(config.named_components() - set(names))
    if unknown:
        raise InvalidRequestError(
            f"unknown component {', '.join(repr(u) for u in unknown)}: the recipe has "
            f"{', '.join(names)}"
        )
    by_name = {r.name: r for r in refs}
    for ref in refs:
        missing = [d for d in ref.dependency_refs if d not in by_name]
        if missing:
            raise InvalidRequestError(
                f"component {ref.name} depends on {', '.join(missing)}, which the recipe "
                "does not have"
            )
    keep = set(names)
    if config.components:
        keep = set()
        pending = list(config.components)
        while pending:
            name = pending.pop()
            if name not in keep:
                keep.add(name)
                pending.extend(by_name[name].dependency_refs)
    dropped = config.overrides.disabled()
    for name in sorted(dropped & keep):
        users = [r.name for r in refs if r.name in keep - dropped and name in r.dependency_refs]
        if users:
            raise InvalidRequestError(
                f"cannot drop {name} (--set {name}:enabled=false): "
                f"{', '.join(users)} depend{'s' if len(users) == 1 else ''} on it; drop "
                f"{'it' if len(users) == 1 else 'them'} too, or keep {name} and skip it at "
                f"install time if the cluster already runs it (deploy.sh --skip {name})"
            )
    return [r for r in refs if r.name in keep and r.name not in dropped]


def build_bundle(recipe: Recipe, config: BundleConfig | None = None) -> Bundle:
    """The whole bundle of ``recipe``, in memory (nothing is written).

    Raises:
        InvalidRequestError: bad options (unknown component, a drop refused, unknown
            deployer); component failures are reported in the result instead.
    """
    config = config or BundleConfig()
    start = time.perf_counter()
    deployer = deployer_for(config.deployer)
    deployer.check(config)
    refs = select_components(recipe, config)
    meta = bundle_meta(recipe, config)
    tree = FileTree()
    rendered: list[RenderedComponent] = []
    results: list[BundleResult] = []
    failed: dict[str, str] = {}
    for ref in refs:
        began = time.perf_counter()
        broken = next((d for d in ref.dependency_refs if d in failed), None)
        if broken is not None:
            failed[ref.name] = broken
            error = InvalidRequestError(
                f"{ref.name}: not bundled: it depends on {broken}, which failed"
            )
            results.append(BundleResult(name=ref.name, error=error))
            continue
        own = FileTree()
        try:
            component = render_component(
                ref, position=len(rendered) + 1, recipe=recipe, config=config, meta=meta, tree=own
            )
        except EidosError as exc:
            failed[ref.name] = ref.name
            results.append(BundleResult(name=ref.name, error=exc))
            if config.fail_fast:
                break
            continue
        tree.graft(component.directory, own)
        rendered.append(component)
        results.append(
            BundleResult(
                name=ref.name,
                directory=component.directory,
                files=own.records(),
                duration=time.perf_counter() - began,
                warnings=tuple(component.warnings),
            )
        )
    ok = bool(rendered) and not (failed and config.fail_fast)
    if ok:
        plan = BundlePlan(rendered, meta, config.overrides.describe(), tree=tree, repo=config.repo)
        for path, text, executable in deployer.files(plan):
            tree.add(path, text, executable=executable)
        top_level_files(tree, plan, recipe, readme(plan, deployer.readme(plan), deployer.listing))
        tree.add_checksums()
    else:
        tree = FileTree()
        results = [
            r if r.error is not None else BundleResult(name=r.name, cancelled=True) for r in results
        ]
    report = BundleReport(
        output_dir="",
        results=tuple(results),
        duration=time.perf_counter() - start,
        total_files=len(tree),
        total_bytes=tree.size(),
    )
    return Bundle(tree, report)


def make_bundles(
    recipe: Recipe,
    out_dir: str | PathLike[str] | Output,
    config: BundleConfig | None = None,
    *,
    detach_cleanup: bool = False,
) -> BundleReport:
    """Make the bundle of ``recipe`` at ``out_dir`` (one atomic write).

    ``out_dir``: a directory, an archive file name or an ``oci://`` reference
    (:func:`~.output.open_output`), or an :class:`~.output.Output`. It ends up holding
    the bundle (the components that rendered, the deployer's files, the top-level files);
    nothing is written when no component rendered, or under fail-fast when any failed.
    With ``detach_cleanup`` a replaced directory is removed by a detached process after
    this returns (the CLI).

    Raises:
        InvalidRequestError: bad options, a bad ``out_dir``, or an existing bundle there
            without ``config.force``.
        IOFailureError: ``out_dir`` holds something eidos did not write, another eidos is
            writing it (``config.wait`` off), it cannot be written, or a push failed.
    """
    config = config or BundleConfig()
    start = time.perf_counter()
    if isinstance(out_dir, str | os.PathLike):
        output = open_output(
            os.fspath(out_dir), force=config.force, wait=config.wait, detach=detach_cleanup
        )
    else:
        output = out_dir
    output.check()
    bundle = build_bundle(recipe, config)
    if len(bundle.tree):
        output.publish(bundle.tree, mtime=mtime_of(recipe.metadata.get("recipe-timestamp")))
    for result in bundle.report.results:
        for warning in result.warnings:
            log.warning(warning, component=result.name)
    return BundleReport(
        output_dir=output.display,
        results=bundle.report.results,
        duration=time.perf_counter() - start,
        total_files=len(bundle.tree),
        total_bytes=bundle.tree.size(),
    )
