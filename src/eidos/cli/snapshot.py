"""``eidos snapshot``: capture this node (systemd, OS, Kubernetes, GPUs) as a Snapshot document."""

from __future__ import annotations

from eidos.names import COLLECTORS, COMMANDS, OUTPUT_FORMATS

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any

__all__ = ["register", "run"]


EPILOG = """\
examples:
  eidos snapshot                               YAML on stdout
  eidos snapshot -t json -o snapshot.json      JSON into a file (written atomically)
  eidos snapshot -t table                      type / subtype / key / value, for reading
  eidos snapshot --collectors os,gpu           only the OS and GPU measurements
  eidos snapshot --host-root /host --proc-root /proc
                                               a node's files under /host, the kernel
                                               through this /proc (the agent)
  eidos snapshot --best-effort --timeout 10s   keep what works, mark the rest incomplete
  eidos snapshot | eidos recipe --snapshot -   recipe for this node
  eidos snapshot -o cm://gpu-operator/eidos-snapshot
                                               into a ConfigMap (created or updated)
  eidos snapshot --kubeconfig ~/.kube/prod --context gpu --node ip-10-0-1-7
                                               describe that cluster and node (K8s)
  eidos snapshot --deploy-agent -o snap.yaml   run the agent Job on a GPU node instead
  eidos snapshot --deploy-agent --node-selector nvidia.com/gpu.product=NVIDIA-H100-80GB-HBM3 \\
      --toleration dedicated=gpu:NoSchedule --timeout 10m --keep
  eidos snapshot --deploy-agent --all-nodes -o fleet/
                                               every GPU node, fleet/<node>.json each
  eidos snapshot --deploy-agent --all-nodes \\
      --node-selector nvidia.com/gpu.product=NVIDIA-H100-80GB-HBM3 \\
      --parallel 50 -o fleet.json              those nodes, as one SnapshotList
  eidos snapshot --deploy-agent --cleanup-only remove what killed runs left behind

Collectors run concurrently, all within --timeout. By default the first failure
stops the snapshot (exit 1); with --best-effort the snapshot is written anyway and its
metadata key snapshot-incomplete lists the failed collectors. A missing source (no
systemd, no nvidia-smi, no GPU) is not a failure: its measurement is empty and a warning
on stderr says why.

environment:
  EIDOS_HOST_ROOT        default for --host-root
  NODE_NAME, KUBERNETES_NODE_NAME, HOSTNAME
                         source-node in the metadata (first set wins, else the hostname)
  DBUS_SYSTEM_BUS_ADDRESS
                         the system bus (default <host-root>/run/dbus/system_bus_socket,
                         then systemd's <host-root>/run/systemd/private)
  PATH                   where nvidia-smi is looked up
  KUBECONFIG             kubeconfig files (colon-separated) when --kubeconfig is not
                         given; else ~/.kube/config, else the in-cluster service account
  EIDOS_AGENT_IMAGE      default for --image
"""


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Declare ``eidos snapshot`` and its options."""
    from eidos.cli.app import completes

    p: argparse.ArgumentParser = subparsers.add_parser(
        "snapshot",
        help=COMMANDS["snapshot"],
        description="Capture this node's configuration (systemd units, kernel command line, "
        "sysctls, kernel modules, os-release, Kubernetes, GPUs) as a Snapshot document.",
        epilog=EPILOG,
    )
    out = p.add_argument_group("output")
    out.add_argument(
        "-o",
        "--output",
        metavar="URI",
        help="FILE, cm://namespace/name or - for stdout (default stdout); with --all-nodes "
        "also DIR/, one file per node",
    )
    completes(
        out.add_argument(
            "-t",
            "--format",
            metavar="FORMAT",
            default=None,
            help=f"output format: {', '.join(OUTPUT_FORMATS)} (default {OUTPUT_FORMATS[0]}; "
            "with --all-nodes json, 20x faster to read back, unless -o names a .yaml file)",
        ),
        OUTPUT_FORMATS,
    )
    col = p.add_argument_group("collection")
    completes(
        col.add_argument(
            "--collectors",
            metavar="NAMES",
            action="append",
            help=f"only these collectors, comma-separated or repeated: "
            f"{', '.join(COLLECTORS)} (default all)",
        ),
        COLLECTORS,
    )
    col.add_argument(
        "--host-root",
        metavar="DIR",
        help="where the host's / is mounted (default $EIDOS_HOST_ROOT or /)",
    )
    col.add_argument(
        "--proc-root",
        metavar="DIR",
        help="the procfs to read the kernel command line, modules and sysctls from "
        "(default <host-root>/proc; the agent reads its own /proc, which shows the "
        "node's kernel)",
    )
    col.add_argument(
        "--systemd-units",
        metavar="UNITS",
        action="append",
        help="systemd units to describe, comma-separated or repeated (default "
        "containerd.service,docker.service,kubelet.service)",
    )
    col.add_argument(
        "--timeout",
        metavar="DURATION",
        default=None,
        help="time the collectors may take, e.g. 30, 30s, 2m (default 30s); with "
        "--deploy-agent, time to wait for the agent (default 5m)",
    )
    col.add_argument(
        "--best-effort",
        action="store_true",
        help="write the snapshot even when collectors fail; list them under "
        "metadata snapshot-incomplete",
    )
    from eidos.cli._agent import add_options

    add_options(p)
    return p


def _split(values: list[str] | None) -> list[str]:
    return [item.strip() for value in values or [] for item in value.split(",") if item.strip()]


def run(args: argparse.Namespace) -> int:
    """Collect and write the snapshot where ``--output`` says."""
    from eidos.cli._agent import check_options, open_kube, parse_timeout, run_agent
    from eidos.errors import InvalidRequestError
    from eidos.serializer import open_destination, parse_format

    check_options(args)
    fleet = args.deploy_agent and args.all_nodes
    named_yaml = (args.output or "").endswith((".yaml", ".yml"))
    fmt = parse_format(args.format, default="json" if fleet and not named_yaml else "yaml")
    parse_timeout(args)
    if args.systemd_units is not None and not _split(args.systemd_units):
        raise InvalidRequestError(
            "--systemd-units names no unit; give e.g. kubelet.service (omit it for the defaults)"
        )
    kube = open_kube(args)
    try:
        if fleet:
            from eidos.cli._fleet import run_fleet

            return run_fleet(args, kube, fmt)
        destination = open_destination(args.output, component="snapshot", kube=kube)
        if args.deploy_agent:
            return run_agent(args, kube, fmt, destination)
        return _snapshot(args, fmt, kube, destination)
    finally:
        if kube is not None:
            kube.close()


def _snapshot(args: argparse.Namespace, fmt: str, kube: Any, destination: Any) -> int:
    from eidos import __version__
    from eidos.collectors import (
        DEFAULT_SYSTEMD_UNITS,
        CollectorSettings,
        HostPaths,
        builtin_collectors,
    )
    from eidos.serializer import dumps
    from eidos.snapshotter import take_snapshot

    timeout = 30.0 if args.timeout is None else args.timeout
    settings = CollectorSettings(
        host=HostPaths.from_option(args.host_root, args.proc_root),
        systemd_units=tuple(_split(args.systemd_units)) or DEFAULT_SYSTEMD_UNITS,
        timeout=timeout,
        kube=kube,
        node=args.node,
    )
    names = _split(args.collectors) if args.collectors is not None else None
    collectors = builtin_collectors(settings, names)
    snapshot = take_snapshot(
        collectors, version=__version__, timeout=timeout, best_effort=args.best_effort
    )
    destination.write(dumps(snapshot.to_dict(), fmt), fmt=fmt)
    return 0
