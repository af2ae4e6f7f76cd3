"""What data cannot express about a component: the GPU and Network Operators' profiles.

Values and custom resources derived from the recipe's measurements, as thin configurations
of the one generic renderer (:mod:`.render`).

A profile derives values that are merged over the component's own, the custom resources
to write, README notes and warnings; the renderer does everything else (scheduling,
``--set``, images, files) the same way for every component.
"""

from __future__ import annotations

from types import MappingProxyType

from eidos.bundlers.config import BundleConfig
from eidos.bundlers.derived import ResourceDoc
from eidos.model import Recipe

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Mapping

    from eidos.bundlers.derived import Derived

    #: Reads the recipe's measurements into a :class:`Derived` (raises
    #: :class:`~eidos.errors.BundlerValidationError` for a bad or contradictory recipe).
    Profile = Callable[[Recipe, BundleConfig], Derived]

__all__ = ["PROFILES", "ResourceDoc"]


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
