"""Kubernetes options of ``eidos snapshot`` and its ``--deploy-agent`` mode.

``add_options`` only declares options (argparse only); ``open_kube`` builds the process's
one Kubernetes client (if a cluster is configured), and ``run_agent`` runs the snapshot
as a Job on a GPU node (``--all-nodes``: one per node, in :mod:`eidos.cli._fleet`).
"""

from __future__ import annotations

import os
import sys
import time

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any

__all__ = ["add_options", "check_options", "no_cluster", "open_kube", "run_agent"]

#: Options that only make sense with --deploy-agent, and those that make no sense with it.
_AGENT_ONLY = (
    "all_nodes",
    "parallel",
    "namespace",
    "node_selector",
    "toleration",
    "image",
    "runtime_class",
    "keep",
    "cleanup_only",
)
#: Seconds --deploy-agent waits for the agent unless --timeout says otherwise.
DEFAULT_AGENT_TIMEOUT = 300.0
_LOCAL_ONLY = ("host_root", "proc_root", "collectors", "systemd_units", "best_effort")


def add_options(p: argparse.ArgumentParser, *, then: str = "") -> None:
    """Declare --kubeconfig/--context/--node and the --deploy-agent group.

    ``then`` says what another command does with the agent's snapshot (``eidos validate``);
    such a command does not offer --cleanup-only, which is the snapshot command's.
    """
    k = p.add_argument_group("kubernetes")
    k.add_argument(
        "--kubeconfig",
        metavar="FILE",
        help="kubeconfig file (default $KUBECONFIG, then ~/.kube/config, then the "
        "in-cluster service account)",
    )
    k.add_argument(
        "--context", metavar="NAME", help="kubeconfig context to use (default its current-context)"
    )
    k.add_argument(
        "--node",
        metavar="NAME",
        help="node the K8s measurement describes (default $NODE_NAME); with "
        "--deploy-agent, the node the agent runs on",
    )
    a = p.add_argument_group("agent (snapshot a GPU node from inside the cluster)")
    a.add_argument(
        "--deploy-agent",
        action="store_true",
        help="create RBAC and a Job that runs 'eidos snapshot' on a GPU node, wait "
        f"for it, {then or 'write its snapshot where -o says'}, then delete what was created",
    )
    a.add_argument(
        "--namespace",
        metavar="NS",
        help="namespace of the agent (default eidos; created when it does not exist, "
        "shared by all runs, removed only by --cleanup-only)",
    )
    a.add_argument(
        "--node-selector",
        metavar="KEY=VALUE",
        action="append",
        help="run on a node with these labels (repeatable; default any NVIDIA GPU "
        "node: nvidia.com/gpu.present=true or NFD's pci-10de.present=true); with "
        "--all-nodes, on every node with them",
    )
    a.add_argument(
        "--toleration",
        metavar="KEY[=VALUE][:EFFECT]",
        action="append",
        help="also tolerate this taint (repeatable; nvidia.com/gpu taints are always tolerated)",
    )
    a.add_argument(
        "--image",
        metavar="IMAGE",
        help="agent image (default $EIDOS_AGENT_IMAGE, else the released eidos image of "
        "this version; docs/release.md says how to build and push your own)",
    )
    a.add_argument(
        "--runtime-class",
        metavar="NAME",
        help="RuntimeClass that injects nvidia-smi, e.g. nvidia (default the node's "
        "default runtime)",
    )
    a.add_argument(
        "--keep",
        action="store_true",
        help="leave the Job, RBAC objects and ConfigMap in place for inspection",
    )
    if then:
        return
    a.add_argument(
        "--cleanup-only",
        action="store_true",
        help="deploy nothing: remove what killed runs left in the namespace (runs past "
        "their deadline only), then the namespace if eidos made it and it is empty",
    )
    a.add_argument(
        "--all-nodes",
        action="store_true",
        help="one agent Job per node: every NVIDIA GPU node, or every node matching "
        "--node-selector; -o DIR/ writes <node>.json each, -o FILE one SnapshotList (up "
        "to ~160 nodes: eidos reads documents up to 16 MiB); exit 1 if a node gave no "
        "snapshot (the others are written)",
    )
    a.add_argument(
        "--parallel",
        metavar="N",
        type=int,
        help="with --all-nodes, agent Jobs at once (default 20; created at most 20 a second)",
    )


def open_kube(args: argparse.Namespace) -> Any:
    """The one Kubernetes client of this process (no connection is made yet).

    None when no cluster is configured at all: then ``eidos.kube`` is not even loaded.
    """
    from eidos.kubeconfig import KubeSettings

    settings = KubeSettings.from_env(kubeconfig=args.kubeconfig, context=args.context)
    if not settings.configured():
        return None
    from eidos.kube import Kube

    return Kube(settings)


def check_options(args: argparse.Namespace) -> None:
    """Reject agent-only options without --deploy-agent, and local-only ones with it."""
    from eidos.errors import InvalidRequestError

    def given(name: str) -> bool:
        return getattr(args, name, None) not in (None, False)

    if args.deploy_agent:
        bad = [n for n in _LOCAL_ONLY if given(n)]
        if bad:
            flag = "--" + bad[0].replace("_", "-")
            raise InvalidRequestError(
                f"{flag} cannot be combined with --deploy-agent "
                "(the agent snapshots its node with the default settings)"
            )
        _check_fleet(args, given)
        return
    bad = [n for n in _AGENT_ONLY if given(n)]
    if bad:
        flag = "--" + bad[0].replace("_", "-")
        raise InvalidRequestError(f"{flag} needs --deploy-agent")


def parse_timeout(args: argparse.Namespace) -> None:
    """Turn ``args.timeout`` (text, if given) into seconds; exit 2 unless it is above 0."""
    if args.timeout is None:
        return
    from eidos.durations import DURATION_HELP, parse_duration
    from eidos.errors import InvalidRequestError

    text = args.timeout
    try:
        args.timeout = parse_duration(text)
    except ValueError:
        args.timeout = 0.0
    if not args.timeout > 0:
        raise InvalidRequestError(f"--timeout must be {DURATION_HELP}, more than 0; got {text!r}")


def _check_fleet(args: argparse.Namespace, given: Any) -> None:
    from eidos.errors import InvalidRequestError

    parallel = getattr(args, "parallel", None)
    if parallel is not None and not given("all_nodes"):
        raise InvalidRequestError("--parallel needs --all-nodes")
    if parallel is not None and parallel < 1:
        raise InvalidRequestError(f"--parallel must be 1 or more, got {args.parallel}")
    if given("all_nodes") and given("node"):
        raise InvalidRequestError(
            "--node and --all-nodes exclude each other; narrow --all-nodes with --node-selector"
        )
    if given("all_nodes") and given("cleanup_only"):
        raise InvalidRequestError(
            "--cleanup-only takes no --all-nodes (it removes what fleet runs left too)"
        )


def no_cluster() -> Exception:
    """The error for --deploy-agent without any cluster configured."""
    from eidos.errors import UnavailableError

    return UnavailableError(
        "--deploy-agent needs a cluster: pass --kubeconfig, set KUBECONFIG or create ~/.kube/config"
    )


class _Progress:
    """Progress lines on stderr, prefixed with the time since the start."""

    def __init__(self) -> None:
        self.started = time.monotonic()

    def __call__(self, line: str) -> None:
        elapsed = time.monotonic() - self.started
        text = line.replace("\n", "\n         ")
        sys.stderr.write(f"[{elapsed:5.1f}s] {text}\n")
        sys.stderr.flush()


def run_agent(args: argparse.Namespace, kube: Any, fmt: str, destination: Any) -> int:
    """Deploy the agent, wait, and write its snapshot to ``destination``.

    SIGTERM and SIGHUP (a cancelled CI job, ``timeout``, a closed terminal) are handled
    like Ctrl-C: what the run created is deleted before eidos exits (143, 129).
    """
    from eidos.agent import (
        DEFAULT_IMAGE,
        DEFAULT_TOLERATIONS,
        cleanup_runs,
        deploy_agent,
        new_run,
        parse_node_selector,
        parse_toleration,
    )
    from eidos.agent.manifests import check_namespace
    from eidos.cli.app import terminate_on_signals
    from eidos.errors import InvalidRequestError
    from eidos.model import DocumentError, Snapshot
    from eidos.serializer import dumps, loads

    namespace = check_namespace(args.namespace or "eidos")
    if kube is None:
        raise no_cluster()
    if args.cleanup_only:
        with terminate_on_signals():
            report = cleanup_runs(kube, namespace, progress=_Progress())
        if not (report.removed or report.kept or report.namespace_removed):
            sys.stderr.write(f"nothing to clean up in namespace {namespace}\n")
        return 0
    timeout = DEFAULT_AGENT_TIMEOUT if args.timeout is None else args.timeout
    opts = new_run(
        timeout,
        namespace=namespace,
        image=args.image or os.environ.get("EIDOS_AGENT_IMAGE", "").strip() or DEFAULT_IMAGE,
        node=args.node,
        node_selector=parse_node_selector(args.node_selector or []),
        tolerations=DEFAULT_TOLERATIONS + tuple(parse_toleration(t) for t in args.toleration or []),
        runtime_class=args.runtime_class,
    )
    with terminate_on_signals():
        text = deploy_agent(kube, opts, timeout=timeout, keep=args.keep, progress=_Progress())
    origin = f"cm://{opts.namespace}/{opts.configmap}"
    try:
        snapshot = Snapshot.from_dict(loads(text, origin=origin))
    except DocumentError as exc:
        raise InvalidRequestError(f"{origin}: the agent wrote no valid snapshot: {exc}") from None
    destination.write(dumps(snapshot.to_dict(), fmt), fmt=fmt)
    return 0
