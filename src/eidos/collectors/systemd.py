"""SystemD collector: the ``SystemD`` measurement, one subtype per configured unit.

Asks systemd over D-Bus for every property of each unit (``GetAll`` on
``/org/freedesktop/systemd1/unit/<escaped name>``), first on the system bus, then on
systemd's private socket. Units that do not exist come back as systemd reports them
(``LoadState: not-found``). No reachable systemd means an empty measurement and a warning.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Sequence
from typing import Any

from eidos.collectors._dbus import Connection, DBusCallError, escape_path_label
from eidos.collectors._gofmt import go_value
from eidos.collectors.base import DEFAULT_SYSTEMD_UNITS, HostPaths
from eidos.errors import CollectorError
from eidos.logging import get_logger
from eidos.model import Measurement, Reading, Subtype

__all__ = ["SystemdCollector", "to_reading", "unit_object_path"]

log = get_logger(__name__)

SYSTEMD = "org.freedesktop.systemd1"
_UNIT_PREFIX = "/org/freedesktop/systemd1/unit/"
_FILTERED = frozenset(
    {"AllowedCPUs", "AllowedMemoryNodes", "Asserts", "BPFProgram", "BusName", "Id"}
)
#: Replies meaning "no systemd behind this bus": try the next address.
_ABSENT = frozenset(
    {"org.freedesktop.DBus.Error.ServiceUnknown", "org.freedesktop.DBus.Error.NameHasNoOwner"}
)


def unit_object_path(unit: str) -> str:
    """``containerd.service`` -> ``/org/freedesktop/systemd1/unit/containerd_2eservice``."""
    return _UNIT_PREFIX + escape_path_label(unit)


def to_reading(signature: str, value: Any) -> Reading:
    """Type a property by its D-Bus signature (the reference's rules).

    ``t``/``x`` -> int, ``b`` -> bool, ``d`` -> float, ``s``/``o``/``g`` -> str,
    ``y n q i u h`` -> decimal string, ``v`` -> its content, containers -> Go ``%v`` text.
    """
    if signature in ("t", "x"):
        return int(value)
    if signature == "b":
        return bool(value)
    if signature == "d":
        return float(value)
    if signature in ("s", "o", "g"):
        return str(value)
    if signature in ("y", "n", "q", "i", "u", "h"):
        return str(int(value))
    if signature == "v":
        inner_sig, inner = value
        return to_reading(inner_sig, inner)
    return go_value(signature, value)


def unit_readings(props: dict[str, tuple[str, Any]]) -> dict[str, Reading]:
    """Typed readings of one unit, minus identifiers and credential settings."""
    return {
        name: to_reading(sig, value)
        for name, (sig, value) in props.items()
        if name not in _FILTERED and "Credential" not in name
    }


class _NoSystemd(Exception):
    """The bus is up but nobody owns ``org.freedesktop.systemd1``."""


class SystemdCollector:
    """Reports the properties of a fixed list of systemd units."""

    name = "systemd"

    def __init__(
        self,
        units: Sequence[str] = DEFAULT_SYSTEMD_UNITS,
        *,
        host: HostPaths | None = None,
        timeout: float = 30.0,
    ) -> None:
        self.units = tuple(units) or ("containerd.service",)
        self.host = host or HostPaths()
        self.timeout = timeout

    def addresses(self) -> list[tuple[str, bool]]:
        """Where systemd is tried, in order: ``(D-Bus address, is a message bus)``."""
        system_bus = os.environ.get("DBUS_SYSTEM_BUS_ADDRESS", "").strip() or (
            f"unix:path={self.host.host('/run/dbus/system_bus_socket')}"
        )
        private = f"unix:path={self.host.host('/run/systemd/private')}"
        return [(system_bus, True), (private, False)]

    async def collect(self) -> Measurement:
        """Return the ``SystemD`` measurement (empty, with a warning, without systemd)."""
        tried = []
        for address, bus in self.addresses():
            try:
                async with asyncio.timeout(self.timeout):
                    conn = await Connection.open(address, bus=bus)
            except (OSError, ValueError, TimeoutError, DBusCallError) as exc:
                tried.append(f"{address} ({_why(exc)})")
                continue
            try:
                return Measurement("SystemD", await self._describe(conn))
            except _NoSystemd as exc:
                tried.append(f"{address} ({exc})")
            finally:
                await conn.close()
        log.warning(
            "systemd is not reachable; the SystemD measurement is empty", tried="; ".join(tried)
        )
        return Measurement("SystemD", [])

    async def _describe(self, conn: Connection) -> list[Subtype]:
        subtypes = []
        for unit in self.units:
            try:
                async with asyncio.timeout(self.timeout):
                    props = await conn.get_all(unit_object_path(unit), destination=SYSTEMD)
            except DBusCallError as exc:
                if exc.name in _ABSENT:
                    raise _NoSystemd(str(exc)) from exc
                raise CollectorError(f"failed to get properties of unit {unit}: {exc}") from exc
            except (OSError, ValueError, TimeoutError) as exc:
                raise CollectorError(
                    f"failed to get properties of unit {unit}: {_why(exc)}"
                ) from exc
            subtypes.append(Subtype(unit, unit_readings(props)))
        return subtypes


def _why(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "timed out"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
