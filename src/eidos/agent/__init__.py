"""The in-cluster agent: least-privilege manifests and ``snapshot --deploy-agent``.

A use case beside the snapshotter: it deploys a Job that runs ``eidos snapshot`` on a GPU
node, waits for it, and returns the snapshot the Job stored in a ConfigMap; and it
removes what killed runs left behind (``--cleanup-only``).
"""

from eidos.agent.cleanup import CleanupReport, cleanup_runs
from eidos.agent.deploy import deploy_agent, new_run
from eidos.agent.manifests import (
    DEFAULT_IMAGE,
    DEFAULT_TOLERATIONS,
    AgentOptions,
    parse_node_selector,
    parse_toleration,
    render_manifests,
)

__all__ = [
    "DEFAULT_IMAGE",
    "DEFAULT_TOLERATIONS",
    "AgentOptions",
    "CleanupReport",
    "cleanup_runs",
    "deploy_agent",
    "new_run",
    "parse_node_selector",
    "parse_toleration",
    "render_manifests",
]
