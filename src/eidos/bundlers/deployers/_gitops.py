"""What the declarative deployers (argocd, flux, helmfile) share: headers, chart addresses."""

from __future__ import annotations

from eidos.bundlers.common import BundleMeta

__all__ = ["chart_host", "header", "is_oci"]


def is_oci(repository: str) -> bool:
    """True for a chart repository in an OCI registry (``oci://...``)."""
    return repository.startswith("oci://")


def chart_host(repository: str) -> str:
    """A chart repository as declarative tools name it: ``oci://`` dropped, no final ``/``."""
    return repository.removeprefix("oci://").rstrip("/")


def header(meta: BundleMeta, title: str) -> list[str]:
    """The comment lines that open each generated file."""
    return meta.header(title)
