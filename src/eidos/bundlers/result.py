"""What bundling produced: one BundleResult per component, aggregated into a BundleReport.

Plain read-only classes, not dataclasses: ``dataclasses`` loads ``inspect`` (and ``ast``,
``dis``, ``tokenize``), a measurable part of a cold ``eidos bundle`` (docs/performance.md).
"""

from __future__ import annotations

from eidos.errors import EidosError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any


class _ReadOnly:
    __slots__ = ()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"{type(self).__name__} is read-only: cannot set {name!r}")

    def _set(self, **values: object) -> None:
        for name, value in values.items():
            object.__setattr__(self, name, value)

    def _values(self) -> tuple[object, ...]:
        names: tuple[str, ...] = type(self).__slots__
        return tuple(getattr(self, n) for n in names)

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        names: tuple[str, ...] = type(self).__slots__
        fields = ", ".join(f"{n}={v!r}" for n, v in zip(names, self._values(), strict=True))
        return f"{type(self).__name__}({fields})"


__all__ = ["BundleReport", "BundleResult", "FileRecord"]


class FileRecord(_ReadOnly):
    """One written file: path relative to the bundle directory, size, digest, mode."""

    __slots__ = ("mode", "path", "sha256", "size")
    path: str
    size: int
    sha256: str
    mode: int

    def __init__(self, path: str, size: int, sha256: str, mode: int) -> None:
        self._set(path=path, size=size, sha256=sha256, mode=mode)

    def to_dict(self) -> dict[str, Any]:
        """Wire form for the summary."""
        return {
            "path": self.path,
            "size": self.size,
            "sha256": self.sha256,
            "mode": f"{self.mode:04o}",
        }


class BundleResult(_ReadOnly):
    """The outcome of one component: its files, or the error that stopped it.

    ``duration``: seconds its rendering took; ``cancelled``: it rendered but was not
    written (fail-fast: another component failed).
    """

    __slots__ = ("cancelled", "directory", "duration", "error", "files", "name", "warnings")
    name: str
    directory: str
    files: tuple[FileRecord, ...]
    duration: float
    warnings: tuple[str, ...]
    error: EidosError | None
    cancelled: bool

    def __init__(
        self,
        *,
        name: str,
        directory: str = "",
        files: tuple[FileRecord, ...] = (),
        duration: float = 0.0,
        warnings: tuple[str, ...] = (),
        error: EidosError | None = None,
        cancelled: bool = False,
    ) -> None:
        self._set(
            name=name,
            directory=directory,
            files=files,
            duration=duration,
            warnings=warnings,
            error=error,
            cancelled=cancelled,
        )

    @property
    def ok(self) -> bool:
        """Whether the bundle was written."""
        return self.error is None and not self.cancelled

    @property
    def status(self) -> str:
        """``ok``, ``failed`` or ``cancelled``."""
        if self.error is not None:
            return "failed"
        return "cancelled" if self.cancelled else "ok"

    @property
    def total_bytes(self) -> int:
        """Bytes of its files."""
        return sum(f.size for f in self.files)

    def to_dict(self) -> dict[str, Any]:
        """Wire form for ``--format json|yaml``."""
        out: dict[str, Any] = {
            "name": self.name,
            "status": self.status,
            "directory": self.directory,
            "files": [f.to_dict() for f in self.files],
            "totalFiles": len(self.files),
            "totalBytes": self.total_bytes,
            "durationMs": round(self.duration * 1000, 3),
        }
        if self.warnings:
            out["warnings"] = list(self.warnings)
        if self.error is not None:
            out["error"] = {"code": self.error.code, "message": self.error.message}
        return out


class BundleReport(_ReadOnly):
    """Every component of one run, in deployment order, and the bundle's totals.

    ``total_files``/``total_bytes``: the files of the bundle (the top-level files included).
    """

    __slots__ = ("duration", "output_dir", "results", "total_bytes", "total_files")
    output_dir: str
    results: tuple[BundleResult, ...]
    duration: float
    total_files: int
    total_bytes: int

    def __init__(
        self,
        *,
        output_dir: str,
        results: tuple[BundleResult, ...] = (),
        duration: float = 0.0,
        total_files: int = 0,
        total_bytes: int = 0,
    ) -> None:
        self._set(
            output_dir=output_dir,
            results=results,
            duration=duration,
            total_files=total_files,
            total_bytes=total_bytes,
        )

    @property
    def ok(self) -> bool:
        """Whether every component was bundled."""
        return bool(self.results) and all(r.ok for r in self.results)

    @property
    def failed(self) -> tuple[BundleResult, ...]:
        """Results with an error (cancelled ones are not failures of their own)."""
        return tuple(r for r in self.results if r.error is not None)

    def to_dict(self) -> dict[str, Any]:
        """Wire form for ``--format json|yaml``."""
        return {
            "outputDir": self.output_dir,
            "success": self.ok,
            "totalFiles": self.total_files,
            "totalBytes": self.total_bytes,
            "durationMs": round(self.duration * 1000, 3),
            "components": [r.to_dict() for r in self.results],
        }
