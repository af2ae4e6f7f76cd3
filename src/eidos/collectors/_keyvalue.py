"""Line and ``key=value`` parsing shared by the OS readers (the reference's file parser).

``split_lines`` trims every piece, drops empty ones and (by default) drops comment
pieces that start with ``#``; ``parse_key_values`` splits each piece at the first
delimiter. Example: ``'ro root=UUID=1 quiet'`` split on ``' '`` gives
``{'ro': '', 'root': 'UUID=1', 'quiet': ''}``.
"""

from __future__ import annotations

__all__ = ["parse_key_values", "split_lines"]


def split_lines(text: str, sep: str = "\n", *, skip_comments: bool = True) -> list[str]:
    """Split ``text`` on ``sep``; trim pieces; drop empty and ``#`` comment pieces."""
    lines = []
    for piece in text.split(sep):
        line = piece.strip()
        if not line or (skip_comments and line.startswith("#")):
            continue
        lines.append(line)
    return lines


def parse_key_values(
    lines: list[str],
    *,
    sep: str = "=",
    default: str = "",
    trim_chars: str = "",
    skip_empty: bool = False,
) -> dict[str, str]:
    """Map each line to key/value split at the first ``sep``; the last duplicate wins.

    Args:
        lines: pieces from :func:`split_lines`.
        sep: the key/value delimiter.
        default: value of a line without ``sep`` (a bare flag such as ``ro``).
        trim_chars: characters stripped (repeatedly) from both ends of each value.
        skip_empty: drop entries whose value ends up empty.
    """
    out: dict[str, str] = {}
    for line in lines:
        key, found, value = line.partition(sep)
        key = key.strip()
        value = value.strip() if found else default
        if trim_chars:
            value = value.strip(trim_chars)
        if skip_empty and not value:
            continue
        out[key] = value
    return out
