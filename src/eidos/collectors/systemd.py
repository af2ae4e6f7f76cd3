"""SystemD collector: the ``SystemD`` measurement, one subtype per configured unit.

Asks systemd over D-Bus for every property of each unit (``GetAll`` on
``/org/freedesktop/systemd1/unit/<escaped name>``), first on the system bus, then on
systemd's private socket. Units that do not exist come back as systemd reports them
(``LoadState: not-found``). No reachable systemd — no socket, a bus on which nobody owns
``org.freedesktop.systemd1`` or whose attempt to start it fails — means an empty
measurement and a warning. The D-Bus client (jeepney, ~12 ms to import) is loaded only
when a socket is there to talk to.
"""

from __future__ import annotations

import errno
import os
import time

from eidos.collectors._gofmt import go_value
from eidos.collectors.host import DEFAULT_SYSTEMD_UNITS, CollectorCancelled, HostPaths
from eidos.errors import CollectorError
from eidos.logging import get_logger
from eidos.model import Measurement, Reading, Subtype

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence
    from threading import Event
    from typing import Any

    from eidos.collectors._dbus import Connection

__all__ = ["SystemdCollector", "escape_path_label", "to_reading", "unit_object_path"]

log = get_logger(__name__)

SYSTEMD = "org.freedesktop.systemd1"
_UNIT_PREFIX = "/org/freedesktop/systemd1/unit/"
_FILTERED = frozenset(
    {"AllowedCPUs", "AllowedMemoryNodes", "Asserts", "BPFProgram", "BusName", "Id"}
)
#: Replies meaning "no systemd behind this bus": try the next address. ``Spawn.*`` is a
#: bus that tried to start systemd on demand and failed (a container, WSL, OpenRC).
_ABSENT = frozenset(
    {"org.freedesktop.DBus.Error.ServiceUnknown", "org.freedesktop.DBus.Error.NameHasNoOwner"}
)
_ABSENT_PREFIX = "org.freedesktop.DBus.Error.Spawn."
_ALNUM = frozenset(b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")


def escape_path_label(name: str) -> str:
    """Escape a unit name for an object path: ``containerd.service`` -> ``containerd_2eservice``.

    Every byte outside ``[A-Za-z0-9]``, and a leading digit, becomes ``_`` plus two hex
    digits (systemd's ``bus_label_escape``).
    """
    if not name:
        return "_"
    out = []
    for i, byte in enumerate(name.encode("utf-8")):
        if byte in _ALNUM and not (i == 0 and 0x30 <= byte <= 0x39):
            out.append(chr(byte))
        else:
            out.append(f"_{byte:02x}")
    return "".join(out)


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

    def collect(self, *, stop: Event) -> Measurement:
        """Return the ``SystemD`` measurement (empty, with a warning, without systemd)."""
        tried = []
        for address, bus in self.addresses():
            missing = _missing_socket(address)
            if missing:
                tried.append(f"{address} ({missing})")
                continue
            from eidos.collectors._dbus import Connection, DBusCallError

            try:
                conn = Connection.open(address, bus=bus, timeout=self.timeout, stop=stop)
            except (OSError, ValueError, DBusCallError) as exc:
                if stop.is_set():
                    raise CollectorCancelled from exc
                tried.append(f"{address} ({_why(exc)})")
                continue
            try:
                return Measurement("SystemD", self._describe(conn, stop))
            except _NoSystemd as exc:
                tried.append(f"{address} ({exc})")
            finally:
                conn.close()
        log.warning(
            "systemd is not reachable; the SystemD measurement is empty", tried="; ".join(tried)
        )
        return Measurement("SystemD", [])

    def _describe(self, conn: Connection, stop: Event) -> list[Subtype]:
        from eidos.collectors._dbus import DBusCallError

        subtypes = []
        for unit in self.units:
            conn.deadline = time.monotonic() + self.timeout
            try:
                props = conn.get_all(unit_object_path(unit), destination=SYSTEMD)
            except DBusCallError as exc:
                if exc.name in _ABSENT or exc.name.startswith(_ABSENT_PREFIX):
                    raise _NoSystemd(str(exc)) from exc
                raise CollectorError(f"failed to get properties of unit {unit}: {exc}") from exc
            except (OSError, ValueError) as exc:
                if stop.is_set():
                    raise CollectorCancelled from exc
                raise CollectorError(
                    f"failed to get properties of unit {unit}: {_why(exc)}"
                ) from exc
            subtypes.append(Subtype(unit, unit_readings(props)))
        return subtypes


def _missing_socket(address: str) -> str | None:
    """Why ``address`` cannot be a socket (without loading the D-Bus client), else None."""
    prefix = "unix:path="
    if not address.startswith(prefix) or any(c in address for c in ",;"):
        return None
    try:
        os.stat(address[len(prefix) :])
    except OSError as exc:
        return exc.strerror or os.strerror(exc.errno or errno.ENOENT)
    return None


def _why(exc: BaseException) -> str:
    if isinstance(exc, TimeoutError):
        return "timed out"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__
