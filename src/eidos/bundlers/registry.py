"""The bundler table: name -> factory, in the order bundlers run and are reported.

Adding a bundler means adding one line here. Factories import their package when called,
so reading the table (for ``--help`` or name checks) costs nothing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from eidos.bundlers.base import Bundler, BundlerFactory
from eidos.bundlers.config import BundleConfig
from eidos.errors import InvalidRequestError
from eidos.names import BUNDLERS

__all__ = ["BUILTIN_BUNDLERS", "select"]


def _gpu_operator(config: BundleConfig) -> Bundler:
    from eidos.bundlers.gpu_operator import GpuOperatorBundler

    return GpuOperatorBundler(config)


def _network_operator(config: BundleConfig) -> Bundler:
    from eidos.bundlers.network_operator import NetworkOperatorBundler

    return NetworkOperatorBundler(config)


#: Bundler name (from :data:`eidos.names.BUNDLERS`) -> factory, in run order.
BUILTIN_BUNDLERS: Mapping[str, BundlerFactory] = MappingProxyType(
    dict(zip(BUNDLERS, (_gpu_operator, _network_operator), strict=True))
)


def select(
    names: Iterable[str] | None = None,
    table: Mapping[str, BundlerFactory] = BUILTIN_BUNDLERS,
) -> list[tuple[str, BundlerFactory]]:
    """The factories for ``names`` in table order; ``None`` or empty selects all.

    Names are matched exactly (after trimming); duplicates collapse.

    Raises:
        InvalidRequestError: an unknown name, listing the valid ones.
    """
    wanted = {n.strip() for n in names or () if n.strip()}
    unknown = sorted(wanted - set(table))
    if unknown:
        plural = "s" if len(unknown) > 1 else ""
        raise InvalidRequestError(
            f"unknown bundler{plural} {', '.join(repr(u) for u in unknown)}; "
            f"valid bundlers: {', '.join(table)}"
        )
    return [(name, factory) for name, factory in table.items() if not wanted or name in wanted]
