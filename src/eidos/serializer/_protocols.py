"""Typing-only protocols of the serializer (kept out of the CLI's start-up imports)."""

from __future__ import annotations

from typing import Protocol

__all__ = ["Destination"]


class Destination(Protocol):
    """Where a rendered document goes."""

    def write(self, text: str, *, fmt: str) -> None:
        """Write the whole document ``text`` (rendered in format ``fmt``)."""
