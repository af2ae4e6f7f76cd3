"""Versions with precision: parse, render, order and match at a criterion's precision.

A version has up to three numeric components; *precision* is how many were written.
Vendor extras after the numbers (``-1028-aws``, ``-eks-3025e55``, ``+build``) are kept
for display but never affect comparison or matching.

Matching is asymmetric, at the rule's precision::

    Version.parse("1.33").matches(Version.parse("v1.33.5-eks-3025e55"))   # True
    Version.parse("6.8").matches(Version.parse("6.8.0-1028-aws"))         # True
    Version.parse("1.33.5").matches(Version.parse("1.33"))                # False
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["Version", "VersionError"]

_MAX_DIGITS = 18


class VersionError(ValueError):
    """A string that is not a version; ``negative`` tells negatives from garbage."""

    def __init__(self, message: str, *, negative: bool = False) -> None:
        super().__init__(message)
        self.negative = negative


def _component(part: str, text: str) -> int:
    if part == "":
        raise VersionError(f"invalid version {text!r}: empty component")
    if part[0] == "-" and part[1:].isdigit() and part[1:].isascii():
        raise VersionError(
            f"invalid version {text!r}: components cannot be negative ({part})", negative=True
        )
    if not (part.isascii() and part.isdigit()):
        raise VersionError(f"invalid version {text!r}: component {part!r} is not a number")
    if len(part) > _MAX_DIGITS:
        raise VersionError(f"invalid version {text!r}: component {part!r} is too large")
    return int(part)


class Version:
    """An immutable version: major.minor.patch with precision 1..3 and optional extras."""

    __slots__ = ("extras", "major", "minor", "patch", "precision", "text")

    major: int
    minor: int
    patch: int
    precision: int
    extras: str
    text: str

    def __init__(
        self,
        major: int,
        minor: int = 0,
        patch: int = 0,
        *,
        precision: int = 3,
        extras: str = "",
        text: str | None = None,
    ) -> None:
        if min(major, minor, patch) < 0:
            raise VersionError("version components cannot be negative", negative=True)
        if precision not in (1, 2, 3):
            raise VersionError(f"version precision must be 1, 2 or 3, not {precision}")
        object.__setattr__(self, "major", major)
        object.__setattr__(self, "minor", minor)
        object.__setattr__(self, "patch", patch)
        object.__setattr__(self, "precision", precision)
        object.__setattr__(self, "extras", extras)
        object.__setattr__(self, "text", text if text is not None else self.short() + extras)

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError("Version is immutable")

    @classmethod
    def parse(cls, text: str) -> Version:
        """Parse ``[v]M[.m[.p]][extras]``; raise :class:`VersionError` with a clear message."""
        if not isinstance(text, str):
            raise VersionError(f"invalid version {text!r}: expected a string")
        raw = text.strip()
        if not raw:
            raise VersionError("invalid version '': the version is empty")
        body = raw[1:] if raw[0] in "vV" else raw
        if body.startswith("-") and body[1:2].isdigit():
            raise VersionError(
                f"invalid version {raw!r}: components cannot be negative", negative=True
            )
        split = len(body)
        for i in range(1, len(body)):
            if body[i] in "-+" and body[i - 1].isdigit() and body[i - 1].isascii():
                split = i
                break
        main, extras = body[:split], body[split:]
        parts = main.split(".")
        if len(parts) > 3:
            raise VersionError(f"invalid version {raw!r}: more than 3 numeric components")
        nums = [_component(p, raw) for p in parts]
        precision = len(nums)
        nums += [0] * (3 - precision)
        return cls(nums[0], nums[1], nums[2], precision=precision, extras=extras, text=raw)

    @classmethod
    def from_mapping(cls, data: dict[str, Any]) -> Version:
        """Read the reference's map form ``{major, minor, patch, precision, extras}``."""
        try:
            nums = [int(data.get(k) or 0) for k in ("major", "minor", "patch")]
            precision = int(data.get("precision") or 3)
        except (TypeError, ValueError) as exc:
            raise VersionError(f"invalid version mapping {data!r}: {exc}") from None
        extras = data.get("extras") or ""
        if not isinstance(extras, str):
            raise VersionError(f"invalid version mapping {data!r}: extras must be a string")
        if min(nums) < 0:
            raise VersionError(
                f"invalid version mapping {data!r}: negative component", negative=True
            )
        return cls(*nums, precision=precision, extras=extras)

    def short(self) -> str:
        """Numbers only, at this version's precision (``1.33``, ``6.8.0``)."""
        if self.precision == 1:
            return str(self.major)
        if self.precision == 2:
            return f"{self.major}.{self.minor}"
        return f"{self.major}.{self.minor}.{self.patch}"

    def __str__(self) -> str:
        return self.text

    def __repr__(self) -> str:
        return f"Version({self.text!r})"

    def _key(self) -> tuple[int, int, int]:
        return (self.major, self.minor, self.patch)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Version):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __lt__(self, other: Version) -> bool:
        return self._key() < other._key()

    def __le__(self, other: Version) -> bool:
        return self._key() <= other._key()

    def __gt__(self, other: Version) -> bool:
        return self._key() > other._key()

    def __ge__(self, other: Version) -> bool:
        return self._key() >= other._key()

    def matches(self, candidate: Version) -> bool:
        """True when ``candidate`` equals this version in every component this one names."""
        return self._key()[: self.precision] == candidate._key()[: self.precision]
