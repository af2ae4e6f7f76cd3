"""Which nodes a fleet run snapshots, what its Jobs are called, and how it paces itself.

:func:`select_nodes` lists the nodes (GPU nodes by default, or those of a label selector)
and sets aside, with the reason, those no agent can run on: cordoned or not ready nodes.
:func:`job_name` gives each node's Job a name that is a valid label value (63 characters)
and still shows the node. :class:`TokenBucket` bounds the rate of Job creation.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from eidos import kube
from eidos.agent.manifests import GPU_NODE_LABELS

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "DEFAULT_PARALLEL",
    "DEFAULT_RATE",
    "FleetSettings",
    "TokenBucket",
    "job_name",
    "select_nodes",
]

#: Agent Jobs that exist at once unless ``--parallel`` says otherwise.
DEFAULT_PARALLEL = 20
#: Agent Jobs created per second at most (after a burst of as many): what a
#: controller's client-side limit would allow; 429s slow it further.
DEFAULT_RATE = 20.0

#: Longest Job name: Kubernetes puts it in the pods' ``job-name`` label.
_MAX_JOB_NAME = 63


@dataclass(frozen=True, kw_only=True)
class FleetSettings:
    """How hard a fleet run may push the API server."""

    parallel: int = DEFAULT_PARALLEL
    """Agent Jobs that exist at once (each node's Job is deleted as soon as it is read)."""

    rate: float = DEFAULT_RATE
    """Jobs created per second at most (a token bucket holding ``burst`` tokens)."""

    burst: int = 20
    """Jobs that may be created back to back before ``rate`` applies."""

    poll: float = 2.0
    """Seconds between two looks at the run's Jobs (two list requests each)."""


class TokenBucket:
    """``rate`` tokens a second, at most ``burst`` saved up; :meth:`take` spends one."""

    def __init__(self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic):
        self.rate = rate
        self.burst = max(burst, 1)
        self._clock = clock
        self._tokens = float(self.burst)
        self._at = clock()

    def wait(self) -> float:
        """Seconds until a token is there (0 when one is)."""
        now = self._clock()
        self._tokens = min(self.burst, self._tokens + (now - self._at) * self.rate)
        self._at = now
        # (a hair below 1 counts: a wait of 1e-17 s would not move a clock at 1e3 s)
        return 0.0 if self._tokens >= 1 - 1e-9 else (1 - self._tokens) / self.rate

    def take(self) -> None:
        """Spend a token (call when :meth:`wait` said 0)."""
        self.wait()
        self._tokens = max(self._tokens - 1, 0.0)


def job_name(run: str, node: str) -> str:
    """``<run>-<node>`` when that is a valid Job name, else a cut slug and a hash of the node.

    Example: run ``eidos-agent-3f9a1c`` and node ``ip-10-0-1-7.ec2.internal`` give
    ``eidos-agent-3f9a1c-ip-10-0-1-7-ec2-internal-5d41f2`` (dots are not allowed; the hash
    keeps two nodes that differ only there apart).
    """
    slug = re.sub(r"[^a-z0-9-]+", "-", node.lower()).strip("-") or "node"
    name = f"{run}-{slug}"
    if slug == node and len(name) <= _MAX_JOB_NAME:
        return name
    digest = hashlib.sha256(node.encode("utf-8")).hexdigest()[:6]
    room = _MAX_JOB_NAME - len(run) - len(digest) - 2
    return f"{run}-{slug[:room].rstrip('-')}-{digest}"


def select_nodes(
    client: kube.Kube, node_selector: dict[str, str]
) -> tuple[list[str], dict[str, str]]:
    """(nodes to run an agent on, nodes left out with the reason), by name.

    Without ``node_selector``, the NVIDIA GPU nodes (GPU feature discovery's or NFD's
    label, as the single agent's placement); with it, every node carrying those labels.

    Raises:
        UnauthorizedError: the caller may not list nodes.
    """
    selector = ",".join(f"{k}={v}" for k, v in sorted(node_selector.items()))
    targets: list[str] = []
    left_out: dict[str, str] = {}
    for node in kube.list_nodes(client, label_selector=selector or None):
        meta = node.get("metadata") or {}
        name = str(meta.get("name") or "")
        labels = meta.get("labels") or {}
        if not name or (
            not node_selector and not any(labels.get(k) == "true" for k in GPU_NODE_LABELS)
        ):
            continue
        why = _unusable(node)
        if why:
            left_out[name] = why
        else:
            targets.append(name)
    return sorted(targets), left_out


def _unusable(node: dict[str, Any]) -> str:
    """Why no agent can run on ``node`` now ("" when one can)."""
    name = (node.get("metadata") or {}).get("name")
    if (node.get("spec") or {}).get("unschedulable"):
        return f"the node is cordoned (kubectl uncordon {name} to include it)"
    for cond in (node.get("status") or {}).get("conditions") or []:
        if cond.get("type") == "Ready" and cond.get("status") != "True":
            reason = cond.get("reason") or cond.get("status") or "Unknown"
            return f"the node is not Ready ({reason}); look with: kubectl describe node {name}"
    return ""
