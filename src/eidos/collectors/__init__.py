"""Collectors (extension point 1): each reads one part of a node into one measurement.

:data:`BUILTIN` is the explicit, ordered table of built-in collectors; a factory turns
the shared :class:`CollectorSettings` into a collector and imports its module lazily,
so importing this package stays cheap. Add a collector with one module and one entry.
The Protocols ``Collector`` and ``CommandRunner`` (``eidos.collectors.base``) are handed
out on first access: they need ``typing``, which ``eidos snapshot`` never loads.
"""

from __future__ import annotations

from eidos.collectors.host import (
    DEFAULT_SYSTEMD_UNITS,
    CollectorCancelled,
    CollectorSettings,
    CommandResult,
    HostPaths,
    SubprocessRunner,
)
from eidos.errors import InvalidRequestError
from eidos.names import COLLECTORS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    from eidos.collectors.base import Collector, CommandRunner

__all__ = [
    "BUILTIN",
    "DEFAULT_SYSTEMD_UNITS",
    "Collector",
    "CollectorCancelled",
    "CollectorSettings",
    "CommandResult",
    "CommandRunner",
    "HostPaths",
    "SubprocessRunner",
    "builtin_collectors",
]


def __getattr__(name: str) -> object:
    if name in ("Collector", "CommandRunner"):
        from eidos.collectors import base

        return getattr(base, name)
    raise AttributeError(f"module 'eidos.collectors' has no attribute {name!r}")


def _systemd(settings: CollectorSettings) -> Collector:
    from eidos.collectors.systemd import SystemdCollector

    return SystemdCollector(settings.systemd_units, host=settings.host, timeout=settings.timeout)


def _os(settings: CollectorSettings) -> Collector:
    from eidos.collectors.os import OsCollector

    return OsCollector(settings.host)


def _k8s(settings: CollectorSettings) -> Collector:
    from eidos.collectors.kubernetes import KubernetesCollector

    return KubernetesCollector(settings.kube, node=settings.node)


def _gpu(settings: CollectorSettings) -> Collector:
    from eidos.collectors.gpu import GpuCollector

    return GpuCollector(
        runner=settings.runner, executable=settings.nvidia_smi, timeout=settings.timeout
    )


#: Collector name (from :data:`eidos.names.COLLECTORS`) -> factory, in snapshot order
#: (SystemD, OS, K8s, GPU).
BUILTIN: dict[str, Callable[[CollectorSettings], Collector]] = dict(
    zip(COLLECTORS, (_systemd, _os, _k8s, _gpu), strict=True)
)


def builtin_collectors(
    settings: CollectorSettings,
    names: Iterable[str] | None = None,
) -> list[Collector]:
    """Build the built-in collectors, or only those called ``names`` (case-insensitive).

    Raises:
        InvalidRequestError: an unknown name (the message lists the valid ones).
    """
    if names is None:
        wanted = list(BUILTIN)
    else:
        wanted = [n.strip().lower() for n in names if n.strip()]
        unknown = [n for n in wanted if n not in BUILTIN]
        if unknown or not wanted:
            what = (
                f"unknown collector {', '.join(map(repr, unknown))}"
                if unknown
                else ("no collector selected")
            )
            raise InvalidRequestError(f"{what}; valid collectors: {', '.join(BUILTIN)}")
    return [factory(settings) for name, factory in BUILTIN.items() if name in wanted]
