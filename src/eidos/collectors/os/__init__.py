"""OS collector: the ``OS`` measurement (``grub``, ``sysctl``, ``kmod``, ``release``).

The four readers are plain functions of the host root, run one after the other (a few
milliseconds in all); ``stop`` is checked between them.
"""

from __future__ import annotations

import os

from eidos.collectors._files import reason
from eidos.collectors.host import CollectorCancelled, HostPaths
from eidos.collectors.os.grub import CMDLINE, read_grub
from eidos.collectors.os.kmod import MODULES, read_kmod
from eidos.collectors.os.release import OS_RELEASE, OS_RELEASE_FALLBACK, read_release
from eidos.collectors.os.sysctl import PROC_SYS, read_sysctl
from eidos.errors import CollectorError
from eidos.logging import get_logger
from eidos.model import Measurement, Subtype

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from threading import Event

__all__ = ["OsCollector"]

log = get_logger(__name__)

#: (reader, what it reads, host paths, absent is fine, reads procfs) in subtype order.
#: Every Linux has /proc/cmdline and /proc/sys; kernels without module support lack
#: /proc/modules and minimal images lack os-release, so those two are left out with a
#: warning. Procfs readers get the proc root, the others the host root.
_READERS: tuple[tuple[Callable[[str], Subtype], str, str, bool, bool], ...] = (
    (read_grub, "GRUB parameters", CMDLINE, False, True),
    (read_sysctl, "sysctl parameters", PROC_SYS, False, True),
    (read_kmod, "kernel modules", MODULES, True, True),
    (read_release, "OS release", f"{OS_RELEASE} or {OS_RELEASE_FALLBACK}", True, False),
)


class OsCollector:
    """Reads the host's kernel command line, sysctls, loaded modules and os-release."""

    name = "os"

    def __init__(self, host: HostPaths | None = None) -> None:
        self.host = host or HostPaths()

    def collect(self, *, stop: Event) -> Measurement:
        """Return the ``OS`` measurement; a missing or unreadable source is an error."""
        subtypes = []
        for reader, what, paths, optional, procfs in _READERS:
            if stop.is_set():
                raise CollectorCancelled
            where = self._where(procfs)
            try:
                subtypes.append(reader(self.host.proc if procfs else self.host.root))
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

    def _where(self, procfs: bool) -> str:
        root, proc = self.host.root, self.host.proc
        if procfs and proc != os.path.join(root, "proc"):
            return "" if proc == "/proc" else f" under proc root {proc}"
        return "" if root == "/" else f" under host root {root}"
