"""OS collector: the ``OS`` measurement (``grub``, ``sysctl``, ``kmod``, ``release``).

The four readers are plain functions of the host root; they run in one worker thread
because the ``/proc/sys`` walk is blocking file I/O.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from pathlib import Path

from eidos.collectors._files import reason
from eidos.collectors.base import HostPaths
from eidos.collectors.os.grub import CMDLINE, read_grub
from eidos.collectors.os.kmod import MODULES, read_kmod
from eidos.collectors.os.release import OS_RELEASE, OS_RELEASE_FALLBACK, read_release
from eidos.collectors.os.sysctl import PROC_SYS, read_sysctl
from eidos.errors import CollectorError
from eidos.logging import get_logger
from eidos.model import Measurement, Subtype

__all__ = ["OsCollector"]

log = get_logger(__name__)

#: (reader, what it reads, host paths, absent is fine) in subtype order. Every Linux
#: has /proc/cmdline and /proc/sys; kernels without module support lack /proc/modules
#: and minimal images lack os-release, so those two are left out with a warning.
_READERS: tuple[tuple[Callable[[Path], Subtype], str, str, bool], ...] = (
    (read_grub, "GRUB parameters", CMDLINE, False),
    (read_sysctl, "sysctl parameters", PROC_SYS, False),
    (read_kmod, "kernel modules", MODULES, True),
    (read_release, "OS release", f"{OS_RELEASE} or {OS_RELEASE_FALLBACK}", True),
)


class OsCollector:
    """Reads the host's kernel command line, sysctls, loaded modules and os-release."""

    name = "os"

    def __init__(self, host: HostPaths | None = None) -> None:
        self.host = host or HostPaths()

    async def collect(self) -> Measurement:
        """Return the ``OS`` measurement; a missing or unreadable source is an error."""
        return await asyncio.to_thread(self._collect)

    def _collect(self) -> Measurement:
        subtypes = []
        where = "" if self.host.root == Path("/") else f" under host root {self.host.root}"
        for reader, what, paths, optional in _READERS:
            try:
                subtypes.append(reader(self.host.root))
            except FileNotFoundError:
                if not optional:
                    raise CollectorError(
                        f"failed to read {what}: {paths} does not exist{where}"
                    ) from None
                log.warning(f"no {paths}{where}; the OS measurement has no {what}")
            except (OSError, ValueError) as exc:
                raise CollectorError(
                    f"failed to read {what} from {paths}{where}: {reason(exc)}"
                ) from exc
        return Measurement("OS", subtypes)
