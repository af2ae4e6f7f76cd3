"""Read-only cluster queries used by the K8s collector: version, node, pods, ClusterPolicy.

Pods are listed cluster-wide in pages (``limit`` + ``continue``) and handed out one page at
a time, so memory stays bounded by one page however large the cluster is.
"""

from __future__ import annotations

from eidos.errors import UnavailableError
from eidos.kube.client import Kube
from eidos.kube.errors import ALL_NAMESPACES, Action

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Iterator
    from typing import Any

__all__ = ["list_cluster_policies", "list_nodes", "list_pods", "read_node", "server_version"]

#: The NVIDIA GPU Operator's ClusterPolicy (never Kyverno's kyverno.io ClusterPolicy).
CLUSTER_POLICY_PATH = "/apis/nvidia.com/v1/clusterpolicies"


def server_version(kube: Kube) -> dict[str, Any]:
    """``GET /version``: gitVersion, platform, goVersion, ..."""
    data = kube.request("GET", "/version", action=Action("get", "version")).json()
    return data if isinstance(data, dict) else {}


def read_node(kube: Kube, name: str) -> dict[str, Any]:
    """The Node object called ``name``.

    Raises:
        NotFoundError: no such node.
    """
    data = kube.request(
        "GET", f"/api/v1/nodes/{name}", action=Action("get", "nodes", name=name)
    ).json()
    return data if isinstance(data, dict) else {}


def list_nodes(kube: Kube, *, label_selector: str | None = None) -> list[dict[str, Any]]:
    """Every Node (matching ``label_selector``), listed page by page.

    Raises:
        UnauthorizedError: the caller may not list nodes (a cluster-scoped permission).
    """
    action = Action("list", "nodes")
    nodes: list[dict[str, Any]] = []
    token: str | None = None
    while True:
        params: dict[str, str | int] = {"limit": kube.settings.page_size}
        if token:
            params["continue"] = token
        if label_selector:
            params["labelSelector"] = label_selector
        resp = kube.request("GET", "/api/v1/nodes", params=params, action=action, allow=(410,))
        page = resp.json()
        if resp.status == 410:  # expired mid-way: start again (node lists are short)
            if token is None:
                raise _expired(action)
            nodes, token = [], None
            continue
        nodes += [n for n in page.get("items") or [] if isinstance(n, dict)]
        token = (page.get("metadata") or {}).get("continue")
        if not token:
            return nodes


def list_pods(
    kube: Kube,
    *,
    namespace: str | None = None,
    page_size: int | None = None,
    label_selector: str | None = None,
) -> Iterator[list[dict[str, Any]]]:
    """Yield pages of Pod objects, in every namespace unless ``namespace`` is given."""
    if namespace:
        path, action = (
            f"/api/v1/namespaces/{namespace}/pods",
            Action("list", "pods", namespace=namespace),
        )
    else:
        path, action = "/api/v1/pods", Action("list", "pods", namespace=ALL_NAMESPACES)
    limit = page_size or kube.settings.page_size
    token: str | None = None
    while True:
        params: dict[str, str | int] = {"limit": limit}
        if token:
            params["continue"] = token
        if label_selector:
            params["labelSelector"] = label_selector
        resp = kube.request("GET", path, params=params, action=action, allow=(410,))
        page = resp.json()
        if resp.status == 410:
            # The continue token expired; the Status carries one that resumes (possibly
            # inconsistently, which is fine for an inventory of images).
            token = (page.get("metadata") or {}).get("continue")
            if not token:
                raise _expired(action)
            continue
        yield list(page.get("items") or [])
        token = (page.get("metadata") or {}).get("continue")
        if not token:
            return


def _expired(action: Action) -> Exception:
    return UnavailableError(
        f"cannot {action.describe()}: the list expired mid-way (HTTP 410) "
        "and the server offered no way to resume; try again"
    )


def list_cluster_policies(kube: Kube) -> list[dict[str, Any]]:
    """Every ``nvidia.com`` ClusterPolicy; empty when the GPU Operator CRD is not installed."""
    resp = kube.request(
        "GET",
        CLUSTER_POLICY_PATH,
        allow=(404,),
        action=Action("list", "clusterpolicies.nvidia.com"),
    )
    if resp.status == 404:
        return []
    return list(resp.json().get("items") or [])
