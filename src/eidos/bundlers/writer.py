"""BundleWriter: render one bundle's templates and stage its files, checksums last.

Nothing here touches the output directory: files go into a :class:`~.tree.FileTree` in
memory, and the runner writes every bundle of a run in one step (:mod:`.outdir`).
"""

from __future__ import annotations

import functools
import os
import shlex
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from eidos.bundlers.recipe_keys import clean_text
from eidos.bundlers.result import FileRecord
from eidos.bundlers.tree import CHECKSUMS, FileTree
from eidos.errors import InvalidRequestError

__all__ = ["BundleWriter"]

#: templates every bundler may include (``{% include "_script_common.sh.j2" %}``)
SHARED_TEMPLATES = Path(__file__).parent / "templates"


def _markdown(value: Any) -> str:
    text = clean_text(str(value))
    for raw, safe in (("|", "\\|"), ("<", "&lt;"), (">", "&gt;"), ("`", "'")):
        text = text.replace(raw, safe)
    return text


def _bytecode_cache() -> Any:
    """Jinja2's on-disk bytecode cache in the user's cache dir, or None if unusable.

    Compiling the templates costs a cold ``eidos bundle`` ~45 ms; with the cache a process
    loads the compiled code instead. Entries are keyed by template source checksum.
    """
    import jinja2

    from eidos import __version__

    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    directory = os.path.join(base, "eidos", f"jinja2-{__version__}")
    try:
        os.makedirs(directory, mode=0o700, exist_ok=True)
    except OSError:
        return None
    if not os.access(directory, os.W_OK):
        return None
    return jinja2.FileSystemBytecodeCache(directory)


@functools.lru_cache(maxsize=16)
def _environment(directory: Path) -> Any:
    """One Jinja2 environment per template directory, kept for the process.

    Templates are package data that never change while eidos runs, so compiled templates
    are reused (compiling is ~80 % of a bundle's cost); rendering is thread-safe.
    """
    import jinja2

    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader([str(directory), str(SHARED_TEMPLATES)]),
        undefined=jinja2.StrictUndefined,
        auto_reload=False,
        keep_trailing_newline=True,
        autoescape=False,
        trim_blocks=True,
        lstrip_blocks=True,
        bytecode_cache=_bytecode_cache(),
    )
    env.filters["sh"] = lambda value: shlex.quote(str(value))
    env.filters["md"] = _markdown
    return env


class BundleWriter:
    """Stages one bundle's files (paths relative to the bundle directory) in ``tree``."""

    def __init__(
        self, name: str, *, tree: FileTree | None = None, templates: Path | None = None
    ) -> None:
        self.name = name
        self.tree = tree if tree is not None else FileTree()
        self._templates = templates
        self._env: Any = None

    def render(self, template: str, context: Mapping[str, Any]) -> str:
        """Render ``templates/<template>`` (Jinja2, StrictUndefined) with ``context``."""
        if self._templates is None:
            raise InvalidRequestError(f"{self.name}: this bundler has no templates")
        if self._env is None:
            self._env = _environment(self._templates)
        text: str = self._env.get_template(template).render(**context)
        return text

    def add(self, rel: str, text: str, *, executable: bool = False) -> None:
        """Stage a file at ``rel`` (a relative POSIX path inside the bundle)."""
        if rel == CHECKSUMS:
            raise InvalidRequestError(f"{self.name}: invalid bundle file path {rel!r}")
        try:
            self.tree.add(rel, text, executable=executable)
        except InvalidRequestError as exc:
            raise InvalidRequestError(f"{self.name}: {exc.message}") from None

    def finish(self) -> tuple[FileRecord, ...]:
        """Add ``checksums.txt`` (every staged file, in staging order); every file's record."""
        self.tree.add_checksums()
        return self.tree.records()
