"""Documents in and out: formats, input sources and output destinations (extension point 3)."""

from eidos.serializer.destinations import open_destination
from eidos.serializer.formats import FORMATS, dumps, loads, parse_format
from eidos.serializer.sources import read_document, read_text

TYPE_CHECKING = False
if TYPE_CHECKING:
    from eidos.serializer._protocols import Destination


def __getattr__(name: str) -> object:
    if name == "Destination":
        from eidos.serializer._protocols import Destination

        return Destination
    raise AttributeError(f"module 'eidos.serializer' has no attribute {name!r}")


__all__ = [
    "FORMATS",
    "Destination",
    "dumps",
    "loads",
    "open_destination",
    "parse_format",
    "read_document",
    "read_text",
]
