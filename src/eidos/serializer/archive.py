"""Reproducible archives of a file tree: tar.gz (``-o bundle.tar.gz``, OCI) and zip (the API).

The same entries always give the same bytes: entries sorted by path, each directory
listed before its files, one fixed modification time, owner and group 0 with no names,
the modes given, and (tar.gz) a gzip header with neither a time nor a file name.
"""

from __future__ import annotations

import gzip
import io
import os
import tarfile
import tempfile
import time
import zipfile
from collections.abc import Iterable
from pathlib import Path, PurePosixPath

__all__ = ["ZIP_EPOCH", "Entry", "tar_gz", "write_atomically", "zip_bytes"]

Entry = tuple[str, bytes, int]
"""(relative POSIX path, content, mode) of one file."""

DIR_MODE = 0o755
#: the earliest time a zip entry can carry (1980-01-01T00:00:00Z)
ZIP_EPOCH = 315532800


def _with_directories(entries: Iterable[Entry]) -> list[tuple[str, bytes | None, int]]:
    """Files plus every parent directory (content None), sorted by path."""
    files = {path: (data, mode) for path, data, mode in entries}
    dirs = {str(p) for path in files for p in PurePosixPath(path).parents if str(p) != "."}
    out: list[tuple[str, bytes | None, int]] = [(d, None, DIR_MODE) for d in dirs]
    out += [(path, data, mode) for path, (data, mode) in files.items()]
    return sorted(out, key=lambda e: e[0])


def tar_gz(entries: Iterable[Entry], *, mtime: int = 0) -> bytes:
    """A gzip-compressed POSIX (pax) tar of ``entries``, byte-identical for the same input."""
    raw = io.BytesIO()
    with tarfile.open(fileobj=raw, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for path, data, mode in _with_directories(entries):
            info = tarfile.TarInfo(path if data is not None else path + "/")
            info.mtime = mtime
            info.mode = mode
            info.uid = info.gid = 0
            info.uname = info.gname = ""
            if data is None:
                info.type = tarfile.DIRTYPE
                tar.addfile(info)
            else:
                info.size = len(data)
                tar.addfile(info, io.BytesIO(data))
    out = io.BytesIO()
    with gzip.GzipFile(filename="", mode="wb", fileobj=out, mtime=0, compresslevel=9) as gz:
        gz.write(raw.getvalue())
    return out.getvalue()


def zip_bytes(entries: Iterable[Entry], *, mtime: int = ZIP_EPOCH) -> bytes:
    """A deflated zip of ``entries``, byte-identical for the same input.

    ``mtime`` is clamped to the range a zip can hold (1980 to 2107, UTC).
    """
    stamp = max(min(mtime, 4354819199), ZIP_EPOCH)
    date_time = time.gmtime(stamp)[:6]
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for path, data, mode in _with_directories(entries):
            name = path if data is not None else path + "/"
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.create_system = 3  # Unix, so the modes below are honoured by unzip
            kind = 0o040000 if data is None else 0o100000
            info.external_attr = ((kind | mode) << 16) | (0x10 if data is None else 0)
            info.compress_type = zipfile.ZIP_STORED if data is None else zipfile.ZIP_DEFLATED
            zf.writestr(info, data or b"")
    return out.getvalue()


def write_atomically(path: Path, data: bytes, *, mode: int = 0o644) -> None:
    """Write ``data`` to ``path`` through a temporary file in the same directory and a rename.

    Readers see the old file or the complete new one, never a part; an interrupted run
    leaves no temporary file behind.

    Raises:
        OSError: the directory or file cannot be written.
    """
    fd, temp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(temp, mode)
        os.replace(temp, path)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
