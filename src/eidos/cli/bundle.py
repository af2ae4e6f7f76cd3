"""``eidos bundle``: deployment bundles (Helm values, manifests, scripts) from a recipe."""

from __future__ import annotations

from eidos.errors import InvalidRequestError
from eidos.names import COMMANDS, DEPLOYERS, GITOPS_DEPLOYERS, SUMMARY_FORMATS

TYPE_CHECKING = False
if TYPE_CHECKING:
    import argparse
    from typing import Any

__all__ = ["register", "run"]

EPILOG = f"""\
examples:
  eidos bundle -f recipe.yaml                             the whole stack under ./bundles
  eidos recipe --service eks --gpu h100 --intent training | eidos bundle -f - --force
  eidos bundle -f recipe.yaml --set gpu-operator:driver.version=580.95.05
  eidos bundle -f recipe.yaml --set nvsentinel:enabled=false -c gpu-operator
  eidos bundle -f recipe.yaml --system-node-selector nodeGroup=system \\
      --accelerated-toleration nvidia.com/gpu=present:NoSchedule
  eidos bundle -f recipe.yaml --registry registry.example.com/mirror
  eidos bundle -f recipe.yaml -o bundle.tar.gz             one reproducible archive
  eidos bundle -f recipe.yaml -o oci://registry.example.com/gpu/bundle:v1
  eidos bundle -f recipe.yaml -o oci://127.0.0.1:5000/bundle --plain-http
  eidos bundle -f recipe.yaml --deployer helmfile            helmfile.yaml, helmfile apply
  eidos bundle -f recipe.yaml --deployer argocd --repo https://github.com/example/gitops.git \\
      --repo-path clusters/gpu                            Argo CD app-of-apps

The bundle: README.md (what is installed, in which order, how to check and remove it),
NN-<component>/values.yaml and manifests/ in deployment order, recipe.yaml, images.txt,
charts.txt, checksums.txt, and the deployer's files: {DEPLOYERS[0]} (default): deploy.sh and
undeploy.sh (--dry-run prints every command); argocd: an Application per component in sync
waves and an app-of-apps (needs --repo); flux: HelmRelease per component with dependsOn
(--repo when a component has manifests to apply); helmfile: helmfile.yaml with needs.
The same recipe and flags always give the same bytes, archives included.

-o DIR writes a directory; -o FILE.tar.gz (or .tgz, .zip) a reproducible archive of the same
files (sorted, fixed times, owner 0); -o oci://REGISTRY/REPO[:TAG] pushes that tar.gz as an
OCI artifact (tag default latest; pull it with `oras pull`). Registry credentials come from
EIDOS_REGISTRY_USERNAME/EIDOS_REGISTRY_PASSWORD, else the Docker configuration
($DOCKER_CONFIG or ~/.docker/config.json: `docker login` or a credential helper).

--set COMPONENT:PATH=VALUE types VALUE: true/false, null, numbers, "quoted" strings,
[JSON] and {{JSON}}; a '.' inside a key is '\\.'. COMPONENT:enabled=false drops a
component and is refused while a kept component depends on it.

The output is written in one atomic step. A directory is replaced only with --force and only
if eidos wrote it (its .eidos-bundle file lists every file). A second eidos writing it
waits (--no-wait: exit 3). A summary goes to stdout; a component that fails is reported
and so is everything that depends on it, the others are written (--fail-fast: nothing
is). Exit code: that of the first failure (2: bad recipe, flags or values; 3: file I/O).
"""


def _repeatable(p: argparse.ArgumentParser, flag: str, metavar: str, text: str) -> None:
    p.add_argument(flag, metavar=metavar, action="append", default=[], help=text)


def register(subparsers: Any) -> argparse.ArgumentParser:
    """Declare ``eidos bundle`` and its options."""
    from eidos.cli.app import completes

    p: argparse.ArgumentParser = subparsers.add_parser(
        "bundle",
        help=COMMANDS["bundle"],
        description="Render one deployable bundle of every component of a recipe: Helm "
        "values and manifests per component, deploy.sh/undeploy.sh in deployment order, "
        "the image and chart lists, checksums and a README.",
        epilog=EPILOG,
    )
    p.add_argument(
        "-f",
        "--recipe",
        metavar="URI",
        required=True,
        help="the recipe: FILE, - (stdin), http(s)://... or cm://namespace/name",
    )
    p.add_argument(
        "-o",
        "--output",
        metavar="DIR|FILE.tar.gz|oci://REF",
        default="./bundles",
        help="where the bundle goes: a directory (default ./bundles), an archive FILE.tar.gz, "
        ".tgz or .zip, or an OCI registry oci://REGISTRY/REPO[:TAG]",
    )
    p.add_argument(
        "--plain-http",
        action="store_true",
        help="push to an oci:// registry over plain HTTP (a local registry without TLS)",
    )
    p.add_argument(
        "--insecure-tls",
        action="store_true",
        help="push to an oci:// registry without verifying its TLS certificate",
    )
    p.add_argument(
        "-c",
        "--component",
        "-b",
        "--bundlers",
        dest="components",
        metavar="NAME[,NAME]",
        action="append",
        help="bundle only these components and what they depend on; repeatable and "
        "comma-separated (default: every component of the recipe)",
    )
    _repeatable(
        p,
        "--set",
        "COMPONENT:PATH=VALUE",
        "set a Helm value of a component (repeatable; COMPONENT:enabled=false drops it)",
    )
    _repeatable(
        p,
        "--system-node-selector",
        "KEY=VALUE",
        "node selector of the system pods (operators, controllers; repeatable)",
    )
    _repeatable(
        p,
        "--system-toleration",
        "KEY[=VALUE][:EFFECT]",
        "toleration of the system pods (repeatable)",
    )
    _repeatable(
        p,
        "--accelerated-node-selector",
        "KEY=VALUE",
        "node selector of the pods on GPU nodes (node agents; repeatable)",
    )
    _repeatable(
        p,
        "--accelerated-toleration",
        "KEY[=VALUE][:EFFECT]",
        "toleration of the pods on GPU nodes (repeatable)",
    )
    p.add_argument(
        "--registry",
        metavar="HOST[/PATH]",
        help="pull every image from this registry (a mirror keeping each image's path)",
    )
    completes(
        p.add_argument(
            "--deployer",
            metavar="NAME",
            default=DEPLOYERS[0],
            help=f"how the bundle installs: {', '.join(DEPLOYERS)} (default {DEPLOYERS[0]})",
        ),
        DEPLOYERS,
    )
    gitops = ", ".join(GITOPS_DEPLOYERS)
    p.add_argument(
        "--repo",
        metavar="URL",
        help=f"Git repository you will push the bundle to; {gitops} read it from there",
    )
    p.add_argument(
        "--repo-revision",
        metavar="REV",
        default="main",
        help="branch, refs/... name or commit of --repo the GitOps tool follows (default main)",
    )
    p.add_argument(
        "--repo-path",
        metavar="PATH",
        default=".",
        help="folder of --repo that will hold the bundle (default: the repository root)",
    )
    completes(
        p.add_argument(
            "-t",
            "--format",
            metavar="FORMAT",
            default=SUMMARY_FORMATS[0],
            help=f"summary format on stdout: {', '.join(SUMMARY_FORMATS)} "
            f"(default {SUMMARY_FORMATS[0]})",
        ),
        SUMMARY_FORMATS,
    )
    p.add_argument(
        "--force",
        action="store_true",
        help="replace the bundle in the output directory (only a directory eidos wrote)",
    )
    p.add_argument(
        "--no-wait",
        action="store_true",
        help="fail at once (exit 3) if another eidos is writing the output directory, "
        "instead of waiting for it",
    )
    p.add_argument(
        "--fail-fast",
        action="store_true",
        help="write nothing if any component fails, and stop at the first failure",
    )
    p.add_argument(
        "--namespace",
        metavar="NAMESPACE",
        help="install every component into this namespace (default: each its own)",
    )
    _repeatable(
        p,
        "--chart-version",
        "COMPONENT=VERSION",
        "Helm chart version of a component (default: the recipe's)",
    )
    _repeatable(
        p,
        "--chart-repo",
        "COMPONENT=URL",
        "Helm repository of a component, https:// or oci:// (default: the recipe's)",
    )
    _repeatable(p, "--label", "KEY=VALUE", "label for the generated custom resources")
    _repeatable(p, "--annotation", "KEY=VALUE", "annotation for the generated custom resources")
    return p


def _pairs(option: str, values: list[str]) -> dict[str, str]:
    pairs: dict[str, str] = {}
    for item in values:
        key, sep, value = item.partition("=")
        if not sep or not key.strip() or not value.strip():
            raise InvalidRequestError(f"{option} expects KEY=VALUE, got {item!r}")
        pairs[key.strip()] = value.strip()
    return pairs


def _summary(report: Any, fmt: str) -> str:
    if fmt != "table":
        from eidos.serializer import dumps

        return dumps(report.to_dict(), fmt)
    rows = [("COMPONENT", "FOLDER", "FILES", "BYTES", "STATUS")]
    for r in report.results:
        rows.append((r.name, r.directory or "-", str(len(r.files)), str(r.total_bytes), r.status))
    widths = [max(len(row[i]) for row in rows) for i in range(4)]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(row[:4], widths, strict=True)) + "  " + row[4]
        for row in rows
    ]
    total = f"{report.total_files} files, {report.total_bytes} bytes in {report.output_dir}"
    return "\n".join(line.rstrip() for line in lines) + f"\n{total}\n"


def _config(args: argparse.Namespace) -> Any:
    from eidos.bundlers.options import bundle_config

    return bundle_config(
        deployer=args.deployer,
        sets=args.set,
        scheduling={
            "system-node-selector": args.system_node_selector,
            "system-toleration": args.system_toleration,
            "accelerated-node-selector": args.accelerated_node_selector,
            "accelerated-toleration": args.accelerated_toleration,
        },
        registry=args.registry,
        components=args.components,
        repo=args.repo,
        repo_revision=args.repo_revision,
        repo_path=args.repo_path,
        namespace=args.namespace,
        force=args.force,
        wait=not args.no_wait,
        fail_fast=args.fail_fast,
        chart_versions=_pairs("--chart-version", args.chart_version),
        chart_repositories=_pairs("--chart-repo", args.chart_repo),
        labels=_pairs("--label", args.label),
        annotations=_pairs("--annotation", args.annotation),
    )


def _recipe(uri: str) -> Any:
    from eidos.model import DocumentError, Recipe
    from eidos.serializer import read_document

    raw = read_document(uri)
    try:
        return raw if isinstance(raw, Recipe) else Recipe.from_dict(raw)
    except DocumentError as exc:
        origin = "stdin" if uri == "-" else uri
        raise InvalidRequestError(f"{origin}: {exc}") from None


def run(args: argparse.Namespace) -> int:
    """Read the recipe, make the bundle, print the summary; raise the first failure."""
    from eidos.bundlers import make_bundles
    from eidos.bundlers.options import raise_failures
    from eidos.bundlers.output import open_output
    from eidos.serializer import parse_format
    from eidos.serializer.destinations import StdoutDestination

    fmt = parse_format(args.format, default=SUMMARY_FORMATS[0])
    summary = StdoutDestination()  # a closed stdout fails here, before anything is written
    config = _config(args)
    output = open_output(
        args.output,
        force=config.force,
        wait=config.wait,
        plain_http=args.plain_http,
        insecure_tls=args.insecure_tls,
        detach=True,
    )
    recipe = _recipe(args.recipe)
    report = make_bundles(recipe, output, config)
    summary.write(_summary(report, fmt), fmt=fmt)
    raise_failures(report)
    return 0
