"""Dot-path selectors into documents, as ``eidos query --selector`` and ``/v1/query`` use them.

``components.gpu-operator.values.driver.version`` walks mappings by key and lists by index
(``constraints.0.check``); ``.`` (or an empty selector) is the whole document. Keys that
themselves contain dots (``OS.sysctl./proc/sys/vm/swappiness`` under ``measurements``, or
a label such as ``nvidia.com/gpu.present``) are found by trying the longest run of
segments that is a key first.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["SelectorError", "nearest_keys", "resolve"]

_SHOWN = 12


class SelectorError(ValueError):
    """A selector that resolves to nothing; ``nearest`` lists the closest valid keys."""

    def __init__(self, message: str, nearest: list[str]) -> None:
        super().__init__(message)
        self.nearest = nearest


def resolve(doc: Any, selector: str) -> Any:
    """Return the value ``selector`` names in ``doc``.

    Raises:
        SelectorError: the path leaves the document; the message names the deepest valid
            prefix and the nearest keys there.
    """
    text = selector.strip()
    if text in ("", "."):
        return doc
    parts = text.removeprefix(".").split(".")
    current: Any = doc
    done: list[str] = []
    i = 0
    while i < len(parts):
        if isinstance(current, dict):
            step = _longest_key(current, parts, i)
            if step == 0:
                raise _missing(current, parts[i], done)
            key = ".".join(parts[i : i + step])
            current, i = current[key], i + step
            done.append(key)
        elif isinstance(current, list):
            index = parts[i]
            if not (index.isascii() and index.isdigit()) or int(index) >= len(current):
                where = ".".join(done) or "."
                raise SelectorError(
                    f"{where} is a list of {len(current)}; select an item by index "
                    f"0..{len(current) - 1}, not {index!r}",
                    [str(n) for n in range(min(len(current), _SHOWN))],
                )
            current, i = current[int(index)], i + 1
            done.append(index)
        else:
            where = ".".join(done)
            raise SelectorError(
                f"{where} is a value ({_render(current)}), it has no {parts[i]!r}", []
            )
    return current


def _longest_key(mapping: dict[str, Any], parts: list[str], start: int) -> int:
    for end in range(len(parts), start, -1):
        if ".".join(parts[start:end]) in mapping:
            return end - start
    return 0


def _distance(a: str, b: str) -> int:
    """Levenshtein distance (keys are short; the error path only)."""
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i]
        for j, cb in enumerate(b, 1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ca != cb)))
        previous = current
    return previous[-1]


def nearest_keys(wanted: str, keys: list[str], limit: int = 5) -> list[str]:
    """Keys within a few edits of ``wanted`` (or containing it, ignoring case), closest first."""
    low = wanted.lower()
    scored = []
    for key in keys:
        distance = _distance(low, key.lower()[:64])
        if distance <= max(2, len(wanted) // 3) or (len(low) > 2 and low in key.lower()):
            scored.append((distance, key))
    return [key for _, key in sorted(scored)[:limit]]


def _missing(mapping: dict[str, Any], wanted: str, done: list[str]) -> SelectorError:
    keys = [str(k) for k in mapping]
    nearest = nearest_keys(wanted[:64], keys)
    where = ".".join(done) or "the top level"
    if not keys:
        return SelectorError(f"no {wanted!r} under {where}: it is empty", [])
    shown = nearest or keys[:_SHOWN]
    label = "nearest" if nearest else "valid keys"
    more = "" if nearest or len(keys) <= _SHOWN else f" (and {len(keys) - _SHOWN} more)"
    return SelectorError(f"no {wanted!r} under {where}; {label}: {', '.join(shown)}{more}", shown)


def _render(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."
