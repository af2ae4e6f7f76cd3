"""Create, read and delete the few object kinds the agent deploys (RBAC, Job, Namespace).

Objects are plain manifest dicts; a small table maps ``apiVersion``/``kind`` to the REST
path and to the RBAC resource name used in error messages.
"""

from __future__ import annotations

from eidos.errors import InvalidRequestError
from eidos.kube.client import Kube
from eidos.kube.errors import Action

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["KINDS", "create_object", "delete_object", "list_objects", "read_object"]


class Kind:
    """Where a kind lives in the API: path prefix, plural, scope and RBAC resource name."""

    __slots__ = ("namespaced", "plural", "prefix", "rbac")

    def __init__(self, prefix: str, plural: str, namespaced: bool, rbac: str) -> None:
        self.prefix = prefix
        self.plural = plural
        self.namespaced = namespaced
        self.rbac = rbac


_RBAC = "/apis/rbac.authorization.k8s.io/v1"

#: The kinds eidos creates, by (apiVersion, kind).
KINDS: dict[tuple[str, str], Kind] = {
    ("v1", "Namespace"): Kind("/api/v1", "namespaces", False, "namespaces"),
    ("v1", "ServiceAccount"): Kind("/api/v1", "serviceaccounts", True, "serviceaccounts"),
    ("v1", "ConfigMap"): Kind("/api/v1", "configmaps", True, "configmaps"),
    ("rbac.authorization.k8s.io/v1", "Role"): Kind(
        _RBAC, "roles", True, "roles.rbac.authorization.k8s.io"
    ),
    ("rbac.authorization.k8s.io/v1", "RoleBinding"): Kind(
        _RBAC, "rolebindings", True, "rolebindings.rbac.authorization.k8s.io"
    ),
    ("rbac.authorization.k8s.io/v1", "ClusterRole"): Kind(
        _RBAC, "clusterroles", False, "clusterroles.rbac.authorization.k8s.io"
    ),
    ("rbac.authorization.k8s.io/v1", "ClusterRoleBinding"): Kind(
        _RBAC, "clusterrolebindings", False, "clusterrolebindings.rbac.authorization.k8s.io"
    ),
    ("batch/v1", "Job"): Kind("/apis/batch/v1", "jobs", True, "jobs.batch"),
}


def _locate(obj: dict[str, Any], verb: str) -> tuple[str, str, Action]:
    """(collection path, object path, action) for ``obj``."""
    key = (str(obj.get("apiVersion")), str(obj.get("kind")))
    kind = KINDS.get(key)
    if kind is None:
        raise InvalidRequestError(f"eidos does not manage {key[1]} ({key[0]}) objects")
    meta = obj.get("metadata") or {}
    name = str(meta.get("name") or "")
    namespace = str(meta.get("namespace") or "") if kind.namespaced else None
    if not name or (kind.namespaced and not namespace):
        raise InvalidRequestError(f"{key[1]} manifest lacks metadata.name or .namespace")
    base = (
        f"{kind.prefix}/namespaces/{namespace}/{kind.plural}"
        if namespace
        else (f"{kind.prefix}/{kind.plural}")
    )
    return base, f"{base}/{name}", Action(verb, kind.rbac, namespace, name)


def create_object(kube: Kube, obj: dict[str, Any]) -> dict[str, Any] | None:
    """Create ``obj`` and return it as the server stored it; None when it already exists."""
    base, _, action = _locate(obj, "create")
    resp = kube.request("POST", base, body=obj, action=action, allow=(409,))
    if resp.status == 409:
        return None
    data = resp.json()
    return data if isinstance(data, dict) else {}


def read_object(kube: Kube, obj: dict[str, Any]) -> dict[str, Any] | None:
    """The live object named like ``obj``, or None when it does not exist."""
    _, path, action = _locate(obj, "get")
    resp = kube.request("GET", path, action=action, allow=(404,))
    if resp.status == 404:
        return None
    data = resp.json()
    return data if isinstance(data, dict) else None


def delete_object(kube: Kube, obj: dict[str, Any], *, propagation: str = "Background") -> bool:
    """Delete the object named like ``obj`` (dependents too); False when it was gone."""
    _, path, action = _locate(obj, "delete")
    body = {"apiVersion": "v1", "kind": "DeleteOptions", "propagationPolicy": propagation}
    resp = kube.request("DELETE", path, body=body, action=action, allow=(404,))
    return resp.status != 404


def list_objects(
    kube: Kube,
    api_version: str,
    kind: str,
    *,
    namespace: str | None = None,
    label_selector: str = "",
) -> list[dict[str, Any]]:
    """Every object of ``kind`` (in ``namespace`` for namespaced kinds) matching the labels."""
    spec = KINDS.get((api_version, kind))
    if spec is None:
        raise InvalidRequestError(f"eidos does not manage {kind} ({api_version}) objects")
    ns = namespace if spec.namespaced else None
    path = f"{spec.prefix}/namespaces/{ns}/{spec.plural}" if ns else f"{spec.prefix}/{spec.plural}"
    items: list[dict[str, Any]] = []
    token = ""
    while True:
        params: dict[str, str | int] = {"limit": kube.settings.page_size}
        if label_selector:
            params["labelSelector"] = label_selector
        if token:
            params["continue"] = token
        page = kube.request("GET", path, params=params, action=Action("list", spec.rbac, ns)).json()
        for item in page.get("items") or []:
            if isinstance(item, dict):
                item.setdefault("apiVersion", api_version)
                item.setdefault("kind", kind)
                items.append(item)
        token = (page.get("metadata") or {}).get("continue") or ""
        if not token:
            return items
