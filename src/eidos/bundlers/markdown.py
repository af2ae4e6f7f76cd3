"""Markdown for the bundle's README: escaped cells and tables built as plain strings.

Plain Python instead of a template engine: Jinja2's import alone cost a cold ``eidos
bundle`` ~35 ms (docs/performance.md), more than the rest of the bundle.
"""

from __future__ import annotations

from eidos.bundlers.recipe_keys import clean_text
from eidos.charsets import ALNUM

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Sequence

__all__ = ["cell", "sh", "table"]


def cell(value: object) -> str:
    """One line of recipe text made safe inside a table cell or a sentence."""
    text = clean_text(str(value))
    for raw, safe in (("|", "\\|"), ("<", "&lt;"), (">", "&gt;"), ("`", "'")):
        text = text.replace(raw, safe)
    return text


#: what ``shlex.quote`` leaves unquoted (ASCII ``\w`` and ``@%+=:,./-``); shlex itself is
#: not used: it loads ``re`` (with ``enum``), ~5 ms of a cold ``eidos bundle``
_SHELL_SAFE = ALNUM | frozenset("_@%+=:,./-")


def sh(value: object) -> str:
    """A shell word, quoted when it needs to be (exactly as ``shlex.quote`` quotes it)."""
    text = str(value)
    if text and _SHELL_SAFE.issuperset(text):
        return text
    return "'" + text.replace("'", "'\"'\"'") + "'"


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A Markdown table; every cell escaped."""
    lines = ["| " + " | ".join(headers) + " |", "|" + " --- |" * len(headers)]
    lines += ["| " + " | ".join(cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"
