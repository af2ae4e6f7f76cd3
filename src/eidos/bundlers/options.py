"""The bundle options as the user types them (CLI flags, API query parameters) -> BundleConfig.

One parser for both edges, so ``eidos bundle --set ...`` and ``POST /v1/bundle?set=...``
accept and refuse exactly the same values with the same messages.
"""

from __future__ import annotations

from eidos.bundlers.config import BundleConfig, GitSource
from eidos.bundlers.overrides import Overrides, parse_set
from eidos.bundlers.recipe_keys import KINDS
from eidos.bundlers.result import BundleReport
from eidos.errors import InvalidRequestError
from eidos.model.scheduling import parse_node_selector, parse_toleration
from eidos.names import DEPLOYERS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["bundle_config", "names", "raise_failures"]


def names(values: Sequence[str] | None) -> list[str]:
    """Component names from repeatable, comma-separated values."""
    return [part.strip() for value in values or () for part in value.split(",") if part.strip()]


def _overrides(
    sets: Sequence[str],
    scheduling: dict[str, Sequence[str]],
    registry: str | None,
    prefix: str,
) -> Overrides:
    if registry is not None and not KINDS["registry"][0](registry.rstrip("/")):
        raise InvalidRequestError(
            f"{prefix}registry {registry!r}: expected HOST[:PORT][/PATH] such as "
            "registry.example.com/mirror"
        )
    return Overrides(
        sets=tuple(parse_set(t) for t in sets),
        system_node_selector=dict(
            parse_node_selector(t, f"{prefix}system-node-selector")
            for t in scheduling.get("system-node-selector", ())
        ),
        system_tolerations=tuple(
            parse_toleration(t, f"{prefix}system-toleration")
            for t in scheduling.get("system-toleration", ())
        ),
        accelerated_node_selector=dict(
            parse_node_selector(t, f"{prefix}accelerated-node-selector")
            for t in scheduling.get("accelerated-node-selector", ())
        ),
        accelerated_tolerations=tuple(
            parse_toleration(t, f"{prefix}accelerated-toleration")
            for t in scheduling.get("accelerated-toleration", ())
        ),
        registry=registry.rstrip("/") if registry else None,
    )


def bundle_config(
    *,
    deployer: str = DEPLOYERS[0],
    sets: Sequence[str] = (),
    scheduling: dict[str, Sequence[str]] | None = None,
    registry: str | None = None,
    components: Sequence[str] | None = None,
    repo: str | None = None,
    repo_revision: str = "main",
    repo_path: str = ".",
    prefix: str = "--",
    **fields: object,
) -> BundleConfig:
    """A :class:`BundleConfig` from raw option values.

    ``scheduling``: ``system-node-selector``, ``system-toleration``,
    ``accelerated-node-selector``, ``accelerated-toleration`` -> their values; ``fields``:
    further BundleConfig fields as they are; ``prefix``: before option names in messages
    (``--`` for flags, empty for query parameters).

    Raises:
        InvalidRequestError: any malformed value (the message names the option).
    """
    name = deployer.strip().lower()
    if name not in DEPLOYERS:
        raise InvalidRequestError(
            f"unknown deployer {deployer!r}; valid deployers: {', '.join(DEPLOYERS)}"
        )
    if components is not None and not names(components):
        raise InvalidRequestError("no component selected (leave it out for every component)")
    return BundleConfig(
        deployer=name,
        overrides=_overrides(sets, scheduling or {}, registry, prefix),
        components=tuple(names(components)),
        repo=GitSource(url=repo, revision=repo_revision, path=repo_path) if repo else None,
        **fields,  # type: ignore[arg-type]
    )


def raise_failures(report: BundleReport) -> None:
    """Raise the first failure's error class with every failure's message (if any failed)."""
    errors = [(r.name, r.error) for r in report.results if r.error is not None]
    if not errors:
        return
    messages = [
        e.message if e.message.startswith(f"{name}:") else f"{name}: {e.message}"
        for name, e in errors
    ]
    first = errors[0][1]
    if len(errors) == 1:
        raise type(first)(messages[0], details=first.details)
    raise type(first)(
        f"{len(errors)} of {len(report.results)} components failed: " + "; ".join(messages),
        details=first.details,
    )
