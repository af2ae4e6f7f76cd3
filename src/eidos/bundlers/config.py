"""BundleConfig: the user's choices for one ``eidos bundle`` run, validated at the edge."""

from __future__ import annotations

from types import MappingProxyType

from eidos import __version__
from eidos.bundlers.overrides import Overrides
from eidos.charsets import ALNUM, LOWER_DIGITS, digits, label_key, label_value, token
from eidos.errors import InvalidRequestError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["BundleConfig", "GitSource"]

# The shapes of the values (each check in the tests is held against its pattern here):
#   namespace       [a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?
#   chart version   v?[0-9A-Za-z][0-9A-Za-z.+_-]{0,63}
#   chart repo URL  (https?|oci)://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~%+=@/-]*)?
#   Git URL         (https?|ssh|git)://[A-Za-z0-9._~%+@:-]+(/[A-Za-z0-9._~%+=@/-]*)?
#                   | [A-Za-z0-9._-]+@[A-Za-z0-9.-]+:[A-Za-z0-9._~/-]+
#   Git revision    [A-Za-z0-9][A-Za-z0-9._/+-]{0,199}
#   Git path        [A-Za-z0-9._/-]{1,1024}
_NAMESPACE_MIDDLE = LOWER_DIGITS | {"-"}
_VERSION_MIDDLE = ALNUM | frozenset(".+_-")
_HOST = ALNUM | frozenset(".-")
_URL_PATH = ALNUM | frozenset("._~%+=@/-")
_GIT_AUTHORITY = ALNUM | frozenset("._~%+@:-")
_GIT_USER = ALNUM | frozenset("._-")
_GIT_SCP_PATH = ALNUM | frozenset("._~/-")
_GIT_REVISION = ALNUM | frozenset("._/+-")
_GIT_PATH = ALNUM | frozenset("._/-")


def _namespace(text: str) -> bool:
    return token(text, LOWER_DIGITS, _NAMESPACE_MIDDLE, LOWER_DIGITS, longest=63)


def _chart_version(text: str) -> bool:
    return token(text, ALNUM, _VERSION_MIDDLE, longest=64) or (
        text[:1] == "v" and token(text[1:], ALNUM, _VERSION_MIDDLE, longest=64)
    )


def _url_path(text: str) -> bool:
    """Nothing, or ``/`` and URL path characters."""
    return not text or (text[0] == "/" and _URL_PATH.issuperset(text))


def _repo_url(url: str) -> bool:
    scheme, sep, rest = url.partition("://")
    if not sep or scheme not in ("http", "https", "oci"):
        return False
    end = next((i for i, c in enumerate(rest) if c not in _HOST), len(rest))
    host, rest = rest[:end], rest[end:]
    if rest[:1] == ":":
        port, slash, path = rest[1:].partition("/")
        if not digits(port, longest=5):
            return False
        rest = slash + path
    return bool(host) and _url_path(rest)


def _git_url(url: str) -> bool:
    scheme, sep, rest = url.partition("://")
    authority, slash, path = rest.partition("/")
    if sep and scheme in ("http", "https", "ssh", "git") and authority:
        return _GIT_AUTHORITY.issuperset(authority) and _url_path(slash + path)
    user, at, rest = url.partition("@")  # user@host:path (scp-like)
    host, colon, path = rest.partition(":")
    return (
        bool(at and colon and user and host and path)
        and _GIT_USER.issuperset(user)
        and _HOST.issuperset(host)
        and _GIT_SCP_PATH.issuperset(path)
    )


def _git_revision(text: str) -> bool:
    return token(text, ALNUM, _GIT_REVISION, longest=200)


def _git_path(text: str) -> bool:
    return 1 <= len(text) <= 1024 and _GIT_PATH.issuperset(text)


class GitSource:
    """The Git repository a GitOps deployer reads the bundle from (``--repo``).

    Args:
        url: clone URL (https://, ssh://, git:// or ``user@host:path``).
        revision: branch (``main``), ``refs/...`` name or 40-hex commit the GitOps
            controller follows.
        path: where the bundle sits in the repository (``.``: at its root).

    Raises:
        InvalidRequestError: on construction, for a malformed URL, revision or path.
    """

    __slots__ = ("path", "revision", "url")

    def __init__(self, *, url: str, revision: str = "main", path: str = ".") -> None:
        if len(url) > 2048 or not _git_url(url):
            raise InvalidRequestError(
                f"invalid Git repository {url!r}: expected a clone URL such as "
                "https://github.com/example/gitops.git or git@github.com:example/gitops.git"
            )
        if not _git_revision(revision) or ".." in revision:
            raise InvalidRequestError(
                f"invalid Git revision {revision!r}: expected a branch, tag or commit"
            )
        clean = path.strip("/") or "."
        parts = clean.split("/")
        if clean != "." and (not _git_path(clean) or ".." in parts or "" in parts):
            raise InvalidRequestError(
                f"invalid repository path {path!r}: expected a relative path such as "
                "clusters/prod/gpu (no '..')"
            )
        self.url = url
        self.revision = revision
        self.path = clean

    def join(self, rel: str) -> str:
        """``rel`` (a path in the bundle) as a path in the repository."""
        return rel if self.path == "." else f"{self.path}/{rel}"


def _frozen(mapping: Mapping[str, str]) -> Mapping[str, str]:
    return MappingProxyType(dict(sorted(mapping.items())))


class BundleConfig:
    """What the user chose; the recipe decides everything else. Keyword-only, read-only.

    Fields: ``namespace`` (every component's namespace; None keeps each its own);
    ``chart_versions`` and ``chart_repositories`` (component -> Helm chart version /
    https:// or oci:// repository; default the recipe's); ``components`` (bundle only these
    and what they depend on; empty: every component); ``overrides`` (``--set``, scheduling,
    ``--registry``); ``deployer`` (:data:`eidos.names.DEPLOYERS`); ``fail_fast`` (write
    nothing when any component fails); ``force`` (replace an existing bundle output eidos
    wrote); ``wait`` (wait while another eidos writes the same output; False fails at once,
    exit 3); ``version`` (printed in every generated file's header); ``labels`` and
    ``annotations`` (added to generated manifests and GPU Operator operand pods).

    A plain class, not a dataclass: ``dataclasses`` loads ``inspect`` on the bundle path
    (docs/performance.md).

    Raises:
        InvalidRequestError: on construction, for any malformed value (the message says
            which and what a valid one looks like).
    """

    __slots__ = (
        "annotations",
        "chart_repositories",
        "chart_versions",
        "components",
        "deployer",
        "fail_fast",
        "force",
        "labels",
        "namespace",
        "overrides",
        "repo",
        "version",
        "wait",
    )
    namespace: str | None
    chart_versions: Mapping[str, str]
    chart_repositories: Mapping[str, str]
    components: tuple[str, ...]
    overrides: Overrides
    deployer: str
    repo: GitSource | None
    fail_fast: bool
    force: bool
    wait: bool
    version: str
    labels: Mapping[str, str]
    annotations: Mapping[str, str]

    def __init__(
        self,
        *,
        namespace: str | None = None,
        chart_versions: Mapping[str, str] | None = None,
        chart_repositories: Mapping[str, str] | None = None,
        components: tuple[str, ...] = (),
        overrides: Overrides | None = None,
        deployer: str = "helm",
        repo: GitSource | None = None,
        fail_fast: bool = False,
        force: bool = False,
        wait: bool = True,
        version: str = __version__,
        labels: Mapping[str, str] | None = None,
        annotations: Mapping[str, str] | None = None,
    ) -> None:
        values = {
            "namespace": namespace,
            "chart_versions": chart_versions or {},
            "chart_repositories": chart_repositories or {},
            "components": tuple(components),
            "overrides": overrides if overrides is not None else Overrides(),
            "deployer": deployer,
            "repo": repo,
            "fail_fast": fail_fast,
            "force": force,
            "wait": wait,
            "version": version,
            "labels": labels or {},
            "annotations": annotations or {},
        }
        for name, value in values.items():
            object.__setattr__(self, name, value)
        self._check()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"BundleConfig is read-only: cannot set {name!r}")

    def __repr__(self) -> str:
        fields = ", ".join(f"{n}={getattr(self, n)!r}" for n in sorted(self.__slots__))
        return f"BundleConfig({fields})"

    def _check(self) -> None:
        if self.namespace is not None and not _namespace(self.namespace):
            raise InvalidRequestError(
                f"invalid namespace {self.namespace!r}: use at most 63 lower-case letters, "
                "digits and '-', starting and ending with a letter or digit"
            )
        for bundler, value in self.chart_versions.items():
            if not _chart_version(value):
                raise InvalidRequestError(
                    f"invalid chart version {value!r} for {bundler}: expected e.g. v25.3.0"
                )
        for bundler, url in self.chart_repositories.items():
            if len(url) > 2048 or not _repo_url(url):
                raise InvalidRequestError(
                    f"invalid chart repository {url!r} for {bundler}: expected an "
                    "https:// or oci:// URL such as https://helm.ngc.nvidia.com/nvidia"
                )
        for kind, mapping in (("label", self.labels), ("annotation", self.annotations)):
            for key, value in mapping.items():
                if not label_key(key):
                    raise InvalidRequestError(f"invalid {kind} key {key!r}")
                if kind == "label" and not label_value(value):
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
