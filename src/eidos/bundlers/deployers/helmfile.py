"""The ``helmfile`` deployer: ``helmfile.yaml``, one release per component, ordered by ``needs``.

The releases read the bundle's ``NN-name/values.yaml`` (paths relative to helmfile.yaml,
at the bundle's root); ``needs`` holds each release until its dependencies are installed
and ready (``wait``), so ``helmfile apply`` installs in dependency order and ``helmfile
destroy`` removes in reverse. A component's applied manifests and GPU node labels are
``postsync`` hooks of its release (``kubectl``).
"""

from __future__ import annotations

from eidos.bundlers.config import BundleConfig
from eidos.bundlers.deployers._gitops import chart_host, header, is_oci
from eidos.bundlers.plan import BundlePlan, RenderedComponent
from eidos.bundlers.yamlfile import render_yaml

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["HelmfileDeployer"]

FILE = "helmfile.yaml"
_DEFAULTS = {"wait": True, "waitForJobs": True, "timeout": 600, "createNamespace": True}


def repositories(plan: BundlePlan) -> dict[str, dict[str, Any]]:
    """Chart repository URL -> helmfile repository entry (named after its first user)."""
    repos: dict[str, dict[str, Any]] = {}
    for c in plan.components:
        if c.chart is None or c.chart.repository in repos:
            continue
        entry: dict[str, Any] = {"name": c.name, "url": chart_host(c.chart.repository)}
        if is_oci(c.chart.repository):
            entry["oci"] = True
        repos[c.chart.repository] = entry
    return repos


def _hooks(c: RenderedComponent) -> list[dict[str, Any]]:
    hooks: list[dict[str, Any]] = []
    for m in c.manifests:
        if m.apply and c.chart is not None:
            args = ["apply", "-f", m.path]
            hooks.append(
                {"events": ["postsync"], "showlogs": True, "command": "kubectl", "args": args}
            )
    for label in c.gpu_node_labels:
        args = ["label", "nodes", "--selector", "nvidia.com/gpu.present=true", label, "--overwrite"]
        hooks.append({"events": ["postsync"], "showlogs": True, "command": "kubectl", "args": args})
    return hooks


def release(c: RenderedComponent, repo_name: str, namespaces: dict[str, str]) -> dict[str, Any]:
    """The release of ``c``; ``namespaces``: component -> namespace (for ``needs``).

    A component of manifests only becomes a release of its manifests folder (helmfile
    turns a folder of manifests into a chart); its manifests are then not hooks.
    """
    entry: dict[str, Any] = {"name": c.name, "namespace": namespaces[c.name]}
    if c.chart is not None and c.values_file is not None:
        entry["chart"] = f"{repo_name}/{c.chart.name}"
        entry["version"] = c.chart.version
        entry["values"] = [c.values_file]
    else:
        folder = next(m.path.rpartition("/")[0] for m in c.manifests if m.apply)
        entry["chart"] = f"./{folder}"
    needs = [f"{namespaces[d]}/{d}" for d in c.dependencies if d in namespaces]
    if needs:
        entry["needs"] = needs
    hooks = _hooks(c)
    if hooks:
        entry["hooks"] = hooks
    return entry


def helmfile(plan: BundlePlan) -> dict[str, Any]:
    """The whole ``helmfile.yaml`` document."""
    repos = repositories(plan)
    kept = [c for c in plan.components if c.chart is not None or any(m.apply for m in c.manifests)]
    namespaces = {c.name: c.namespace for c in kept}
    releases = []
    for c in kept:
        repo_name = repos[c.chart.repository]["name"] if c.chart is not None else ""
        releases.append(release(c, repo_name, namespaces))
    return {"repositories": list(repos.values()), "helmDefaults": _DEFAULTS, "releases": releases}


class HelmfileDeployer:
    """``helmfile.yaml``: releases with ``needs``, values from the bundle."""

    name = "helmfile"
    listing = "- `helmfile.yaml`: one release per component (see below)\n"

    def check(self, config: BundleConfig) -> None:
        """Nothing to check: helmfile reads the bundle where it lies."""

    def files(self, plan: BundlePlan) -> list[tuple[str, str, bool]]:
        """``helmfile.yaml`` at the bundle's root."""
        title = "helmfile: run from this directory (helmfile apply)"
        return [(FILE, render_yaml(helmfile(plan), header=header(plan.meta, title)), False)]

    def readme(self, plan: BundlePlan) -> str:
        """How to apply, check and destroy with helmfile."""
        first = plan.components[0]
        return f"""## Deploy with helmfile

Run these from this directory (the values paths and hooks are relative to it):

```shell
helmfile diff                  # what would change (needs the helm-diff plugin)
helmfile apply                 # install or upgrade everything, in dependency order
helmfile apply --selector name={first.name}   # one release
```

Each release installs its chart with `NN-<component>/values.yaml`; `needs` holds it until
the releases it depends on are installed and ready (`wait`), so the order above holds.
Manifests marked "applied after the chart" and GPU node labels run as `postsync` hooks
(`kubectl`). It needs helmfile 0.150 or later, helm 3 and kubectl pointed at the cluster.

## Check

```shell
helmfile status
kubectl get pods --all-namespaces --field-selector=status.phase!=Running,status.phase!=Succeeded
```

## Remove

```shell
helmfile destroy               # uninstall every release, in reverse dependency order
```

Helm keeps the charts' CRDs (and so every custom resource); delete them by hand if wanted.
"""
