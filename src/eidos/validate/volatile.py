"""Keys ``eidos diff`` leaves out by default: values that change per read, or name the node.

This is the one list (``eidos diff --all-keys`` compares them too). Patterns are shell
globs over a key's path, written like constraint paths (``Type.subtype.key``; ``*``
matches anything, dots and slashes included); documents' metadata is ``metadata.<key>``.
"""

from __future__ import annotations

from collections.abc import Iterable
from fnmatch import fnmatchcase

__all__ = ["IDENTITY", "VOLATILE", "KeyFilter"]

#: Values that change from one read of the same node to the next.
VOLATILE = (
    "metadata.snapshot-timestamp",
    "metadata.snapshot-version",
    "metadata.recipe-timestamp",
    "metadata.recipe-version",
    # systemd: when things happened, process ids, and counters
    "SystemD.*Timestamp",
    "SystemD.*TimestampMonotonic",
    "SystemD.*.InvocationID",
    "SystemD.*.MainPID",
    "SystemD.*.ExecMainPID",
    "SystemD.*.ControlPID",
    "SystemD.*.CPUUsageNSec",
    "SystemD.*.TasksCurrent",
    "SystemD.*.MemoryCurrent",
    "SystemD.*.MemoryAvailable",
    "SystemD.*.MemoryPeak",
    "SystemD.*.MemorySwapCurrent",
    "SystemD.*.IOReadBytes",
    "SystemD.*.IOReadOperations",
    "SystemD.*.IOWriteBytes",
    "SystemD.*.IOWriteOperations",
    "SystemD.*.IPEgressBytes",
    "SystemD.*.IPEgressPackets",
    "SystemD.*.IPIngressBytes",
    "SystemD.*.IPIngressPackets",
    # kernel counters and random values
    "OS.sysctl./proc/sys/kernel/random/boot_id",
    "OS.sysctl./proc/sys/kernel/random/uuid",
    "OS.sysctl./proc/sys/kernel/random/entropy_avail",
    "OS.sysctl./proc/sys/kernel/ns_last_pid",
    "OS.sysctl./proc/sys/kernel/pty/nr",
    "OS.sysctl./proc/sys/fs/aio-nr",
    "OS.sysctl./proc/sys/fs/dentry-state",
    "OS.sysctl./proc/sys/fs/dentry-negative",
    "OS.sysctl./proc/sys/fs/file-nr",
    "OS.sysctl./proc/sys/fs/inode-nr",
    "OS.sysctl./proc/sys/fs/inode-state",
    "OS.sysctl./proc/sys/fs/quota/*",
    "OS.sysctl./proc/sys/net/netfilter/nf_conntrack_count",
    "OS.sysctl./proc/sys/sunrpc/svc_rdma/rdma_stat_*",
)

#: Values that name one node (equal on every read, different on every node).
IDENTITY = (
    "metadata.source-node",
    "OS.sysctl./proc/sys/kernel/hostname",
    "K8s.node.source-node",
    "K8s.node.provider-id",
    "GPU.gpu*.uuid",
    "GPU.gpu*.serial",
    "GPU.gpu*.fabric.cluster-uuid",
    "GPU.gpu*.fabric.clique-id",
)


class KeyFilter:
    """Matches key paths against the default lists (unless ``all_keys``) and ``--ignore``."""

    def __init__(self, extra: Iterable[str] = (), *, all_keys: bool = False) -> None:
        self.patterns = (*([] if all_keys else [*VOLATILE, *IDENTITY]), *extra)
        self._cache: dict[str, bool] = {}

    def ignored(self, path: str) -> bool:
        """Whether ``path`` is left out of the comparison (decided once per path)."""
        found = self._cache.get(path)
        if found is None:
            found = self._cache[path] = any(fnmatchcase(path, p) for p in self.patterns)
        return found
