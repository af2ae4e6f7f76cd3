"""The seam between rendering and deploying: rendered components in deployment order.

A bundle is made in two steps. First every component of the recipe is *rendered* into the
bundle's :class:`~eidos.bundlers.tree.FileTree` (its folder ``NN-name/``: ``values.yaml``
and ``manifests/``), which gives one :class:`RenderedComponent` each. Then a *deployer*
(:mod:`eidos.bundlers.deployers`) turns the :class:`BundlePlan` into the files that install
those components (``deploy.sh``, Argo CD applications, ...); it never renders values
again. Packaging (a directory, an archive, an OCI artifact, a zip) only ever sees the tree.
"""

from __future__ import annotations

from eidos.bundlers.common import BundleMeta
from eidos.bundlers.config import GitSource
from eidos.bundlers.tree import FileTree
from eidos.model import Chart

__all__ = ["BundlePlan", "Manifest", "RenderedComponent"]


class Manifest:
    """One Kubernetes object file of a component (``path`` relative to the bundle root).

    ``apply``: the deployer applies it after the chart. False for documents that are
    there to be read (the GPU Operator's ClusterPolicy, which its chart creates itself).
    """

    __slots__ = ("apply", "kind", "name", "path")

    def __init__(self, path: str, *, kind: str, name: str, apply: bool = True) -> None:
        self.path = path
        self.kind = kind
        self.name = name
        self.apply = apply


class RenderedComponent:
    """One component as rendered into the bundle: what a deployer needs to install it.

    Attributes:
        name: the component, also the Helm release name.
        directory: its folder in the bundle, ``NN-name`` (NN: its place in the order).
        namespace: where it installs.
        chart: the Helm chart, or None for a component of manifests only.
        values_file: ``NN-name/values.yaml`` (helm components), else None.
        manifests: object files, in the order they are applied.
        dependencies: components installed before it (all of them in the bundle).
        crds, webhooks: what it installs that its dependents wait for (CRDs established,
            webhook Deployments ready).
        images: every image it deploys, fully qualified.
        gpu_node_labels: ``key=value`` labels put on GPU nodes after it is installed.
        notes: Markdown the component adds to the README (the operators' settings tables).
        warnings: things the user must know before installing it.
    """

    __slots__ = (
        "chart",
        "crds",
        "dependencies",
        "directory",
        "gpu_node_labels",
        "images",
        "manifests",
        "name",
        "namespace",
        "notes",
        "values_file",
        "warnings",
        "webhooks",
    )

    def __init__(
        self,
        name: str,
        *,
        directory: str,
        namespace: str,
        chart: Chart | None,
        values_file: str | None,
        manifests: list[Manifest],
        dependencies: list[str],
        crds: list[str],
        webhooks: list[str],
        images: list[str],
        gpu_node_labels: list[str] | None = None,
        notes: str = "",
        warnings: list[str] | None = None,
    ) -> None:
        self.name = name
        self.directory = directory
        self.namespace = namespace
        self.chart = chart
        self.values_file = values_file
        self.manifests = manifests
        self.dependencies = dependencies
        self.crds = crds
        self.webhooks = webhooks
        self.images = images
        self.gpu_node_labels = gpu_node_labels or []
        self.notes = notes
        self.warnings = warnings or []


class BundlePlan:
    """What a deployer gets: the rendered components in order and the bundle's identity.

    ``overrides``: the user's overrides, one line each, for the README. ``tree`` holds
    the rendered files (read them with :meth:`text`; a deployer embeds them, it never
    renders them again); ``repo``: where GitOps deployers read the bundle.
    """

    __slots__ = ("components", "meta", "overrides", "repo", "tree")

    def __init__(
        self,
        components: list[RenderedComponent],
        meta: BundleMeta,
        overrides: list[str],
        *,
        tree: FileTree | None = None,
        repo: GitSource | None = None,
    ) -> None:
        self.components = components
        self.meta = meta
        self.overrides = overrides
        self.tree = tree if tree is not None else FileTree()
        self.repo = repo

    def text(self, path: str) -> str:
        """The rendered file at ``path`` (relative to the bundle root)."""
        return self.tree.read(path).decode("utf-8")

    def dependents(self, name: str) -> list[str]:
        """Components of the bundle that depend on ``name``."""
        return [c.name for c in self.components if name in c.dependencies]
