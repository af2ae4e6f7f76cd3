"""Container images of a component: found in its values, listed, rewritten to a mirror.

The registry says where each image lives in a chart's values (``paths.images``: the values
paths of its registry, repository, name and tag, the boolean that deploys it, and the
chart's own defaults). An image's reference is ``registry/repository/name:tag`` with the
parts a chart does not use left out, each part taken from the values or else the default;
a reference without a registry host is Docker Hub's (``docker.io/library/busybox:1``).

``--registry HOST[/PATH]`` moves every image under the mirror, keeping its path:
``nvcr.io/nvidia/driver:580`` -> ``HOST/PATH/nvidia/driver:580``. The rewritten part is
written into the values, so values.yaml and images.txt always agree.
"""

from __future__ import annotations

from eidos.charsets import ALNUM, DIGITS, LOWER_DIGITS, digits, token
from eidos.errors import BundlerValidationError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["component_images", "get_path", "manifest_images", "qualify", "rewrite_images"]

_PARTS = ("registry", "repository", "name")
# host[:port], 1-16 lower-case path segments, then :tag or @sha256:digest, checked part by
# part by character class (the tests hold each check against its pattern):
#   host     [a-z0-9][a-z0-9.-]{0,252}(:[0-9]{1,5})?
#   segment  [a-z0-9][a-z0-9._-]{0,127}
#   tag      [A-Za-z0-9_][A-Za-z0-9_.-]{0,127}
#   digest   sha256:[a-f0-9]{64}
_HOST_REST = LOWER_DIGITS | frozenset(".-")
_SEGMENT_REST = LOWER_DIGITS | frozenset("._-")
_TAG_FIRST = ALNUM | {"_"}
_TAG_REST = ALNUM | frozenset("_.-")
_HEX = DIGITS | frozenset("abcdef")


def _host(text: str) -> bool:
    host, colon, port = text.partition(":")
    return token(host, LOWER_DIGITS, _HOST_REST, longest=253) and (
        not colon or digits(port, longest=5)
    )


def _segment(text: str) -> bool:
    return token(text, LOWER_DIGITS, _SEGMENT_REST, longest=128)


def _tag(text: str) -> bool:
    return token(text, _TAG_FIRST, _TAG_REST, longest=128)


def _digest(text: str) -> bool:
    return len(text) == 71 and text.startswith("sha256:") and _HEX.issuperset(text[7:])


def _valid(reference: str) -> bool:
    name, at, digest = reference.partition("@")
    if at:
        ok = _digest(digest)
    else:
        name, colon, tag = reference.rpartition(":")
        ok = bool(colon) and "/" not in tag and _tag(tag)
    host, *path = name.split("/")
    return ok and 1 <= len(path) <= 16 and _host(host) and all(_segment(p) for p in path)


def get_path(values: dict[str, Any], path: str) -> tuple[bool, Any]:
    """(found, value) at the dotted ``path`` of ``values``."""
    node: Any = values
    for key in path.split("."):
        if not isinstance(node, dict) or key not in node:
            return False, None
        node = node[key]
    return True, node


def _set_path(values: dict[str, Any], path: str, value: Any) -> None:
    *parents, last = path.split(".")
    node = values
    for key in parents:
        child = node.get(key)
        if not isinstance(child, dict):
            child = node[key] = {}
        node = child
    node[last] = value


def _has_host(first: str) -> bool:
    return "." in first or ":" in first or first == "localhost"


def qualify(reference: str) -> str:
    """A reference with its registry host (Docker Hub's made explicit)."""
    first, slash, _ = reference.partition("/")
    if slash and _has_host(first):
        return reference
    return f"docker.io/{reference}" if slash else f"docker.io/library/{reference}"


def _part(values: dict[str, Any], entry: dict[str, Any], part: str) -> str:
    path = entry.get(part)
    if path is None:
        return ""
    found, value = get_path(values, path)
    if found and value not in (None, "") and not isinstance(value, dict | list | bool):
        return str(value)
    return str(entry.get("default", {}).get(part, ""))


def _enabled(values: dict[str, Any], entry: dict[str, Any]) -> bool:
    path = entry.get("enabled")
    if path is not None:
        found, value = get_path(values, path)
        if found and isinstance(value, bool):
            return value
    return bool(entry.get("default", {}).get("enabled", True))


def _reference(component: str, values: dict[str, Any], entry: dict[str, Any]) -> str:
    parts = [_part(values, entry, p) for p in _PARTS]
    tag = _part(values, entry, "tag")
    if tag and not tag.startswith("sha256:"):
        tag += entry.get("suffix", "")
    where = entry.get("tag") or entry.get("repository") or entry.get("registry")
    if not tag:
        raise BundlerValidationError(
            f"{component}: the image at {where} has no tag (set it with --set "
            f"{component}:{where}=TAG)",
            details={"component": component, "path": where},
        )
    separator = "@" if tag.startswith("sha256:") else ":"
    reference = qualify("/".join(p.strip("/") for p in parts if p) + separator + tag)
    if not _valid(reference):
        raise BundlerValidationError(
            f"{component}: {reference!r} (values {where}) is not an image reference "
            "such as nvcr.io/nvidia/driver:580.95.05",
            details={"component": component, "path": where},
        )
    return reference


def component_images(component: str, values: dict[str, Any], entries: list[Any]) -> list[str]:
    """The references of the images the chart deploys with ``values``, in entry order.

    Raises:
        BundlerValidationError: an image without a tag, or not an image reference.
    """
    out: list[str] = []
    for entry in entries:
        if entry.get("optional") and not _part(values, entry, "tag"):
            continue  # a legacy operand at a chart default eidos does not know
        if _enabled(values, entry):
            reference = _reference(component, values, entry)
            if reference not in out:
                out.append(reference)
    return out


def _moved(value: str, mirror: str) -> str:
    first, slash, rest = value.partition("/")
    if _has_host(first):
        return f"{mirror}/{rest}" if slash else mirror
    return f"{mirror}/{value}" if slash else f"{mirror}/library/{value}"


def rewrite_images(values: dict[str, Any], entries: list[Any], mirror: str) -> None:
    """Point every image of ``entries`` at ``mirror``, in ``values`` (in place).

    The part that holds the registry host (the registry, else the repository, else the
    name) is rewritten once, also where several images share it.
    """
    done: set[str] = set()
    for entry in entries:
        part = next(p for p in (*_PARTS, "") if not p or p in entry)
        if not part or entry[part] in done:
            continue
        done.add(entry[part])
        current = _part(values, entry, part)
        if current:
            _set_path(values, entry[part], _moved(current, mirror))


def manifest_images(doc: Any, mirror: str | None = None) -> list[str]:
    """Images a Kubernetes object deploys, rewritten to ``mirror`` (in place) when given.

    Containers' ``image`` strings and the operators' ``{repository, image, version}`` blocks.
    """
    out: list[str] = []
    if isinstance(doc, list):
        for item in doc:
            out.extend(manifest_images(item, mirror))
        return out
    if not isinstance(doc, dict):
        return out
    block = [doc.get(k) for k in ("repository", "image", "version")]
    if all(isinstance(v, str) and v for v in block):
        if mirror:
            doc["repository"] = _moved(doc["repository"], mirror)
        out.append(qualify(f"{doc['repository']}/{doc['image']}:{doc['version']}"))
    for key in ("containers", "initContainers"):
        for container in doc.get(key) or ():
            image = container.get("image") if isinstance(container, dict) else None
            if isinstance(image, str) and image:
                if mirror:
                    container["image"] = image = _moved(qualify(image), mirror)
                out.append(qualify(image))
    for key, value in doc.items():
        if key not in ("containers", "initContainers") and isinstance(value, dict | list):
            out.extend(manifest_images(value, mirror))
    return out
