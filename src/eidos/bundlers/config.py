"""BundleConfig: the user's choices for one ``eidos bundle`` run, validated at the edge."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from eidos import __version__
from eidos.bundlers.overrides import Overrides
from eidos.errors import InvalidRequestError

__all__ = ["BundleConfig"]

_NAMESPACE = re.compile(r"[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?")
_CHART_VERSION = re.compile(r"v?[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}")
_REPO_URL = re.compile(r"(https?|oci)://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~%+=@/-]*)?")
_LABEL_KEY = re.compile(
    r"([a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?/)?"
    r"[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?"
)
_LABEL_VALUE = re.compile(r"([A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?)?")


def _frozen(mapping: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(sorted(mapping.items())))


@dataclass(frozen=True, kw_only=True)
class BundleConfig:
    """What the user chose; the recipe decides everything else.

    Raises:
        InvalidRequestError: on construction, for any malformed value (the message says
            which and what a valid one looks like).
    """

    namespace: str | None = None
    """Namespace for every component; ``None`` keeps each component's own."""
    chart_versions: Mapping[str, str] = field(default_factory=dict)
    """component name -> Helm chart version; default: the recipe's."""
    chart_repositories: Mapping[str, str] = field(default_factory=dict)
    """component name -> Helm repository URL (https:// or oci://); default: the recipe's."""
    components: tuple[str, ...] = ()
    """Bundle only these components and what they depend on; empty: every component."""
    overrides: Overrides = field(default_factory=Overrides)
    """``--set``, scheduling and ``--registry``."""
    deployer: str = "helm"
    """How the bundle installs its components (:data:`eidos.names.DEPLOYERS`)."""
    fail_fast: bool = False
    """Write nothing when any component fails; default: the others are written."""
    force: bool = False
    """Replace an existing bundle output directory (one eidos wrote) instead of refusing."""
    wait: bool = True
    """Wait while another eidos writes the same output directory; False fails at once
    (exit 3, naming the other process)."""
    version: str = __version__
    """Bundler version printed in every generated file's header."""
    labels: Mapping[str, str] = field(default_factory=dict)
    """Labels added to generated manifests (and GPU Operator operand pods)."""
    annotations: Mapping[str, str] = field(default_factory=dict)
    """Annotations added to generated manifests (and GPU Operator operand pods)."""

    def __post_init__(self) -> None:
        if self.namespace is not None and not _NAMESPACE.fullmatch(self.namespace):
            raise InvalidRequestError(
                f"invalid namespace {self.namespace!r}: use at most 63 lower-case letters, "
                "digits and '-', starting and ending with a letter or digit"
            )
        for bundler, value in self.chart_versions.items():
            if not _CHART_VERSION.fullmatch(value):
                raise InvalidRequestError(
                    f"invalid chart version {value!r} for {bundler}: expected e.g. v25.3.0"
                )
        for bundler, url in self.chart_repositories.items():
            if len(url) > 2048 or not _REPO_URL.fullmatch(url):
                raise InvalidRequestError(
                    f"invalid chart repository {url!r} for {bundler}: expected an "
                    "https:// or oci:// URL such as https://helm.ngc.nvidia.com/nvidia"
                )
        for kind, mapping in (("label", self.labels), ("annotation", self.annotations)):
            for key, value in mapping.items():
                if not _LABEL_KEY.fullmatch(key):
                    raise InvalidRequestError(f"invalid {kind} key {key!r}")
                if kind == "label" and not _LABEL_VALUE.fullmatch(value):
                    raise InvalidRequestError(f"invalid label value {value!r} for {key}")
                if kind == "annotation" and ("\x00" in value or len(value) > 4096):
                    raise InvalidRequestError(f"invalid annotation value for {key}")
        for name in ("chart_versions", "chart_repositories", "labels", "annotations"):
            object.__setattr__(self, name, _frozen(getattr(self, name)))

    def named_components(self) -> set[str]:
        """Component names the options refer to (checked against the recipe)."""
        return (
            set(self.chart_versions)
            | set(self.chart_repositories)
            | set(self.components)
            | {s.component for s in self.overrides.sets}
        )
