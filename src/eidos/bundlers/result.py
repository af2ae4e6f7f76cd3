"""What bundling produced: one BundleResult per bundler, aggregated into a BundleReport."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from eidos.errors import EidosError

__all__ = ["BundleReport", "BundleResult", "FileRecord"]


@dataclass(frozen=True, slots=True)
class FileRecord:
    """One written file: path relative to the bundle directory, size, digest, mode."""

    path: str
    size: int
    sha256: str
    mode: int

    def to_dict(self) -> dict[str, Any]:
        """Wire form for the summary."""
        return {
            "path": self.path,
            "size": self.size,
            "sha256": self.sha256,
            "mode": f"{self.mode:04o}",
        }


@dataclass(frozen=True, kw_only=True)
class BundleResult:
    """The outcome of one component: its files, or the error that stopped it."""

    name: str
    directory: str = ""
    files: tuple[FileRecord, ...] = ()
    duration: float = 0.0
    """Seconds from the start of the bundler's work to its end."""
    warnings: tuple[str, ...] = ()
    error: EidosError | None = None
    cancelled: bool = False
    """True when it rendered but was not written (fail-fast: another component failed)."""

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


@dataclass(frozen=True, kw_only=True)
class BundleReport:
    """Every component of one run, in deployment order, and the bundle's totals."""

    output_dir: str
    results: tuple[BundleResult, ...] = field(default_factory=tuple)
    duration: float = 0.0
    total_files: int = 0
    """Files of the bundle (the top-level files included)."""
    total_bytes: int = 0
    """Bytes of those files."""

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
