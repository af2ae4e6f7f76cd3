"""Durations as users type them: ``90``, ``90s``, ``500ms``, ``5m``, ``1h``, ``1m30s``.

The one parser for every timeout and delay eidos reads (CLI flags and the API server's
settings), so that what works in one place works everywhere. A bare number is seconds.
"""

from __future__ import annotations

import math

__all__ = ["DURATION_HELP", "format_duration", "parse_duration"]

#: How to describe the accepted form in help texts and errors.
DURATION_HELP = "a duration such as 90, 90s, 500ms, 5m, 1h or 1m30s"

_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def _number_end(raw: str, pos: int) -> int:
    """End of the number at ``raw[pos:]`` (``12``, ``1.5``, ``5.``, ``.5``), or ``pos``.

    Hand-written rather than a regular expression: ``re`` (with ``enum``) costs ~5 ms of
    start-up that ``eidos snapshot`` does not pay otherwise. Digits are what a regex digit and
    ``float()`` accept (``str.isdecimal``).
    """
    end = pos
    while end < len(raw) and raw[end].isdecimal():
        end += 1
    whole = end > pos
    if end < len(raw) and raw[end] == ".":
        frac = end + 1
        while frac < len(raw) and raw[frac].isdecimal():
            frac += 1
        if whole or frac > end + 1:
            return frac
    return end


def parse_duration(text: str) -> float:
    """Seconds in ``text``: a bare number (seconds) or number+unit parts, largest first.

    Example: ``"90"`` -> 90.0, ``"1m30s"`` -> 90.0, ``"1.5h"`` -> 5400.0.

    Raises:
        ValueError: anything else (negative numbers, unknown units, units out of order,
            ``inf``/``nan``); the message quotes ``text``.
    """
    raw = text.strip().lower()
    if raw and _number_end(raw, 0) == len(raw):
        return float(raw)
    total, pos, last = 0.0, 0, math.inf
    while pos < len(raw):
        end = _number_end(raw, pos)
        unit = "ms" if raw.startswith("ms", end) else raw[end : end + 1]
        scale = _UNITS.get(unit)
        if end == pos or scale is None or scale >= last:
            raise ValueError(f"invalid duration {text!r}: expected {DURATION_HELP}")
        last = scale
        total += float(raw[pos:end]) * scale
        pos = end + len(unit)
    if not raw or not math.isfinite(total):
        raise ValueError(f"invalid duration {text!r}: expected {DURATION_HELP}")
    return total


def format_duration(seconds: float) -> str:
    """Short text for ``seconds``: ``90`` -> ``1m30s``, ``0.5`` -> ``500ms``, ``300`` -> ``5m``."""
    if seconds < 1:
        return f"{seconds * 1000:g}ms"
    if seconds < 60 or seconds != int(seconds):
        return f"{seconds:g}s"
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    parts = [
        f"{hours}h" if hours else "",
        f"{minutes}m" if minutes else "",
        f"{secs}s" if secs else "",
    ]
    return "".join(parts)
