"""Deployers: turn the rendered components and their order into the files that install them.

A deployer gets a :class:`~eidos.bundlers.plan.BundlePlan` (the rendered components in
deployment order, each with its folder, chart, values file, manifests, CRDs and webhooks
its dependents wait for, and images) and returns files to add to the bundle, plus the
README's "Deploy, check, remove" section. It never renders values again. One module per
deployer; the table below is the registry, in the order ``--help`` lists them.
"""

from __future__ import annotations

from types import MappingProxyType

from eidos.bundlers.config import BundleConfig
from eidos.bundlers.plan import BundlePlan
from eidos.errors import InvalidRequestError
from eidos.names import DEPLOYERS

__all__ = ["DEPLOYER_TABLE", "DeployerFile", "deployer_for"]

DeployerFile = tuple[str, str, bool]
"""(path relative to the bundle root, text, executable)."""


TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs ~4 ms of a cold ``eidos bundle``; only type checkers see it
    from collections.abc import Callable, Mapping
    from typing import Protocol

    class Deployer(Protocol):
        """Makes the files that install a bundle's components."""

        name: str
        listing: str
        """The deployer's files, as Markdown list items for the README's "Files" section."""

        def check(self, config: BundleConfig) -> None:
            """Refuse options this deployer cannot work with, before anything is rendered.

            Raises:
                InvalidRequestError: a missing or conflicting option, saying what to give.
            """
            ...

        def files(self, plan: BundlePlan) -> list[DeployerFile]:
            """The deployer's files, for the components of ``plan`` in their order."""
            ...

        def readme(self, plan: BundlePlan) -> str:
            """Markdown for the README: how to deploy, check and remove the bundle."""
            ...


def _helm() -> Deployer:
    from eidos.bundlers.deployers.helm import HelmDeployer

    return HelmDeployer()


def _argocd() -> Deployer:
    from eidos.bundlers.deployers.argocd import ArgoCDDeployer

    return ArgoCDDeployer()


def _flux() -> Deployer:
    from eidos.bundlers.deployers.flux import FluxDeployer

    return FluxDeployer()


def _helmfile() -> Deployer:
    from eidos.bundlers.deployers.helmfile import HelmfileDeployer

    return HelmfileDeployer()


#: deployer name (from :data:`eidos.names.DEPLOYERS`) -> factory, in that order.
DEPLOYER_TABLE: Mapping[str, Callable[[], Deployer]] = MappingProxyType(
    dict(zip(DEPLOYERS, (_helm, _argocd, _flux, _helmfile), strict=True))
)


def deployer_for(
    name: str, table: Mapping[str, Callable[[], Deployer]] = DEPLOYER_TABLE
) -> Deployer:
    """The deployer called ``name``.

    Raises:
        InvalidRequestError: an unknown name, listing the valid ones.
    """
    factory = table.get(name.strip().lower())
    if factory is None:
        raise InvalidRequestError(f"unknown deployer {name!r}; valid deployers: {', '.join(table)}")
    return factory()
