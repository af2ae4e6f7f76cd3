"""Turn Kubernetes API answers into eidos errors that say what to do next.

A 403 names the missing permission and the ``kubectl auth can-i`` line that checks it;
an unreachable server names the server and the context.
"""

from __future__ import annotations

import json

from eidos.errors import (
    EidosError,
    InvalidRequestError,
    NotFoundError,
    UnauthorizedError,
    UnavailableError,
)

__all__ = ["ALL_NAMESPACES", "Action", "api_error", "status_causes", "status_message"]

#: Namespace value that means "every namespace" (cluster-wide list of a namespaced kind).
ALL_NAMESPACES = "*"


class Action:
    """What a request does, in RBAC terms, so errors can name the permission.

    ``verb``: get, list, create, update, patch, delete. ``resource``: with its group when
    not core (``configmaps``, ``jobs.batch``). ``namespace``: None for cluster-scoped
    resources, ``*`` for all namespaces. ``name``: the object, when the request names one.
    """

    __slots__ = ("name", "namespace", "resource", "verb")

    def __init__(
        self, verb: str, resource: str, namespace: str | None = None, name: str | None = None
    ) -> None:
        self.verb = verb
        self.resource = resource
        self.namespace = namespace
        self.name = name

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Action) and self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Action{self._key()!r}"

    def _key(self) -> tuple[str, str, str | None, str | None]:
        return (self.verb, self.resource, self.namespace, self.name)

    def describe(self) -> str:
        """E.g. ``get configmaps/eidos-snapshot in namespace gpu-operator``."""
        target = f"{self.resource}/{self.name}" if self.name else self.resource
        if self.namespace == ALL_NAMESPACES:
            return f"{self.verb} {target} in all namespaces"
        if self.namespace:
            return f"{self.verb} {target} in namespace {self.namespace}"
        return f"{self.verb} {target}"

    def can_i(self) -> str:
        """The kubectl line that checks this permission."""
        line = f"kubectl auth can-i {self.verb} {self.resource}"
        if self.name and self.verb not in ("create", "list"):
            line += f"/{self.name}"
        if self.namespace == ALL_NAMESPACES:
            return line + " --all-namespaces"
        if self.namespace:
            return line + f" -n {self.namespace}"
        return line


def status_message(body: bytes) -> str:
    """The ``message`` of a Kubernetes ``Status`` body, else the body's first line."""
    try:
        decoded = json.loads(body)
    except ValueError:
        decoded = None
    if isinstance(decoded, dict) and isinstance(decoded.get("message"), str):
        return str(decoded["message"])
    text = body.decode("utf-8", "replace").strip()
    return text.splitlines()[0][:200] if text else ""


def status_causes(body: bytes) -> set[str]:
    """The ``details.causes[].reason`` values of a Kubernetes ``Status`` body."""
    try:
        decoded = json.loads(body)
    except ValueError:
        return set()
    details = decoded.get("details") if isinstance(decoded, dict) else None
    causes = details.get("causes") if isinstance(details, dict) else None
    return {str(c.get("reason")) for c in causes or [] if isinstance(c, dict)}


def api_error(status: int, body: bytes, action: Action, *, server: str, context: str) -> EidosError:
    """The error for a definite, non-retryable answer ``status`` to ``action``."""
    message = status_message(body)
    detail = f": {message}" if message else ""
    if status == 401:
        return UnauthorizedError(
            f"the Kubernetes API at {server} rejected the credentials of context {context} "
            f"(401 Unauthorized){detail}; refresh them and check with: kubectl auth whoami"
        )
    if status == 403 and "NamespaceTerminating" in status_causes(body):
        where = action.namespace or "?"
        return UnavailableError(
            f"cannot {action.describe()}: namespace {where} is being deleted (terminating). "
            f"Wait until it is gone (kubectl get namespace {where}) and run again, or use "
            "another namespace",
            details={"reason": "NamespaceTerminating", "namespace": where},
        )
    if status == 403:
        return UnauthorizedError(
            f"forbidden: cannot {action.describe()} (403){detail}. The identity of context "
            f"{context} needs RBAC permission to {action.verb} {action.resource}; "
            f"check with: {action.can_i()}",
            details={
                "verb": action.verb,
                "resource": action.resource,
                "namespace": action.namespace or "",
            },
        )
    if status == 404:
        return NotFoundError(f"not found: cannot {action.describe()}{detail}")
    if status >= 500:
        return UnavailableError(
            f"the Kubernetes API at {server} failed to {action.describe()} (HTTP {status}){detail}"
        )
    return InvalidRequestError(
        f"the Kubernetes API refused to {action.describe()} (HTTP {status}){detail}"
    )
