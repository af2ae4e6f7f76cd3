"""``cm://namespace/name`` URIs: parsing here; reads and writes go through :mod:`eidos.kube`.

(The Kubernetes engineer owns the read/write half of this module: ConfigMapDestination and
read_configmap_text are completed together with eidos.kube.)
"""

from __future__ import annotations

import re

from eidos.errors import InvalidRequestError

__all__ = ["ConfigMapDestination", "parse_configmap_uri", "read_configmap_text"]

_DNS1123_LABEL = re.compile(r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?$")
_DNS1123_SUBDOMAIN = re.compile(
    r"^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"
)


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
    if len(namespace) > 63 or not _DNS1123_LABEL.match(namespace):
        raise InvalidRequestError(
            f"invalid ConfigMap URI {uri!r}: namespace {namespace!r} is not a valid "
            "Kubernetes name (lower-case letters, digits and '-', at most 63 characters)"
        )
    if len(name) > 253 or not _DNS1123_SUBDOMAIN.match(name):
        raise InvalidRequestError(
            f"invalid ConfigMap URI {uri!r}: name {name!r} is not a valid Kubernetes name "
            "(lower-case letters, digits, '-' and '.', at most 253 characters)"
        )
    return namespace, name
