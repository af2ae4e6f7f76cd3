"""Where ``eidos bundle -o`` puts a bundle: a directory, an archive file or an OCI registry.

Every output takes the same :class:`~.tree.FileTree` and writes it in one step:

* ``DIR`` (default): :class:`~.outdir.OutputDir`, an atomic directory swap.
* ``FILE.tar.gz`` / ``FILE.tgz`` / ``FILE.zip``: a reproducible archive of the tree
  (:mod:`eidos.serializer.archive`), written to a temporary file and renamed.
* ``oci://REGISTRY/REPO[:TAG]``: that tar.gz pushed as a one-layer OCI artifact
  (:mod:`eidos.serializer.oci`, the only user of the OCI client library).

The archive and OCI modules are a heavy seam: they load only when such an output is
written, so the default directory path imports neither (nor tarfile, zipfile, gzip).
"""

from __future__ import annotations

import os

from eidos.bundlers.outdir import OutputDir
from eidos.bundlers.tree import FileTree
from eidos.errors import InvalidRequestError, IOFailureError

__all__ = ["ARCHIVE_SUFFIXES", "ArchiveOutput", "OciOutput", "entries", "open_output"]

ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".zip")
#: manifest annotation of every pushed bundle
_DESCRIPTION = "Cloud Native Stack deployment bundle, written by eidos bundle"


TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs ~5 ms of a cold ``eidos bundle``; only type checkers see it
    from typing import Protocol

    class Output(Protocol):
        """One ``-o`` target: checked before the bundle is made, written once after."""

        display: str

        def check(self) -> None:
            """Refuse early what :meth:`publish` would refuse, writing nothing."""

        def publish(self, tree: FileTree, *, mtime: float | None = None) -> None:
            """Write ``tree`` (every file dated ``mtime`` where the output keeps dates)."""


def entries(tree: FileTree) -> list[tuple[str, bytes, int]]:
    """(path, content, mode) of every file of ``tree``."""
    return [(path, data, mode) for path, (data, mode) in tree.items()]


def archive_bytes(tree: FileTree, kind: str, mtime: float | None) -> bytes:
    """``tree`` as a reproducible ``.tar.gz`` or ``.zip`` (files dated ``mtime``)."""
    from eidos.serializer import archive

    stamp = int(mtime or 0)
    if kind == ".zip":
        return archive.zip_bytes(entries(tree), mtime=max(stamp, archive.ZIP_EPOCH))
    return archive.tar_gz(entries(tree), mtime=stamp)


class ArchiveOutput:
    """``-o FILE.tar.gz|.tgz|.zip``: one archive file, replaced only with ``force``."""

    def __init__(self, path: str, *, force: bool = False) -> None:
        if ".." in path.split("/"):
            raise InvalidRequestError(f"output file {path!r} must not contain '..' components")
        self.display = path
        self.path = path
        self.kind = next(s for s in ARCHIVE_SUFFIXES if path.endswith(s))
        if self.kind == ".tgz":
            self.kind = ".tar.gz"
        self.force = force

    def check(self) -> None:
        """Refuse a directory, or an existing file without ``force``."""
        if os.path.isdir(self.path):
            raise IOFailureError(f"{self.display} is a directory; an archive name was expected")
        if os.path.exists(self.path) and not self.force:
            raise InvalidRequestError(f"{self.display} already exists; use --force to replace it")

    def publish(self, tree: FileTree, *, mtime: float | None = None) -> None:
        """Write the archive through a temporary file and a rename."""
        from pathlib import Path  # the archive seam (tarfile, zipfile load pathlib anyway)

        from eidos.serializer.archive import write_atomically

        self.check()
        data = archive_bytes(tree, self.kind, mtime)
        try:
            os.makedirs(os.path.dirname(self.path) or ".", exist_ok=True)
            write_atomically(Path(self.path), data)
        except OSError as exc:
            raise IOFailureError(f"cannot write {self.display}: {exc.strerror or exc}") from None


class OciOutput:
    """``-o oci://REGISTRY/REPO[:TAG]``: the bundle's tar.gz, pushed as an OCI artifact."""

    def __init__(self, uri: str, *, plain_http: bool = False, insecure_tls: bool = False) -> None:
        from eidos.serializer.oci import parse_reference

        self.reference = parse_reference(uri)
        self.uri = uri
        self.display = uri
        self.plain_http = plain_http
        self.insecure_tls = insecure_tls
        self.digest = ""

    def check(self) -> None:
        """Nothing to check before the push (the registry answers then)."""

    def publish(self, tree: FileTree, *, mtime: float | None = None) -> None:
        """Push the tar.gz; :attr:`display` then names the manifest digest too."""
        from eidos.serializer.oci import push

        self.digest = push(
            self.uri,
            archive_bytes(tree, ".tar.gz", mtime),
            annotations={"org.opencontainers.image.description": _DESCRIPTION},
            plain_http=self.plain_http,
            insecure_tls=self.insecure_tls,
        )
        if self.digest:
            self.display = f"{self.uri}@{self.digest}"


def open_output(
    target: str,
    *,
    force: bool = False,
    wait: bool = True,
    plain_http: bool = False,
    insecure_tls: bool = False,
    detach: bool = False,
) -> Output:
    """The output ``target`` names (see the module docstring).

    ``detach``: a replaced directory is removed by a detached process (the CLI).

    Raises:
        InvalidRequestError: a malformed target, or ``plain_http``/``insecure_tls`` for
            an output that is not ``oci://``.
    """
    text = os.fspath(target)
    if text.startswith("oci://"):
        return OciOutput(text, plain_http=plain_http, insecure_tls=insecure_tls)
    if plain_http or insecure_tls:
        flag = "--plain-http" if plain_http else "--insecure-tls"
        raise InvalidRequestError(f"{flag} applies to oci:// outputs only, not {text!r}")
    if "://" in text:
        raise InvalidRequestError(
            f"unsupported output {text!r}: expected a directory, FILE.tar.gz, FILE.tgz, "
            "FILE.zip or oci://REGISTRY/REPOSITORY[:TAG]"
        )
    if text.endswith(ARCHIVE_SUFFIXES) and not text.endswith("/"):
        return ArchiveOutput(text, force=force)
    return OutputDir(text, force=force, wait=wait, detach=detach)
