"""``cm://namespace/name``: parse the URI, write a document into a ConfigMap, read one back.

Layout (as the reference): data keys ``<component>.<yaml|json>`` (``.txt`` for tables),
``format`` and ``timestamp``; labels ``app.kubernetes.io/name=eidos`` and
``app.kubernetes.io/component=<component>``. Reads and writes go through :mod:`eidos.kube`.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from eidos.errors import InvalidRequestError, NotFoundError
from eidos.names import READABLE_FORMATS

if TYPE_CHECKING:
    from eidos.kube import Kube

__all__ = [
    "COMPONENTS",
    "ConfigMapDestination",
    "configmap_document_text",
    "parse_configmap_uri",
    "read_configmap_text",
]

#: Documents a ConfigMap can hold, each under its own data keys.
COMPONENTS = ("snapshot", "recipe")
_EXTENSIONS = {"yaml": "yaml", "json": "json", "table": "txt"}

#: one flat pattern per label (no nested repeats: linear on any input)
_DNS1123_LABEL = re.compile(r"[a-z0-9]|[a-z0-9][-a-z0-9]*[a-z0-9]")


def parse_configmap_uri(uri: str) -> tuple[str, str]:
    """Split ``cm://namespace/name`` and validate both parts.

    Raises:
        InvalidRequestError: anything but exactly a valid namespace and a valid name.
    """
    if not uri.lower().startswith("cm://"):
        raise InvalidRequestError(f"not a ConfigMap URI: {uri!r}; expected cm://namespace/name")
    rest = uri[5:]
    parts = rest.split("/")
    if len(parts) != 2 or not parts[0] or not parts[1]:
        raise InvalidRequestError(f"invalid ConfigMap URI {uri!r}: expected cm://namespace/name")
    namespace, name = parts
    if len(namespace) > 63 or not _DNS1123_LABEL.fullmatch(namespace):
        raise InvalidRequestError(
            f"invalid ConfigMap URI {uri!r}: namespace {namespace!r} is not a valid "
            "Kubernetes name (lower-case letters, digits and '-', at most 63 characters)"
        )
    if len(name) > 253 or not all(_DNS1123_LABEL.fullmatch(p) for p in name.split(".")):
        raise InvalidRequestError(
            f"invalid ConfigMap URI {uri!r}: name {name!r} is not a valid Kubernetes name "
            "(lower-case letters, digits, '-' and '.', at most 253 characters)"
        )
    return namespace, name


class ConfigMapDestination:
    """A ConfigMap: created, or its data replaced when it exists (409-safe).

    Args:
        uri: ``cm://namespace/name`` (checked here, before any work starts).
        component: ``snapshot`` or ``recipe``.
        kube: the process's Kubernetes client; default one from the environment.
    """

    def __init__(self, uri: str, *, component: str, kube: Kube | None = None) -> None:
        self.namespace, self.name = parse_configmap_uri(uri)
        if component not in COMPONENTS:
            raise InvalidRequestError(
                f"a ConfigMap holds a {' or a '.join(COMPONENTS)}, not {component!r}"
            )
        self.component = component
        self.kube = kube

    def write(self, text: str, *, fmt: str) -> None:
        """Store ``text`` under ``<component>.<ext>`` with ``format`` and ``timestamp``."""
        from eidos import kube

        ext = _EXTENSIONS.get(fmt)
        if ext is None:
            raise InvalidRequestError(f"unknown output format {fmt!r}")
        data = {
            f"{self.component}.{ext}": text,
            "format": fmt,
            "timestamp": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        }
        labels = {"app.kubernetes.io/name": "eidos", "app.kubernetes.io/component": self.component}
        client = self.kube if self.kube is not None else kube.Kube()
        try:
            kube.write_configmap(client, self.namespace, self.name, data=data, labels=labels)
        finally:
            if self.kube is None:
                client.close()


def configmap_document_text(configmap: dict[str, Any], origin: str) -> str:
    """The document a ConfigMap holds: ``<component>.<format>``, else any snapshot/recipe key.

    Raises:
        InvalidRequestError: it holds only a table (tables cannot be read back).
        NotFoundError: it holds no snapshot or recipe document.
    """
    data: dict[str, Any] = configmap.get("data") or {}
    fmt = str(data.get("format") or "yaml")
    labels = (configmap.get("metadata") or {}).get("labels") or {}
    first = labels.get("app.kubernetes.io/component")
    components = sorted(COMPONENTS, key=lambda c: c != first)
    readable = READABLE_FORMATS
    candidates = [f"{c}.{fmt}" for c in components] if fmt in readable else []
    candidates += [f"{c}.{ext}" for c in components for ext in readable]
    for key in candidates:
        if isinstance(data.get(key), str):
            return str(data[key])
    if any(f"{c}.txt" in data for c in COMPONENTS):
        raise InvalidRequestError(
            f"{origin} holds a table (format: table), which cannot be read back; write it "
            "with -t yaml or -t json"
        )
    keys = ", ".join(sorted(data)) or "none"
    raise NotFoundError(f"{origin} holds no snapshot or recipe document (data keys: {keys})")


def read_configmap_text(uri: str, *, kube: Kube | None = None) -> str:
    """Read the document stored in the ConfigMap ``cm://namespace/name``.

    Raises:
        InvalidRequestError: a malformed URI, or a ConfigMap holding only a table.
        NotFoundError: no such ConfigMap, or no document in it.
        UnavailableError: the cluster cannot be reached (exit 4).
    """
    from eidos import kube as k

    namespace, name = parse_configmap_uri(uri)
    client = kube if kube is not None else k.Kube()
    try:
        configmap = k.read_configmap(client, namespace, name)
    except NotFoundError:
        raise NotFoundError(f"ConfigMap {namespace}/{name} not found ({uri})") from None
    finally:
        if kube is None:
            client.close()
    return configmap_document_text(configmap, uri)
