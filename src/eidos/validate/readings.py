"""Find a constraint's reading in a decoded snapshot, or say why it is not there.

Only the frame of the document (measurements and subtypes) and the readings a constraint
names are looked at, which keeps a thousand-node validation within its budget; a full
``Snapshot.from_dict`` checks every reading and costs more than the decode itself.
Where a type or subtype appears twice, the first wins (as in :mod:`eidos.model`).
"""

from __future__ import annotations

from eidos.model.measurement import DocumentError, Reading, to_reading

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["ABSENT_MODULE", "Lookup", "SnapshotReadings"]

#: What a missing ``OS.kmod.<module>`` reads as when the snapshot lists the loaded modules.
ABSENT_MODULE = False

#: (reading or None, why it is absent or "", a note on how it was read or "")
Lookup = tuple["Reading | None", str, str]


class SnapshotReadings:
    """The ``(type, subtype) -> data`` frame of one decoded Snapshot document."""

    __slots__ = ("_subtypes", "_types")

    def __init__(self, doc: dict[str, Any]) -> None:
        self._types: set[str] = set()
        self._subtypes: dict[tuple[str, str], dict[str, Any]] = {}
        items = doc.get("measurements") or []
        if not isinstance(items, list):
            raise DocumentError("measurements: expected a list")
        for i, m in enumerate(items):
            mtype = m.get("type") if isinstance(m, dict) else None
            if not isinstance(mtype, str) or not mtype:
                raise DocumentError(f"measurements[{i}]: expected a mapping with a 'type'")
            subs = m.get("subtypes") or []
            if not isinstance(subs, list):
                raise DocumentError(f"measurements[{i}] ({mtype}).subtypes: expected a list")
            if mtype in self._types:
                continue
            self._types.add(mtype)
            for j, sub in enumerate(subs):
                name = sub.get("subtype") if isinstance(sub, dict) else None
                where = f"measurements[{i}] ({mtype}).subtypes[{j}]"
                if not isinstance(name, str) or not name:
                    raise DocumentError(f"{where}: expected a mapping with a 'subtype'")
                data = sub.get("data")
                if data is None:
                    data = {}
                if not isinstance(data, dict):
                    raise DocumentError(f"{where} ({name}).data: expected a mapping")
                self._subtypes.setdefault((mtype, name), data)

    def subtypes(self) -> list[tuple[str, str, dict[str, Any]]]:
        """Every ``(type, subtype, data)`` in document order (first of each kept)."""
        return [(mtype, sub, data) for (mtype, sub), data in self._subtypes.items()]

    def lookup(self, mtype: str, subtype: str, key: str) -> Lookup:
        """The reading at ``mtype.subtype.key`` with why it is absent, or how it was read.

        Raises:
            DocumentError: the value there is not a scalar reading.
        """
        data = self._subtypes.get((mtype, subtype))
        if data is None:
            if mtype not in self._types:
                return None, f"the snapshot has no {mtype} measurement", ""
            return None, f"the snapshot has no {mtype}/{subtype} subtype", ""
        if key in data:
            return to_reading(data[key], f"{mtype}.{subtype}.{key}"), "", ""
        if mtype == "OS" and subtype == "kmod":
            return ABSENT_MODULE, "", "not in the snapshot's loaded modules"
        return None, f"{mtype}/{subtype} has no key {key!r}", ""
