"""Infer a recipe query from a snapshot (decisions.md §2 "Snapshot → query").

os/osv from the host's os-release, kernel from the kernel release, k8s from the server
version, service from the node's provider and failing that the version suffix, gpu from
the GPU model name (GB200 before B200, H200 before H100). Missing or unparseable fields
stay wildcards (with a debug log); nothing here raises on a partial snapshot.
"""

from __future__ import annotations

from eidos.logging import get_logger
from eidos.model import Query, Snapshot, Version, VersionError
from eidos.model.query import normalize_enum

__all__ = ["query_from_snapshot"]

log = get_logger(__name__)

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


def _version(text: str | None, field: str) -> Version | None:
    if not text:
        return None
    try:
        return Version.parse(text)
    except VersionError as exc:
        log.debug("ignoring unparseable version in snapshot", field=field, error=str(exc))
        return None


def _gpu(model: str | None) -> str | None:
    if not model:
        return None
    upper = model.upper()
    for needle, gpu in _GPU_PATTERNS:
        if needle in upper:
            return gpu
    log.debug("GPU model not recognised; gpu stays a wildcard", model=model)
    return None


def _service(provider: str | None, k8s: str | None) -> str | None:
    if provider:
        service = _PROVIDERS.get(provider.lower())
        if service:
            return service
    if k8s:
        low = k8s.lower()
        for needle, service in _SUFFIXES:
            if needle in low:
                return service
    return None


def query_from_snapshot(snapshot: Snapshot, intent: str | None = None) -> Query:
    """Return the query a snapshot describes, with ``intent`` added.

    Raises:
        QueryError: only for an invalid ``intent`` (the snapshot itself never fails).
    """
    os_id = (_reading(snapshot, "OS", "release", "ID") or "").lower()
    kernel = _reading(snapshot, "OS", "sysctl", "/proc/sys/kernel/osrelease") or _reading(
        snapshot, "K8s", "node", "kernel-version"
    )
    k8s = _reading(snapshot, "K8s", "server", "version")
    model = _reading(snapshot, "GPU", "smi", "gpu.model")
    intent_value = normalize_enum("intent", intent)
    if os_id and os_id not in _OS_IDS:
        log.debug("os-release ID not recognised; os stays a wildcard", id=os_id)
    return Query(
        os=_OS_IDS.get(os_id),
        osv=_version(_reading(snapshot, "OS", "release", "VERSION_ID"), "osv"),
        kernel=_version(kernel, "kernel"),
        service=_service(_reading(snapshot, "K8s", "node", "provider"), k8s),
        k8s=_version(k8s, "k8s"),
        gpu=_gpu(model),
        intent=intent_value,
        with_context=True,
    )
