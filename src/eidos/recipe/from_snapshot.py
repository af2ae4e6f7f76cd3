"""Infer a recipe query from a snapshot (decisions.md §2 "Snapshot → query").

os/osv from the host's os-release, kernel from the kernel release, k8s from the server
version, service from the node's provider and failing that the version suffix, gpu from
the GPU model name (GB200 before B200, H200 before H100). Missing fields stay wildcards;
values eidos does not know (an OS ID, a GPU model, a version it cannot read, a provider, a
measurement type) stay wildcards too, and :func:`infer_query` names each one and what would
have been accepted, so the CLI can say why a recipe is less specific than expected.
Nothing here raises on a partial snapshot.
"""

from __future__ import annotations

from eidos.model import Query, Snapshot, Version, VersionError
from eidos.model.measurement import MEASUREMENT_TYPES
from eidos.model.query import normalize_enum

__all__ = ["Inference", "infer_query", "query_from_snapshot"]

_GPU_PATTERNS = (
    ("GB200", "gb200"),
    ("B200", "b200"),
    ("H200", "h200"),
    ("H100", "h100"),
    ("A100", "a100"),
    ("L40S", "l40s"),
    ("L40", "l40"),
)
_OS_IDS = {
    "ubuntu": "ubuntu",
    "rhel": "rhel",
    "centos": "rhel",
    "rocky": "rhel",
    "almalinux": "rhel",
    "cos": "cos",
    "amzn": "amazonlinux",
    "amazonlinux": "amazonlinux",
}
_PROVIDERS = {
    "aws": "eks",
    "eks": "eks",
    "gce": "gke",
    "gke": "gke",
    "azure": "aks",
    "aks": "aks",
    "oci": "oke",
    "oke": "oke",
}
_SUFFIXES = (("-eks-", "eks"), ("-gke.", "gke"), ("-gke-", "gke"), ("-aks", "aks"), ("-oke", "oke"))


def _reading(snapshot: Snapshot, mtype: str, subtype: str, key: str) -> str | None:
    m = snapshot.measurement(mtype)
    if m is None:
        return None
    for sub in m.subtypes:
        if sub.name == subtype and key in sub.data:
            value = sub.data[key]
            return str(value).strip() if value is not None else None
    return None


_VERSION_WHERE = {
    "osv": "OS/release/VERSION_ID",
    "kernel": "kernel release",
    "k8s": "K8s/server/version",
}


class Inference:
    """A snapshot's query and, one line each, the snapshot values it had to ignore."""

    __slots__ = ("ignored", "query")

    def __init__(self, query: Query, ignored: list[str]) -> None:
        self.query = query
        self.ignored = ignored


def _version(text: str | None, field: str, ignored: list[str]) -> Version | None:
    if not text:
        return None
    try:
        return Version.parse(text)
    except VersionError:
        ignored.append(
            f"{_VERSION_WHERE[field]} {text!r} is not a version; {field} stays a wildcard "
            "(accepted: [v]MAJOR[.MINOR[.PATCH]] with optional -/+ extras)"
        )
        return None


def _gpu(model: str | None, ignored: list[str]) -> str | None:
    if not model:
        return None
    upper = model.upper()
    for needle, gpu in _GPU_PATTERNS:
        if needle in upper:
            return gpu
    names = ", ".join(needle for needle, _ in _GPU_PATTERNS)
    ignored.append(
        f"GPU model {model!r} is not one eidos has recipes for; gpu stays a wildcard "
        f"(accepted: a model name containing {names})"
    )
    return None


def _service(provider: str | None, k8s: str | None, ignored: list[str]) -> str | None:
    if provider:
        service = _PROVIDERS.get(provider.lower())
        if service:
            return service
    if k8s:
        low = k8s.lower()
        for needle, service in _SUFFIXES:
            if needle in low:
                return service
    if provider:
        ignored.append(
            f"node provider {provider!r} is not a known service; service stays a wildcard "
            f"(accepted: {', '.join(sorted(_PROVIDERS))}, or a K8s version suffix such as "
            "-eks- or -gke.)"
        )
    return None


def infer_query(snapshot: Snapshot, intent: str | None = None) -> Inference:
    """The query a snapshot describes, with ``intent`` added, and what had to be ignored.

    Raises:
        QueryError: only for an invalid ``intent`` (the snapshot itself never fails).
    """
    ignored: list[str] = []
    for m in snapshot.measurements:
        if m.type not in MEASUREMENT_TYPES:
            ignored.append(
                f"measurement type {m.type!r} is ignored (accepted: {', '.join(MEASUREMENT_TYPES)})"
            )
    raw_id = _reading(snapshot, "OS", "release", "ID") or ""
    os_id = raw_id.lower()
    if os_id and os_id not in _OS_IDS:
        ignored.append(
            f"OS/release/ID {raw_id!r} is not a known OS; os stays a wildcard "
            f"(accepted: {', '.join(sorted(_OS_IDS))})"
        )
    kernel = _reading(snapshot, "OS", "sysctl", "/proc/sys/kernel/osrelease") or _reading(
        snapshot, "K8s", "node", "kernel-version"
    )
    k8s = _reading(snapshot, "K8s", "server", "version")
    intent_value = normalize_enum("intent", intent)
    query = Query(
        os=_OS_IDS.get(os_id),
        osv=_version(_reading(snapshot, "OS", "release", "VERSION_ID"), "osv", ignored),
        kernel=_version(kernel, "kernel", ignored),
        service=_service(_reading(snapshot, "K8s", "node", "provider"), k8s, ignored),
        k8s=_version(k8s, "k8s", ignored),
        gpu=_gpu(_reading(snapshot, "GPU", "smi", "gpu.model"), ignored),
        intent=intent_value,
        with_context=True,
    )
    return Inference(query, ignored)


def query_from_snapshot(snapshot: Snapshot, intent: str | None = None) -> Query:
    """Return the query a snapshot describes, with ``intent`` added (see :func:`infer_query`).

    Raises:
        QueryError: only for an invalid ``intent`` (the snapshot itself never fails).
    """
    return infer_query(snapshot, intent).query
