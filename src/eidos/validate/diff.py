"""``eidos diff A B``: what was added, removed or changed between two documents.

Both documents are flattened into entries ``path -> (group, key, value)``: a snapshot's
readings are grouped by measurement (``OS/sysctl``), a recipe's also by component
(``components/gpu-operator``, values as dot paths), constraint (``constraints``, by path)
and the request and order (``recipe``). Paths are what ``--ignore`` globs match.
"""

from __future__ import annotations

from eidos.errors import InvalidRequestError
from eidos.model.fleet import KIND_SNAPSHOT_LIST
from eidos.model.header import KIND_RECIPE, KIND_SNAPSHOT
from eidos.model.measurement import DocumentError
from eidos.model.recipe import Recipe
from eidos.model.snapshot import Snapshot
from eidos.validate.readings import SnapshotReadings
from eidos.validate.volatile import KeyFilter

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["MISSING", "Change", "DocumentDiff", "Entry", "document_entries", "reading_entries"]

#: (group, key, value)
Entry = tuple[str, str, "Any"]
#: (group, key, before, after); MISSING on the side that does not have the key
Change = tuple[str, str, "Any", "Any"]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


#: The value of a key on the side of a change where it does not exist.
MISSING: Any = _Missing()


def _meta(doc: dict[str, Any], out: dict[str, Entry]) -> None:
    meta = doc.get("metadata")
    for key, value in (meta if isinstance(meta, dict) else {}).items():
        out[f"metadata.{key}"] = ("metadata", str(key), value)


def reading_entries(doc: dict[str, Any]) -> dict[str, Entry]:
    """Entries of a Snapshot document (its frame checked; readings kept as they are)."""
    out: dict[str, Entry] = {}
    _meta(doc, out)
    for mtype, subtype, data in SnapshotReadings(doc).subtypes():
        group = f"{mtype}/{subtype}"
        prefix = f"{mtype}.{subtype}."
        for key, value in data.items():
            out[prefix + key] = (group, key, value)
    return out


def _nested(value: Any, group: str, prefix: str, path: str, out: dict[str, Entry]) -> None:
    if isinstance(value, dict) and value:
        for key, item in value.items():
            _nested(item, group, f"{prefix}.{key}" if prefix else str(key), f"{path}.{key}", out)
    else:
        out[path] = (group, prefix, value)


def _recipe_entries(recipe: Recipe, doc: dict[str, Any]) -> dict[str, Entry]:
    out: dict[str, Entry] = {}
    _meta(doc, out)
    for field, value in (doc.get("request") or {}).items():
        out[f"request.{field}"] = ("request", field, value)
    for key in ("matchedRules", "deploymentOrder"):
        if key in doc:
            out[key] = ("recipe", key, doc[key])
    for m in recipe.measurements:
        for sub in m.subtypes:
            for key, value in sub.data.items():
                out[f"{m.type}.{sub.name}.{key}"] = (f"{m.type}/{sub.name}", key, value)
    for ref in doc.get("componentRefs") or []:
        name = ref["name"]
        rest = {k: v for k, v in ref.items() if k != "name"}
        _nested(rest, f"components/{name}", "", f"components.{name}", out)
    for c in recipe.constraints:
        out[f"constraints.{c.path}"] = ("constraints", c.path, f"{c.check} [{c.severity}]")
    return out


def document_entries(raw: Any, origin: str) -> tuple[str, dict[str, Entry]]:
    """The kind (Snapshot or Recipe) and entries of a decoded document, fully checked.

    Raises:
        InvalidRequestError: neither a Snapshot nor a Recipe, or malformed.
    """
    kind = raw.get("kind") if isinstance(raw, dict) else None
    try:
        if kind == KIND_RECIPE:
            return kind, _recipe_entries(Recipe.from_dict(raw), raw)
        snapshot = Snapshot.from_dict(raw)
        return KIND_SNAPSHOT, reading_entries(snapshot.to_dict())
    except DocumentError as exc:
        text = str(exc)
        if text.startswith("not a Snapshot document"):
            got = "no 'kind' field" if kind is None else f"kind {kind!r}"
            text = f"not a Snapshot or Recipe document ({got})"
            if kind == KIND_SNAPSHOT_LIST:
                text += "; compare the nodes of a SnapshotList with --fleet"
        raise InvalidRequestError(f"{origin}: {text}") from None


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


class DocumentDiff:
    """The changes between two flattened documents, minus the keys the filter ignores."""

    def __init__(self, before: dict[str, Entry], after: dict[str, Entry], keys: KeyFilter) -> None:
        self.changes: list[Change] = []
        self.ignored = 0
        for path in sorted(before.keys() | after.keys()):
            if keys.ignored(path):
                self.ignored += 1
                continue
            old, new = before.get(path), after.get(path)
            if old is not None and new is not None and _same(old[2], new[2]):
                continue
            group, key = (old or new)[:2]  # type: ignore[index]
            self.changes.append(
                (
                    group,
                    key,
                    MISSING if old is None else old[2],
                    MISSING if new is None else new[2],
                )
            )
        self.changes.sort(key=lambda c: (c[0], c[1]))

    @property
    def equal(self) -> bool:
        """No change left after filtering."""
        return not self.changes

    def counts(self) -> dict[str, int]:
        """How many keys were added, removed, changed, and ignored."""
        added = sum(1 for c in self.changes if c[2] is MISSING)
        removed = sum(1 for c in self.changes if c[3] is MISSING)
        return {
            "added": added,
            "removed": removed,
            "changed": len(self.changes) - added - removed,
            "ignored": self.ignored,
        }

    def to_dict(self, a: str, b: str, kind: str) -> dict[str, Any]:
        """Wire form: both sources, the kind, counts and the changes grouped."""
        groups: dict[str, dict[str, list[Any]]] = {}
        for group, key, old, new in self.changes:
            bucket = groups.setdefault(group, {"added": [], "removed": [], "changed": []})
            if old is MISSING:
                bucket["added"].append({"key": key, "value": new})
            elif new is MISSING:
                bucket["removed"].append({"key": key, "value": old})
            else:
                bucket["changed"].append({"key": key, "from": old, "to": new})
        return {
            "kind": "Diff",
            "documentKind": kind,
            "a": a,
            "b": b,
            "equal": self.equal,
            "summary": self.counts(),
            "groups": [
                {"group": g, **{k: v for k, v in bucket.items() if v}}
                for g, bucket in groups.items()
            ],
        }
