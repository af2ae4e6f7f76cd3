"""How to reach a cluster: typed settings built once at the edge, and where they point.

Resolution follows kubectl: ``--kubeconfig`` FILE, else every existing file of the
``KUBECONFIG`` list, else ``~/.kube/config``, else the in-cluster service account.
Nothing here imports the Kubernetes client or ``eidos.kube``: the CLI asks
:meth:`KubeSettings.configured` first and loads ``eidos.kube`` only when there is a
cluster to talk to (``eidos.kube`` re-exports these names).
"""

from __future__ import annotations

import os

from eidos.errors import InvalidRequestError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping

__all__ = ["SERVICE_ACCOUNT_DIR", "KubeSettings", "KubeSource"]

#: Where Kubernetes mounts a pod's service-account token, CA and namespace.
SERVICE_ACCOUNT_DIR = "/var/run/secrets/kubernetes.io/serviceaccount"


class KubeSource:
    """Where the connection details come from, once resolved."""

    __slots__ = ("in_cluster_server", "kubeconfigs")

    kubeconfigs: tuple[str, ...]
    """Kubeconfig files to merge, first one wins per name (empty for in-cluster)."""

    in_cluster_server: str | None
    """``https://host:port`` of the API when running in a pod, else None."""

    def __init__(
        self, *, kubeconfigs: tuple[str, ...] = (), in_cluster_server: str | None = None
    ) -> None:
        self.kubeconfigs = kubeconfigs
        self.in_cluster_server = in_cluster_server

    def __eq__(self, other: object) -> bool:
        return isinstance(other, KubeSource) and (self.kubeconfigs, self.in_cluster_server) == (
            other.kubeconfigs,
            other.in_cluster_server,
        )

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"KubeSource(kubeconfigs={self.kubeconfigs!r}, server={self.in_cluster_server!r})"

    def describe(self) -> str:
        """Say where the configuration came from, for messages."""
        if self.in_cluster_server:
            return f"in-cluster service account ({self.in_cluster_server})"
        return "kubeconfig " + os.pathsep.join(self.kubeconfigs)


class KubeSettings:
    """Connection and resilience settings for one Kubernetes client.

    A plain keyword-only class (not a dataclass): this module is imported on the start-up
    path of ``eidos snapshot``, where ``dataclasses`` alone costs ~10 ms.
    """

    kubeconfig: str | None = None
    """``--kubeconfig``: one kubeconfig file; it must exist."""

    kubeconfig_env: str | None = None
    """The ``KUBECONFIG`` value seen at start-up (a ``:``-separated list)."""

    home: str | None = None
    """The home directory whose ``.kube/config`` is the default."""

    context: str | None = None
    """``--context``: a context of the kubeconfig; default its current-context."""

    service_host: str | None = None
    """``KUBERNETES_SERVICE_HOST`` (set by Kubernetes inside pods)."""

    service_port: str | None = None
    """``KUBERNETES_SERVICE_PORT``."""

    service_account_dir: str = SERVICE_ACCOUNT_DIR
    """The mounted service account (token, ca.crt, namespace)."""

    timeout: float = 10.0
    """Seconds for connecting to and for each read from the API server."""

    retries: int = 3
    """Retries of one request after a transient failure (so at most retries + 1 tries)."""

    throttle_retries: int = 10
    """Retries of one request the server answered with 429 Too Many Requests (as
    client-go); each waits what its ``Retry-After`` says."""

    backoff: float = 0.1
    """Base delay in seconds: try n waits ``backoff * 2**n`` plus up to ``backoff`` jitter."""

    max_retry_after: float = 30.0
    """Longest ``Retry-After`` (seconds) honoured; longer waits are cut to this."""

    breaker_threshold: int = 5
    """Consecutive failed tries after which the circuit opens and calls fail fast."""

    breaker_cooldown: float = 30.0
    """Seconds the circuit stays open before one trial call is let through."""

    page_size: int = 500
    """Items per page when listing (``limit``); memory stays bounded by one page."""

    def __init__(self, **values: object) -> None:
        unknown = sorted(set(values) - set(type(self).__annotations__))
        if unknown:
            raise TypeError(f"KubeSettings got unexpected settings {', '.join(unknown)}")
        self.__dict__.update(values)

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError("KubeSettings is read-only")

    def __repr__(self) -> str:
        return f"KubeSettings({self.__dict__!r})"

    @classmethod
    def from_env(
        cls,
        *,
        kubeconfig: str | None = None,
        context: str | None = None,
        environ: Mapping[str, str] | None = None,
        **overrides: object,
    ) -> KubeSettings:
        """Capture the environment (``KUBECONFIG``, ``HOME``, in-cluster variables) once."""
        env = os.environ if environ is None else environ
        return cls(
            kubeconfig=kubeconfig or None,
            context=context or None,
            kubeconfig_env=env.get("KUBECONFIG") or None,
            home=env.get("HOME") or None,
            service_host=env.get("KUBERNETES_SERVICE_HOST") or None,
            service_port=env.get("KUBERNETES_SERVICE_PORT") or None,
            **overrides,
        )

    def source(self) -> KubeSource | None:
        """Resolve where to connect; None when no cluster is configured at all.

        Raises:
            InvalidRequestError: ``--kubeconfig`` or ``KUBECONFIG`` names no existing file,
                or ``--context`` is given without any kubeconfig.
        """
        if self.kubeconfig:
            path = os.path.expanduser(self.kubeconfig)
            if not os.path.isfile(path):
                what = "is not a file" if os.path.exists(path) else "no such file"
                raise InvalidRequestError(f"--kubeconfig {self.kubeconfig}: {what}")
            return KubeSource(kubeconfigs=(path,))
        if self.kubeconfig_env:
            listed = [os.path.expanduser(p) for p in self.kubeconfig_env.split(os.pathsep) if p]
            existing = tuple(p for p in listed if os.path.isfile(p))
            if not existing:
                raise InvalidRequestError(
                    f"KUBECONFIG={self.kubeconfig_env} names no existing file; fix or unset it"
                )
            return KubeSource(kubeconfigs=existing)
        if self.home and os.path.isfile(default := os.path.join(self.home, ".kube", "config")):
            return KubeSource(kubeconfigs=(default,))
        if self.context:
            raise InvalidRequestError(
                f"--context {self.context} needs a kubeconfig (--kubeconfig or KUBECONFIG)"
            )
        return self._in_cluster()

    def _in_cluster(self) -> KubeSource | None:
        token = os.path.join(self.service_account_dir, "token")
        if not (self.service_host and self.service_port and os.path.isfile(token)):
            return None
        host = f"[{self.service_host}]" if ":" in self.service_host else self.service_host
        return KubeSource(in_cluster_server=f"https://{host}:{self.service_port}")

    def configured(self) -> bool:
        """Whether any cluster configuration exists (errors count as configured)."""
        try:
            return self.source() is not None
        except InvalidRequestError:
            return True
