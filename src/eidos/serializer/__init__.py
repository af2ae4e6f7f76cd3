"""Documents in and out: formats, input sources and output destinations (extension point 3)."""

from eidos.serializer.destinations import Destination, open_destination
from eidos.serializer.formats import FORMATS, dumps, loads, parse_format
from eidos.serializer.sources import read_document, read_text

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
