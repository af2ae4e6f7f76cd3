"""The ``flux`` deployer: a HelmRelease per component, ordered by ``dependsOn``.

Each component gets, in ``flux-system``: its chart source (a HelmRepository, or an
OCIRepository for an ``oci://`` chart), a ConfigMap holding its ``values.yaml`` exactly as
rendered, and a HelmRelease that reads its values from that ConfigMap and depends on the
HelmReleases of its dependencies (Flux installs one only when those are ready). A
component's applied manifests need a Git source: with ``--repo``, a GitRepository and one
Kustomization per such component. ``flux/kustomization.yaml`` lists everything, so
``kubectl apply -k flux/`` (or a Flux Kustomization on that path) installs the bundle.
"""

from __future__ import annotations

import re

from eidos.bundlers.config import BundleConfig, GitSource
from eidos.bundlers.deployers._gitops import header, is_oci
from eidos.bundlers.plan import BundlePlan, RenderedComponent
from eidos.bundlers.yamlfile import render_yaml
from eidos.errors import InvalidRequestError
from eidos.serializer.yamlemit import emit_yaml

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["FluxDeployer"]

NAMESPACE = "flux-system"
HELM = "helm.toolkit.fluxcd.io/v2"
SOURCE = "source.toolkit.fluxcd.io/v1"
KUSTOMIZE = "kustomize.toolkit.fluxcd.io/v1"
GIT_SOURCE = "eidos-bundle"
HELM_CHART_LAYER = "application/vnd.cncf.helm.chart.content.v1.tar+gzip"
_COMMIT = re.compile(r"[0-9a-f]{40}")
_LABELS = {"app.kubernetes.io/managed-by": "eidos", "app.kubernetes.io/part-of": GIT_SOURCE}


def _meta(name: str) -> dict[str, Any]:
    return {"name": name, "namespace": NAMESPACE, "labels": dict(_LABELS)}


def source(c: RenderedComponent) -> dict[str, Any]:
    """The chart source of ``c``: an OCIRepository (``oci://``) or a HelmRepository."""
    assert c.chart is not None
    if is_oci(c.chart.repository):
        url = f"{c.chart.repository.rstrip('/')}/{c.chart.name}"
        spec: dict[str, Any] = {
            "interval": "1h",
            "url": url,
            "ref": {"tag": c.chart.version},
            "layerSelector": {"mediaType": HELM_CHART_LAYER, "operation": "copy"},
        }
        return {
            "apiVersion": SOURCE,
            "kind": "OCIRepository",
            "metadata": _meta(c.name),
            "spec": spec,
        }
    return {
        "apiVersion": SOURCE,
        "kind": "HelmRepository",
        "metadata": _meta(c.name),
        "spec": {"interval": "1h", "url": c.chart.repository},
    }


def values_config_map(c: RenderedComponent, text: str) -> dict[str, Any]:
    """The ConfigMap holding ``c``'s rendered ``values.yaml``, byte for byte."""
    return {
        "apiVersion": "v1",
        "kind": "ConfigMap",
        "metadata": _meta(f"{c.name}-values"),
        "data": {"values.yaml": text},
    }


def helm_release(c: RenderedComponent) -> dict[str, Any]:
    """The HelmRelease of ``c``: after its dependencies, values from its ConfigMap."""
    assert c.chart is not None
    spec: dict[str, Any] = {
        "interval": "1h",
        "releaseName": c.name,
        "targetNamespace": c.namespace,
        "storageNamespace": c.namespace,
    }
    if is_oci(c.chart.repository):
        spec["chartRef"] = {"kind": "OCIRepository", "name": c.name, "namespace": NAMESPACE}
    else:
        spec["chart"] = {
            "spec": {
                "chart": c.chart.name,
                "version": c.chart.version,
                "sourceRef": {"kind": "HelmRepository", "name": c.name, "namespace": NAMESPACE},
                "interval": "1h",
            }
        }
    if c.dependencies:
        spec["dependsOn"] = [{"name": d, "namespace": NAMESPACE} for d in c.dependencies]
    spec["valuesFrom"] = [
        {"kind": "ConfigMap", "name": f"{c.name}-values", "valuesKey": "values.yaml"}
    ]
    spec["timeout"] = "10m"
    spec["install"] = {
        "createNamespace": True,
        "crds": "CreateReplace",
        "remediation": {"retries": 3},
    }
    spec["upgrade"] = {"crds": "CreateReplace", "remediation": {"retries": 3}}
    return {"apiVersion": HELM, "kind": "HelmRelease", "metadata": _meta(c.name), "spec": spec}


def git_repository(repo: GitSource, ignored: list[str]) -> dict[str, Any]:
    """The GitRepository the manifests come from (``ignored``: files for review only)."""
    if _COMMIT.fullmatch(repo.revision):
        ref = {"commit": repo.revision}
    elif repo.revision.startswith("refs/"):
        ref = {"name": repo.revision}
    else:
        ref = {"branch": repo.revision}
    spec: dict[str, Any] = {"interval": "5m", "url": repo.url, "ref": ref}
    if ignored:
        spec["ignore"] = "".join(f"/{repo.join(path)}\n" for path in ignored)
    return {
        "apiVersion": SOURCE,
        "kind": "GitRepository",
        "metadata": _meta(GIT_SOURCE),
        "spec": spec,
    }


def manifests_kustomization(c: RenderedComponent, folder: str, repo: GitSource) -> dict[str, Any]:
    """The Kustomization applying ``c``'s manifests in ``folder`` (retried until its CRDs exist)."""
    return {
        "apiVersion": KUSTOMIZE,
        "kind": "Kustomization",
        "metadata": _meta(f"{c.name}-manifests"),
        "spec": {
            "interval": "10m",
            "retryInterval": "1m",
            "timeout": "5m",
            "sourceRef": {"kind": "GitRepository", "name": GIT_SOURCE},
            "path": f"./{repo.join(folder)}",
            "prune": True,
            "wait": True,
        },
    }


def _documents(plan: BundlePlan, c: RenderedComponent) -> list[dict[str, Any]]:
    docs: list[dict[str, Any]] = []
    if c.chart is not None:
        assert c.values_file is not None
        docs += [source(c), values_config_map(c, plan.text(c.values_file)), helm_release(c)]
    folders = list(dict.fromkeys(m.path.rpartition("/")[0] for m in c.manifests if m.apply))
    if folders:
        if plan.repo is None:
            raise InvalidRequestError(
                f"the flux deployer applies the manifests of {c.name} from Git: give --repo "
                "URL, the Git repository you will push the bundle to"
            )
        docs += [manifests_kustomization(c, folder, plan.repo) for folder in folders]
    return docs


def _multi(plan: BundlePlan, title: str, docs: list[dict[str, Any]]) -> str:
    first = render_yaml(docs[0], header=header(plan.meta, title), blank_lines=False)
    return first + "".join("---\n" + emit_yaml(d, literal=True) for d in docs[1:])


class FluxDeployer:
    """Flux sources, values ConfigMaps and HelmReleases chained by ``dependsOn``."""

    name = "flux"
    listing = (
        "- `flux/NN-<component>.yaml`: its chart source, values ConfigMap and HelmRelease\n"
        "- `flux/kustomization.yaml`: lists them all (`kubectl apply -k flux/`)\n"
    )

    def check(self, config: BundleConfig) -> None:
        """Nothing to refuse up front (``--repo`` is needed only for applied manifests)."""

    def files(self, plan: BundlePlan) -> list[tuple[str, str, bool]]:
        """One file per component, the GitRepository if needed, and kustomization.yaml."""
        out: list[tuple[str, str, bool]] = []
        for c in plan.components:
            docs = _documents(plan, c)
            if docs:
                title = f"Flux objects of {c.name} (namespace {c.namespace})"
                out.append((f"flux/{c.directory}.yaml", _multi(plan, title, docs), False))
        applied = any(m.apply for c in plan.components for m in c.manifests)
        if applied and plan.repo is not None:
            review = [m.path for c in plan.components for m in c.manifests if not m.apply]
            doc = git_repository(plan.repo, review)
            out.insert(
                0, ("flux/00-git-repository.yaml", _multi(plan, "GitRepository", [doc]), False)
            )
        resources = [path.removeprefix("flux/") for path, _, _ in out]
        kustomization = {
            "apiVersion": "kustomize.config.k8s.io/v1beta1",
            "kind": "Kustomization",
            "resources": resources,
        }
        title = "kustomize entry point: kubectl apply -k flux/"
        out.append(("flux/kustomization.yaml", _multi(plan, title, [kustomization]), False))
        return out

    def readme(self, plan: BundlePlan) -> str:
        """How to apply, check and remove the Flux objects."""
        git = ""
        if plan.repo is not None:
            git = (
                f"\nPush this directory to `{plan.repo.url}` (revision `{plan.repo.revision}`"
                f", path `{plan.repo.path}`) first: the GitRepository `{GIT_SOURCE}` reads the "
                "components' `manifests/` from it, and each `<component>-manifests` "
                "Kustomization applies them (retrying until the chart's CRDs exist).\n"
            )
        return f"""## Deploy with Flux
{git}
```shell
kubectl apply -k flux/
```

This creates, in `{NAMESPACE}`, each component's chart source (a HelmRepository, or an
OCIRepository for an `oci://` chart), a ConfigMap `<component>-values` holding its
`NN-<component>/values.yaml` byte for byte, and a HelmRelease that installs the chart
into the component's namespace with those values. `dependsOn` holds each HelmRelease until
the ones it depends on are ready, which gives the order above; CRDs are created and
replaced with the chart. To keep the bundle in Git instead, point a Flux Kustomization at
the `flux/` folder. It needs Flux 2.6 or later (helm-controller v1.3, source-controller v1.6).

## Check

```shell
flux get helmreleases -n {NAMESPACE}
kubectl get helmreleases -n {NAMESPACE} -l app.kubernetes.io/part-of={GIT_SOURCE}
```

## Remove

```shell
kubectl delete -k flux/
```

Deleting a HelmRelease uninstalls its chart; the charts' CRDs stay (Helm never deletes
CRDs) until deleted by hand.
"""
