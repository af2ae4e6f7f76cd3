"""The ``argocd`` deployer: one Argo CD Application per component, plus an app-of-apps.

Each Application installs its component's chart from the chart's repository with the
bundle's ``NN-name/values.yaml`` read from the Git repository the bundle is pushed to
(``--repo``; a multi-source Application with a ``$values`` reference), and syncs the
component's applied manifests from the same repository. Sync waves follow the deployment
order. ``argocd/app-of-apps.yaml`` is the one object a user applies: it syncs
``argocd/applications/`` (an AppProject, then the Applications, wave by wave).
"""

from __future__ import annotations

from eidos.bundlers.config import BundleConfig, GitSource
from eidos.bundlers.deployers._gitops import chart_host, header
from eidos.bundlers.plan import BundlePlan, RenderedComponent
from eidos.bundlers.yamlfile import render_yaml
from eidos.errors import InvalidRequestError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["ArgoCDDeployer"]

API_VERSION = "argoproj.io/v1alpha1"
#: Argo CD's own namespace, where Applications and AppProjects live
NAMESPACE = "argocd"
#: the app-of-apps and the AppProject every Application belongs to
PARENT = "eidos-bundle"
IN_CLUSTER = "https://kubernetes.default.svc"
FINALIZER = "resources-finalizer.argocd.argoproj.io"
APPLICATIONS = "argocd/applications"
_SYNC_OPTIONS = ["CreateNamespace=true", "ServerSideApply=true", "SkipDryRunOnMissingResource=true"]
_RETRY = {"limit": 5, "backoff": {"duration": "10s", "factor": 2, "maxDuration": "5m"}}


def _sync_policy(*, namespace: bool = True) -> dict[str, Any]:
    return {
        "automated": {"prune": True, "selfHeal": True},
        "syncOptions": _SYNC_OPTIONS if namespace else _SYNC_OPTIONS[1:],
        "retry": _RETRY,
    }


def _chart_source(c: RenderedComponent, repo: GitSource) -> dict[str, Any]:
    assert c.chart is not None and c.values_file is not None
    source: dict[str, Any] = {
        "repoURL": chart_host(c.chart.repository),
        "chart": c.chart.name,
        "targetRevision": c.chart.version,
        "helm": {"releaseName": c.name, "valueFiles": [f"$values/{repo.join(c.values_file)}"]},
    }
    return source


def _sources(c: RenderedComponent, repo: GitSource) -> list[dict[str, Any]]:
    git = {"repoURL": repo.url, "targetRevision": repo.revision}
    sources: list[dict[str, Any]] = []
    if c.chart is not None:
        sources += [_chart_source(c, repo), {**git, "ref": "values"}]
    folders: dict[str, list[str]] = {}
    for m in c.manifests:
        if m.apply:
            folder, _, name = m.path.rpartition("/")
            folders.setdefault(folder, []).append(name)
    for folder, names in folders.items():
        include = names[0] if len(names) == 1 else "{" + ",".join(names) + "}"
        sources.append({**git, "path": repo.join(folder), "directory": {"include": include}})
    return sources


def _metadata(name: str, wave: int | None = None) -> dict[str, Any]:
    meta: dict[str, Any] = {
        "name": name,
        "namespace": NAMESPACE,
        "labels": {"app.kubernetes.io/managed-by": "eidos", "app.kubernetes.io/part-of": PARENT},
    }
    if wave is not None:
        meta["annotations"] = {"argocd.argoproj.io/sync-wave": str(wave)}
    meta["finalizers"] = [FINALIZER]
    return meta


def application(c: RenderedComponent, wave: int, repo: GitSource) -> dict[str, Any]:
    """The Application of one component, in sync wave ``wave``."""
    return {
        "apiVersion": API_VERSION,
        "kind": "Application",
        "metadata": _metadata(c.name, wave),
        "spec": {
            "project": PARENT,
            "destination": {"server": IN_CLUSTER, "namespace": c.namespace},
            "sources": _sources(c, repo),
            "syncPolicy": _sync_policy(),
        },
    }


def project(plan: BundlePlan, repo: GitSource) -> dict[str, Any]:
    """The AppProject: the bundle's chart and Git repositories, its namespaces, wave 0."""
    repos = [repo.url]
    for c in plan.components:
        if c.chart is not None and chart_host(c.chart.repository) not in repos:
            repos.append(chart_host(c.chart.repository))
    namespaces = list(dict.fromkeys(c.namespace for c in plan.components))
    return {
        "apiVersion": API_VERSION,
        "kind": "AppProject",
        "metadata": _metadata(PARENT, 0),
        "spec": {
            "description": "Components of an eidos bundle: " + ", ".join(namespaces),
            "sourceRepos": repos,
            "destinations": [{"server": IN_CLUSTER, "namespace": ns} for ns in namespaces],
            "clusterResourceWhitelist": [{"group": "*", "kind": "*"}],
        },
    }


def app_of_apps(repo: GitSource) -> dict[str, Any]:
    """The parent Application: syncs ``argocd/applications`` from the Git repository."""
    return {
        "apiVersion": API_VERSION,
        "kind": "Application",
        "metadata": _metadata(PARENT),
        "spec": {
            "project": "default",
            "destination": {"server": IN_CLUSTER, "namespace": NAMESPACE},
            "source": {
                "repoURL": repo.url,
                "targetRevision": repo.revision,
                "path": repo.join(APPLICATIONS),
                "directory": {"recurse": False},
            },
            "syncPolicy": _sync_policy(namespace=False),
        },
    }


class ArgoCDDeployer:
    """Argo CD Applications (sync waves in deployment order) and their app-of-apps."""

    name = "argocd"
    listing = (
        "- `argocd/app-of-apps.yaml`: the Application to apply (see below); it syncs\n"
        "  `argocd/applications/`: the AppProject and one Application per component\n"
    )

    def check(self, config: BundleConfig) -> None:
        """Argo CD reads the bundle from Git: ``--repo`` is required."""
        if config.repo is None:
            raise InvalidRequestError(
                "the argocd deployer needs --repo URL: the Git repository you will push the "
                "bundle to (Argo CD reads the applications and values files from it)"
            )

    def files(self, plan: BundlePlan) -> list[tuple[str, str, bool]]:
        """The app-of-apps, the AppProject and one Application per component."""
        repo = plan.repo
        assert repo is not None
        meta = plan.meta
        out = [
            (
                f"{APPLICATIONS}/00-project.yaml",
                render_yaml(project(plan, repo), header=header(meta, "AppProject")),
                False,
            )
        ]
        for wave, c in enumerate(plan.components, 1):
            out.append(
                (
                    f"{APPLICATIONS}/{c.directory}.yaml",
                    render_yaml(
                        application(c, wave, repo),
                        header=header(meta, f"Application {c.name} (sync wave {wave})"),
                    ),
                    False,
                )
            )
        parent = render_yaml(app_of_apps(repo), header=header(meta, "App of apps"))
        return [("argocd/app-of-apps.yaml", parent, False), *out]

    def readme(self, plan: BundlePlan) -> str:
        """How to push, apply, check and remove the Applications."""
        repo = plan.repo
        assert repo is not None
        where = "the root" if repo.path == "." else f"`{repo.path}/`"
        return f"""## Deploy with Argo CD

Push this directory to {where} of `{repo.url}` (revision `{repo.revision}`), then:

```shell
kubectl apply -n {NAMESPACE} -f argocd/app-of-apps.yaml
```

`{PARENT}` syncs `argocd/applications/`: the AppProject `{PARENT}` (wave 0), then one
Application per component, in sync waves 1, 2, ... in the order above. Each installs its
chart from the chart's repository with `NN-<component>/values.yaml` from this repository
and applies its `manifests/` (not the ones marked for review). Argo CD waits for a wave to
be healthy before the next only when it assesses Applications' health; since Argo CD 1.8
that needs this in `argocd-cm` (otherwise the waves only order the creation):

```yaml
resource.customizations.health.argoproj.io_Application: |
  hs = {{}}
  hs.status = "Progressing"
  hs.message = ""
  if obj.status ~= nil and obj.status.health ~= nil then
    hs.status = obj.status.health.status
    if obj.status.health.message ~= nil then
      hs.message = obj.status.health.message
    end
  end
  return hs
```

Charts from an `oci://` registry need that registry declared to Argo CD as a Helm
repository with `enableOCI: "true"`; a private Git repository needs its credentials.

## Check

```shell
kubectl get applications -n {NAMESPACE} -l app.kubernetes.io/part-of={PARENT}
argocd app list --project {PARENT}
```

## Remove

```shell
kubectl delete -n {NAMESPACE} -f argocd/app-of-apps.yaml
```

Deleting the app-of-apps deletes the Applications, and their finalizers delete what each
installed (CRDs included, and with them every custom resource).
"""
