"""Read and write ConfigMaps: create, or replace the data of an existing one, 409-safe.

An update sends the ``resourceVersion`` it read; when someone else changed the object in
between (409 Conflict), the object is read again and the write retried.
"""

from __future__ import annotations

from eidos.errors import InvalidRequestError, UnavailableError
from eidos.kube.client import Kube
from eidos.kube.errors import Action
from eidos.logging import get_logger

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["MAX_CONFIGMAP_BYTES", "delete_configmap", "read_configmap", "write_configmap"]

log = get_logger(__name__)

#: Kubernetes refuses ConfigMaps whose data values add up to more than 1 MiB.
MAX_CONFIGMAP_BYTES = 1 << 20

#: How many times a write is retried after a 409 Conflict before giving up.
CONFLICT_RETRIES = 5


def _path(namespace: str, name: str | None = None) -> str:
    base = f"/api/v1/namespaces/{namespace}/configmaps"
    return f"{base}/{name}" if name else base


def read_configmap(kube: Kube, namespace: str, name: str) -> dict[str, Any]:
    """The ConfigMap object.

    Raises:
        NotFoundError: it does not exist.
    """
    data = kube.request(
        "GET", _path(namespace, name), action=Action("get", "configmaps", namespace, name)
    ).json()
    return data if isinstance(data, dict) else {}


def data_size(data: dict[str, str]) -> int:
    """Bytes Kubernetes counts against the ConfigMap limit (the UTF-8 values)."""
    return sum(len(value.encode("utf-8")) for value in data.values())


def write_configmap(
    kube: Kube, namespace: str, name: str, *, data: dict[str, str], labels: dict[str, str]
) -> str:
    """Create the ConfigMap, or replace its data (and set ``labels``) when it exists.

    Returns:
        ``"created"`` or ``"updated"``.

    Raises:
        InvalidRequestError: the data exceeds the 1 MiB ConfigMap limit (nothing is sent).
        UnavailableError: still conflicting after several fresh reads.
    """
    size = data_size(data)
    if size > MAX_CONFIGMAP_BYTES:
        raise InvalidRequestError(
            f"cannot write ConfigMap {namespace}/{name}: the data is {size} bytes and a "
            f"ConfigMap holds at most {MAX_CONFIGMAP_BYTES} bytes (1 MiB); write to a file "
            "instead (-o FILE)"
        )
    for _ in range(CONFLICT_RETRIES):
        outcome = _try_write(kube, namespace, name, data, labels)
        if outcome is not None:
            log.info(f"{outcome} ConfigMap", namespace=namespace, name=name, bytes=size)
            return outcome
        log.debug("ConfigMap changed while writing; reading it again", name=name)
    raise UnavailableError(
        f"cannot write ConfigMap {namespace}/{name}: it kept changing underneath "
        f"({CONFLICT_RETRIES} conflicts in a row); try again"
    )


def _try_write(
    kube: Kube, namespace: str, name: str, data: dict[str, str], labels: dict[str, str]
) -> str | None:
    """One read-then-create-or-replace; None when a 409 says to read again."""
    current = kube.request(
        "GET",
        _path(namespace, name),
        action=Action("get", "configmaps", namespace, name),
        allow=(404,),
    )
    if current.status == 404:
        body: dict[str, Any] = {
            "apiVersion": "v1",
            "kind": "ConfigMap",
            "metadata": {"name": name, "namespace": namespace, "labels": labels},
            "data": data,
        }
        resp = kube.request(
            "POST",
            _path(namespace),
            body=body,
            allow=(409,),
            action=Action("create", "configmaps", namespace, name),
        )
        return "created" if resp.status != 409 else None
    body = current.json()
    meta = body.setdefault("metadata", {})
    meta["labels"] = {**(meta.get("labels") or {}), **labels}
    body["data"] = data
    body.pop("binaryData", None)
    resp = kube.request(
        "PUT",
        _path(namespace, name),
        body=body,
        allow=(409,),
        action=Action("update", "configmaps", namespace, name),
    )
    return "updated" if resp.status != 409 else None


def delete_configmap(kube: Kube, namespace: str, name: str) -> bool:
    """Delete the ConfigMap; False when it did not exist."""
    resp = kube.request(
        "DELETE",
        _path(namespace, name),
        allow=(404,),
        action=Action("delete", "configmaps", namespace, name),
    )
    return resp.status != 404
