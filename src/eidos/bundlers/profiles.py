"""What data cannot express about a component: values and custom resources derived from the
recipe's measurements (the GPU and Network Operators), as thin configurations of the one
generic renderer (:mod:`.render`).

A profile derives values that are merged over the component's own, the custom resources
to write, README notes and warnings; the renderer does everything else (scheduling,
``--set``, images, files) the same way for every component.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Protocol

from eidos.bundlers.common import BundleMeta
from eidos.bundlers.config import BundleConfig
from eidos.model import Recipe

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["PROFILES", "Derived", "Profile", "ResourceDoc"]


class ResourceDoc:
    """A custom resource a profile writes: file name (under ``manifests/``), document,
    header comment lines, and whether the deployer applies it."""

    __slots__ = ("apply", "doc", "filename", "header")

    def __init__(self, filename: str, doc: dict[str, Any], header: list[str], apply: bool) -> None:
        self.filename = filename
        self.doc = doc
        self.header = header
        self.apply = apply


class Derived(Protocol):
    """What a profile derived from one recipe (settings and the values they imply)."""

    values: dict[str, Any]
    """Helm values merged over the component's values (they win)."""
    comments: dict[str, list[str]]
    """values block -> comment lines naming the recipe keys behind it."""

    def resources(self, values: dict[str, Any], config: BundleConfig) -> list[ResourceDoc]:
        """The custom resources, from the final values (after the user's overrides)."""
        ...

    def notes(self, values: dict[str, Any]) -> str:
        """Markdown for the README: what the recipe's settings turned on and off."""
        ...

    def warnings(self, meta: BundleMeta) -> list[str]:
        """Things to know before installing."""
        ...

    def gpu_node_labels(self) -> list[str]:
        """``key=value`` labels the deployer puts on GPU nodes after installing."""
        ...


Profile = Callable[[Recipe, BundleConfig], Derived]
"""Reads the recipe's measurements into a :class:`Derived` (raises
:class:`~eidos.errors.BundlerValidationError` for a bad or contradictory recipe)."""


def _gpu_operator(recipe: Recipe, config: BundleConfig) -> Derived:
    from eidos.bundlers.gpu_operator import derive

    return derive(recipe, config)


def _network_operator(recipe: Recipe, config: BundleConfig) -> Derived:
    from eidos.bundlers.network_operator import derive

    return derive(recipe, config)


#: component name -> profile; components without one are rendered from data alone.
PROFILES: Mapping[str, Profile] = MappingProxyType(
    {"gpu-operator": _gpu_operator, "network-operator": _network_operator}
)
