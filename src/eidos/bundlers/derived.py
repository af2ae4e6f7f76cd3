"""What a profile derives from a recipe: the values it implies and the resources to write.

The interface between :mod:`.profiles` and the operators' packages, which must not import
each other.
"""

from __future__ import annotations

from eidos.bundlers.common import BundleMeta
from eidos.bundlers.config import BundleConfig

TYPE_CHECKING = False
if TYPE_CHECKING:  # typing costs ~4 ms of a cold ``eidos bundle``; only type checkers see it
    from typing import Any, Protocol

__all__ = ["ResourceDoc"]


class ResourceDoc:
    """A custom resource a profile writes.

    Its file name (under ``manifests/``), document, header comment lines, and whether the
    deployer applies it.
    """

    __slots__ = ("apply", "doc", "filename", "header")

    def __init__(self, filename: str, doc: dict[str, Any], header: list[str], apply: bool) -> None:
        self.filename = filename
        self.doc = doc
        self.header = header
        self.apply = apply


if TYPE_CHECKING:

    class Derived(Protocol):
        """What a profile derived from one recipe (settings and the values they imply)."""

        values: dict[str, Any]
        """Helm values merged over the component's values (they win)."""
        comments: dict[str, list[str]]
        """values block -> comment lines naming the recipe keys behind it."""

        def resources(self, values: dict[str, Any], config: BundleConfig) -> list[ResourceDoc]:
            """The custom resources, from the final values (after the user's overrides)."""
            ...

        def notes(self, values: dict[str, Any]) -> str:
            """Markdown for the README: what the recipe's settings turned on and off."""
            ...

        def warnings(self, meta: BundleMeta) -> list[str]:
            """Things to know before installing."""
            ...

        def gpu_node_labels(self) -> list[str]:
            """``key=value`` labels the deployer puts on GPU nodes after installing."""
            ...
