"""``release`` subtype: the host's os-release (``/etc/os-release``, else ``/usr/lib/os-release``).

Read under the host root, so the agent reports the node's distribution, not its image's.
Quotes are trimmed; bare and empty entries are dropped; escapes are kept as written.
"""

from __future__ import annotations

from eidos.collectors._files import read_host_text
from eidos.collectors._keyvalue import parse_key_values, split_lines
from eidos.model import Reading, Subtype

__all__ = ["OS_RELEASE", "OS_RELEASE_FALLBACK", "parse_os_release", "read_release"]

OS_RELEASE = "/etc/os-release"
OS_RELEASE_FALLBACK = "/usr/lib/os-release"


def parse_os_release(text: str) -> dict[str, str]:
    """Parse os-release ``KEY=value`` lines; values keep their type: string."""
    return parse_key_values(split_lines(text), trim_chars="\"'", skip_empty=True)


def read_release(root: str) -> Subtype:
    """Read os-release; the fallback is used only when the primary file does not exist."""
    try:
        text = read_host_text(root, OS_RELEASE)
    except FileNotFoundError:
        text = read_host_text(root, OS_RELEASE_FALLBACK)
    data: dict[str, Reading] = dict(parse_os_release(text))
    return Subtype("release", data)
