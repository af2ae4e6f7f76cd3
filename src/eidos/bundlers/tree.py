"""FileTree: the files of a bundle, staged in memory before anything touches the disk.

Bundlers add files to a tree; the runner grafts each bundle's tree under its name and hands
the whole tree to an output (:mod:`eidos.bundlers.outdir` writes it as one directory, in one
atomic step). Paths are relative POSIX paths, checked when added, so no tree can name a file
outside its root; modes are fixed (scripts 0755, everything else 0644).
"""

from __future__ import annotations

from eidos.bundlers.result import FileRecord
from eidos.errors import InvalidRequestError

# Heavy seam: hashlib loads OpenSSL's libcrypto on import (~3.5 ms of a cold ``eidos
# bundle``, docs/performance.md) to hash ~75 KB. CPython's own SHA-256 -- the module hashlib
# itself falls back to -- starts in ~0.5 ms and hashes a bundle in ~0.5 ms; each file is
# hashed once. Where it is missing, hashlib's is used (tests/bundlers/test_tree.py checks
# the digests against hashlib and that one of these modules exists on CPython).
try:
    from _sha2 import sha256  # type: ignore[import-not-found]  # CPython 3.12+
except ImportError:
    try:
        from _sha256 import sha256  # type: ignore[import-not-found]  # CPython 3.11
    except ImportError:
        from hashlib import sha256

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["CHECKSUMS", "DIR_MODE", "FILE_MODE", "SCRIPT_MODE", "FileTree"]

CHECKSUMS = "checksums.txt"
FILE_MODE = 0o644
SCRIPT_MODE = 0o755
DIR_MODE = 0o755


def _parents(rel: str) -> list[str]:
    """The directories above ``rel`` (a checked path), deepest first: ``a/b/c`` -> a/b, a."""
    parents = []
    end = rel.rfind("/")
    while end > 0:
        parents.append(rel[:end])
        end = rel.rfind("/", 0, end)
    return parents


def _check_path(rel: str) -> None:
    """A relative POSIX path in normal form (no empty, ``.`` or ``..`` part), printable."""
    if (
        not rel
        or any(part in ("", ".", "..") for part in rel.split("/"))
        or "\\" in rel
        or not rel.isprintable()
    ):
        raise InvalidRequestError(f"invalid bundle file path {rel!r}")


class FileTree:
    """Relative path -> (content, mode), in the order the files were added."""

    def __init__(self) -> None:
        self._files: dict[str, tuple[bytes, int]] = {}
        self._dirs: set[str] = set()
        self._digests: dict[str, str] = {}

    def add(self, rel: str, data: bytes | str, *, executable: bool = False) -> None:
        """Stage ``data`` at ``rel`` (a normalised relative POSIX path).

        Raises:
            InvalidRequestError: an absolute, unnormalised or ``..`` path, a path added
                twice, or a file where a directory is (or the reverse).
        """
        _check_path(rel)
        parents = _parents(rel)
        if rel in self._files or rel in self._dirs or any(p in self._files for p in parents):
            raise InvalidRequestError(f"bundle file path {rel!r} is used twice")
        content = data.encode("utf-8") if isinstance(data, str) else bytes(data)
        self._files[rel] = (content, SCRIPT_MODE if executable else FILE_MODE)
        self._dirs.update(parents)

    def graft(self, prefix: str, other: FileTree) -> None:
        """Add every file of ``other`` under the directory ``prefix``."""
        for rel, (data, mode) in other.items():
            self.add(f"{prefix}/{rel}", data, executable=mode == SCRIPT_MODE)
            if rel in other._digests:
                self._digests[f"{prefix}/{rel}"] = other._digests[rel]

    def items(self) -> Iterator[tuple[str, tuple[bytes, int]]]:
        """(path, (content, mode)) in the order the files were added."""
        return iter(self._files.items())

    def dirs(self) -> list[str]:
        """Every directory the files need, each after its parent."""
        return sorted(self._dirs)

    def read(self, rel: str) -> bytes:
        """The content staged at ``rel``.

        Raises:
            KeyError: nothing is staged there.
        """
        return self._files[rel][0]

    def paths(self) -> list[str]:
        """Every file path, in the order the files were added."""
        return list(self._files)

    def records(self) -> tuple[FileRecord, ...]:
        """Path, size, sha256 and mode of every file."""
        return tuple(
            FileRecord(rel, len(data), self._digest(rel, data), mode)
            for rel, (data, mode) in self._files.items()
        )

    def _digest(self, rel: str, data: bytes) -> str:
        digest = self._digests.get(rel)
        if digest is None:
            digest = self._digests[rel] = sha256(data).hexdigest()
        return digest

    def add_checksums(self) -> None:
        """Add ``checksums.txt`` (``sha256sum -c`` format) listing every file so far."""
        lines = [f"{r.sha256}  {r.path}\n" for r in self.records()]
        self.add(CHECKSUMS, "".join(lines))

    def size(self) -> int:
        """Bytes of every file."""
        return sum(len(data) for data, _ in self._files.values())

    def __len__(self) -> int:
        return len(self._files)

    def __contains__(self, rel: object) -> bool:
        return rel in self._files
