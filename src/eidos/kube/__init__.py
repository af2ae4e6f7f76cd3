"""The one Kubernetes seam: the only package that talks to the API (through lightkube).

Build ``Kube(KubeSettings.from_env(...))`` once at the edge and pass it down; importing
this package is cheap, and the client library loads on the first request.
"""

from eidos.kube.client import Kube, Response
from eidos.kube.configmaps import (
    MAX_CONFIGMAP_BYTES,
    delete_configmap,
    read_configmap,
    write_configmap,
)
from eidos.kube.errors import ALL_NAMESPACES, Action
from eidos.kube.jobs import (
    JobState,
    Trouble,
    diagnose_pod,
    observe_job,
    observe_jobs,
    pod_log_tail,
    wait_for_job,
)
from eidos.kube.objects import create_object, delete_object, list_objects, read_object
from eidos.kube.reads import (
    list_cluster_policies,
    list_nodes,
    list_pods,
    read_node,
    server_version,
)
from eidos.kubeconfig import KubeSettings, KubeSource

__all__ = [
    "ALL_NAMESPACES",
    "MAX_CONFIGMAP_BYTES",
    "Action",
    "JobState",
    "Kube",
    "KubeSettings",
    "KubeSource",
    "Response",
    "Trouble",
    "create_object",
    "delete_configmap",
    "delete_object",
    "diagnose_pod",
    "list_cluster_policies",
    "list_nodes",
    "list_objects",
    "list_pods",
    "observe_job",
    "observe_jobs",
    "pod_log_tail",
    "read_configmap",
    "read_node",
    "read_object",
    "server_version",
    "wait_for_job",
    "write_configmap",
]
