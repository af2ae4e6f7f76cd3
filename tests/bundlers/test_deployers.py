"""Deployers argocd, flux and helmfile: real CRD schemas, order, values taken from the bundle."""

from __future__ import annotations

import functools
from typing import Any

import pytest
import yaml
from bundle_helpers import FIXTURES, crd_problems, reference_recipe

from eidos.bundlers import BundleConfig, build_bundle
from eidos.bundlers.config import GitSource
from eidos.bundlers.deployers import DEPLOYER_TABLE, deployer_for
from eidos.errors import InvalidRequestError
from eidos.model import Query, Recipe
from eidos.names import DEPLOYERS
from eidos.recipe import RecipeBuilder, RecipeStore

CRDS = FIXTURES / "crds"
CRD_OF_KIND = {
    "Application": CRDS / "argocd-application.yaml",
    "AppProject": CRDS / "argocd-appproject.yaml",
    "HelmRelease": CRDS / "flux-helmreleases.yaml",
    "HelmRepository": CRDS / "flux-helmrepositories.yaml",
    "OCIRepository": CRDS / "flux-ocirepositories.yaml",
}
REPO = GitSource(url="https://github.com/example/gitops.git", revision="main", path="clusters/gpu")


@functools.cache
def _full_stack(service: str = "eks") -> Recipe:
    query = Query.build(os="ubuntu", service=service, gpu="h100", intent="training")
    return RecipeBuilder(RecipeStore.load(), cache_size=0).build(query)


def _recipes() -> list[Recipe]:
    """A full stack with OCI charts and review-only manifests, and the legacy recipe whose
    NicClusterPolicy is applied after its chart."""
    return [_full_stack(), _full_stack("aks"), reference_recipe()]


def _files(recipe: Recipe, deployer: str, **config: Any) -> dict[str, bytes]:
    bundle = build_bundle(recipe, BundleConfig(version="1.0", deployer=deployer, **config))
    assert all(r.error is None for r in bundle.report.results)
    return {path: data for path, (data, _) in bundle.tree.items()}


def _docs(files: dict[str, bytes], prefix: str) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path, data in files.items():
        if path.startswith(prefix) and path.endswith(".yaml"):
            out += [(path, d) for d in yaml.safe_load_all(data) if d is not None]
    return out


def _order(recipe: Recipe) -> list[str]:
    names = {r.name for r in recipe.component_refs} or {"gpu-operator", "network-operator"}
    return [n for n in recipe.deployment_order if n in names] or [
        "gpu-operator",
        "network-operator",
    ]


def test_deployer_names_come_from_one_table() -> None:
    assert tuple(DEPLOYER_TABLE) == DEPLOYERS
    for name in DEPLOYERS:
        assert deployer_for(name.upper()).name == name
    with pytest.raises(InvalidRequestError, match="valid deployers: helm, argocd, flux, helmfile"):
        deployer_for("kustomize")


@pytest.mark.parametrize("recipe", _recipes(), ids=["eks", "aks", "legacy"])
def test_argocd_objects_validate_and_follow_the_order(recipe: Recipe) -> None:
    files = _files(recipe, "argocd", repo=REPO)
    docs = _docs(files, "argocd/")
    for path, doc in docs:
        assert crd_problems(doc, CRD_OF_KIND[doc["kind"]]) == [], path
    apps = {d["metadata"]["name"]: d for _, d in docs if d["kind"] == "Application"}
    parent = apps.pop("eidos-bundle")
    assert parent["spec"]["source"]["path"] == "clusters/gpu/argocd/applications"
    assert _docs(files, "argocd/app-of-apps.yaml") == [("argocd/app-of-apps.yaml", parent)]
    order = [c for c in _order(recipe) if c in apps]
    assert order == list(apps)
    waves = {
        n: int(a["metadata"]["annotations"]["argocd.argoproj.io/sync-wave"])
        for n, a in apps.items()
    }
    assert [waves[n] for n in order] == list(range(1, len(order) + 1))
    refs = {r.name: r for r in recipe.component_refs}
    for name, app in apps.items():
        for dep in refs[name].dependency_refs if refs else ():
            assert waves[dep] < waves[name]
        sources = app["spec"]["sources"]
        chart = sources[0]
        values = chart["helm"]["valueFiles"][0].removeprefix("$values/clusters/gpu/")
        assert values.endswith(f"-{name}/values.yaml") and values in files
        assert {"repoURL": REPO.url, "targetRevision": "main", "ref": "values"} in sources
        assert f"{chart['repoURL']}" in files["charts.txt"].decode().replace("oci://", "")
        for extra in sources[2:]:
            folder = extra["path"].removeprefix("clusters/gpu/")
            included = extra["directory"]["include"].strip("{}").split(",")
            assert all(f"{folder}/{n}" in files for n in included)
    project = next(d for _, d in docs if d["kind"] == "AppProject")
    namespaces = {a["spec"]["destination"]["namespace"] for a in apps.values()}
    assert {d["namespace"] for d in project["spec"]["destinations"]} == namespaces


def test_argocd_never_applies_a_manifest_kept_for_review() -> None:
    files = _files(_full_stack(), "argocd", repo=REPO)
    assert "04-gpu-operator/manifests/clusterpolicy.yaml" in files
    gpu = yaml.safe_load(files["argocd/applications/04-gpu-operator.yaml"])
    assert [s.get("path") for s in gpu["spec"]["sources"]] == [None, None]
    legacy = _files(reference_recipe(), "argocd", repo=REPO)
    network = yaml.safe_load(legacy["argocd/applications/02-network-operator.yaml"])
    assert network["spec"]["sources"][2]["directory"]["include"] == "nicclusterpolicy.yaml"


def test_argocd_needs_a_repository_and_says_so() -> None:
    with pytest.raises(InvalidRequestError, match="argocd deployer needs --repo"):
        build_bundle(_full_stack(), BundleConfig(deployer="argocd"))


def test_crd_validation_catches_a_broken_application() -> None:
    files = _files(_full_stack(), "argocd", repo=REPO)
    app = yaml.safe_load(files["argocd/applications/02-cert-manager.yaml"])
    app["spec"]["sources"][0]["helm"]["valueFile"] = "typo"
    del app["spec"]["destination"]
    problems = crd_problems(app, CRD_OF_KIND["Application"])
    assert any("destination" in p for p in problems)
    assert any("valueFile" in p for p in problems)


@pytest.mark.parametrize("recipe", _recipes(), ids=["eks", "aks", "legacy"])
def test_flux_objects_validate_and_chain_by_depends_on(recipe: Recipe) -> None:
    files = _files(recipe, "flux", repo=REPO)
    docs = _docs(files, "flux/")
    by_kind: dict[str, dict[str, dict[str, Any]]] = {}
    for path, doc in docs:
        if doc["kind"] in CRD_OF_KIND:
            assert crd_problems(doc, CRD_OF_KIND[doc["kind"]]) == [], path
        if "metadata" in doc:
            assert doc["metadata"]["namespace"] == "flux-system"
            by_kind.setdefault(doc["kind"], {})[doc["metadata"]["name"]] = doc
    releases = by_kind["HelmRelease"]
    assert list(releases) == [c for c in _order(recipe) if c in releases]
    refs = {r.name: r for r in recipe.component_refs}
    for position, (name, release) in enumerate(releases.items()):
        spec = release["spec"]
        deps = [d["name"] for d in spec.get("dependsOn", [])]
        assert deps == (list(refs[name].dependency_refs) if refs else [])
        assert all(d in list(releases)[:position] for d in deps)
        config_map = by_kind["ConfigMap"][spec["valuesFrom"][0]["name"]]
        values_path = next(p for p in files if p.endswith(f"-{name}/values.yaml"))
        assert config_map["data"]["values.yaml"].encode() == files[values_path]
        if "chartRef" in spec:
            source = by_kind["OCIRepository"][spec["chartRef"]["name"]]
            assert source["spec"]["url"].startswith("oci://")
        else:
            ref = spec["chart"]["spec"]["sourceRef"]
            assert ref["name"] in by_kind[ref["kind"]]
    kustomization = yaml.safe_load(files["flux/kustomization.yaml"])
    listed = {f"flux/{r}" for r in kustomization["resources"]}
    assert listed == {p for p in files if p.startswith("flux/")} - {"flux/kustomization.yaml"}


def test_flux_uses_oci_repositories_for_oci_charts() -> None:
    files = _files(_full_stack(), "flux")
    kinds = [d["kind"] for _, d in _docs(files, "flux/05-kai-scheduler.yaml")]
    assert kinds == ["OCIRepository", "ConfigMap", "HelmRelease"]
    assert "GitRepository" not in files["flux/kustomization.yaml"].decode()


def test_flux_applies_manifests_from_git_and_ignores_review_files() -> None:
    files = _files(_full_stack("aks"), "flux", repo=REPO)
    git = yaml.safe_load(files["flux/00-git-repository.yaml"])
    assert git["spec"]["ref"] == {"branch": "main"}
    assert git["spec"]["ignore"] == "/clusters/gpu/03-gpu-operator/manifests/clusterpolicy.yaml\n"
    network = [
        d for _, d in _docs(files, "flux/05-network-operator.yaml") if d["kind"] == "Kustomization"
    ]
    assert [k["spec"]["path"] for k in network] == ["./clusters/gpu/05-network-operator/manifests"]
    with pytest.raises(InvalidRequestError, match="manifests of network-operator from Git"):
        build_bundle(_full_stack("aks"), BundleConfig(deployer="flux"))


def test_helmfile_releases_need_their_dependencies_and_read_bundle_values() -> None:
    for recipe in _recipes():
        files = _files(recipe, "helmfile")
        doc = yaml.safe_load(files["helmfile.yaml"])
        repos = {r["name"]: r for r in doc["repositories"]}
        releases = doc["releases"]
        assert [r["name"] for r in releases] == _order(recipe)
        seen: set[str] = set()
        charts = {
            line.split()[0]: line.split() for line in files["charts.txt"].decode().splitlines()
        }
        for release in releases:
            for need in release.get("needs", []):
                assert need in seen, f"{release['name']} needs {need} before it is released"
            seen.add(f"{release['namespace']}/{release['name']}")
            assert all(v in files for v in release["values"])
            repo_name, chart = release["chart"].split("/", 1)
            _, url, chart_name, version = charts[release["name"]]
            assert (chart, release["version"]) == (chart_name, version)
            assert repos[repo_name]["url"] == url.removeprefix("oci://")
            assert repos[repo_name].get("oci", False) == url.startswith("oci://")
            for hook in release.get("hooks", []):
                assert hook["command"] == "kubectl" and hook["events"] == ["postsync"]
                if hook["args"][0] == "apply":
                    assert hook["args"][2] in files


def test_helmfile_applies_only_applied_manifests_after_the_chart() -> None:
    files = _files(_full_stack("aks"), "helmfile")
    releases = {r["name"]: r for r in yaml.safe_load(files["helmfile.yaml"])["releases"]}
    assert "hooks" not in releases["gpu-operator"] or all(
        "clusterpolicy" not in " ".join(h["args"]) for h in releases["gpu-operator"]["hooks"]
    )
    applied = [h["args"] for h in releases["network-operator"]["hooks"] if h["args"][0] == "apply"]
    assert applied == [["apply", "-f", "05-network-operator/manifests/nicclusterpolicy.yaml"]]


@pytest.mark.parametrize(
    ("deployer", "files", "command"),
    [
        ("helm", {"deploy.sh", "undeploy.sh"}, "./deploy.sh"),
        (
            "argocd",
            {"argocd/app-of-apps.yaml"},
            "kubectl apply -n argocd -f argocd/app-of-apps.yaml",
        ),
        ("flux", {"flux/kustomization.yaml"}, "kubectl apply -k flux/"),
        ("helmfile", {"helmfile.yaml"}, "helmfile apply"),
    ],
)
def test_each_deployer_writes_its_files_and_readme_says_how_to_apply(
    deployer: str, files: set[str], command: str
) -> None:
    written = _files(_full_stack(), deployer, repo=REPO)
    assert files <= set(written)
    others = {"deploy.sh", "helmfile.yaml", "argocd/app-of-apps.yaml", "flux/kustomization.yaml"}
    assert not (others - files) & set(written)
    readme = written["README.md"].decode()
    assert command in readme
    listed = {line.split("  ", 1)[1] for line in written["checksums.txt"].decode().splitlines()}
    assert listed == set(written) - {"checksums.txt"}


def test_deployer_output_is_byte_identical_across_runs() -> None:
    for deployer in DEPLOYERS:
        assert _files(_full_stack(), deployer, repo=REPO) == _files(
            _full_stack(), deployer, repo=REPO
        )


@pytest.mark.parametrize(
    "kwargs",
    [
        {"url": "ftp://example.com/repo"},
        {"url": "https://example.com/repo", "revision": "../main"},
        {"url": "https://example.com/repo", "revision": "-x"},
        {"url": "https://example.com/repo", "path": "a/../b"},
        {"url": "https://example.com/repo", "path": "a b"},
        {"url": "https://example.com/re po"},
    ],
)
def test_bad_git_sources_are_refused(kwargs: dict[str, str]) -> None:
    with pytest.raises(InvalidRequestError):
        GitSource(**kwargs)


def test_git_source_paths_join_bundle_paths() -> None:
    assert GitSource(url="git@github.com:o/r.git").join("argocd/x.yaml") == "argocd/x.yaml"
    assert GitSource(url="ssh://git@h/o/r", path="/a/b/").join("x") == "a/b/x"
