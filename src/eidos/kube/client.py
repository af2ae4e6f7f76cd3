"""The one Kubernetes client of a process: lazy connection, retries, circuit breaker.

``Kube(settings)`` is cheap (no import of the client library, no I/O), so the CLI builds one
at the edge and injects it everywhere; the connection is made on the first request.
Transient failures (connection errors, timeouts, 5xx) are retried with backoff; a 429
(the server throttling us) is waited out as its ``Retry-After`` says, more patiently and
without opening the circuit. Every other answer is definite and becomes an eidos error
at once.
"""

from __future__ import annotations

import json
import time

from eidos.errors import UnavailableError
from eidos.kube.errors import Action, api_error, status_message
from eidos.kube.resilience import CircuitBreaker, backoff_delay, parse_retry_after
from eidos.kubeconfig import KubeSettings
from eidos.logging import get_logger

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Mapping
    from typing import Any

    from eidos.kube.config import Connection

__all__ = ["Kube", "Response"]

log = get_logger(__name__)


class Response:
    """A definite answer from the API server: HTTP ``status`` and raw ``body``."""

    __slots__ = ("body", "status")

    def __init__(self, status: int, body: bytes) -> None:
        self.status = status
        self.body = body

    def __repr__(self) -> str:
        return f"Response({self.status}, {len(self.body)} bytes)"

    def json(self) -> Any:
        """The decoded JSON body."""
        return json.loads(self.body)


class Kube:
    """A Kubernetes API client with retries and a circuit breaker.

    Args:
        settings: how to connect and how hard to retry.
        sleep: how to wait between tries (tests record instead of sleeping).
        clock: monotonic clock for the circuit breaker.
    """

    def __init__(
        self,
        settings: KubeSettings | None = None,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.settings = settings if settings is not None else KubeSettings.from_env()
        self._sleep = sleep
        self._breaker = CircuitBreaker(
            self.settings.breaker_threshold, self.settings.breaker_cooldown, clock
        )
        self._conn: Connection | None = None

    def __enter__(self) -> Kube:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def configured(self) -> bool:
        """Whether any cluster is configured (kubeconfig or in-cluster)."""
        return self.settings.configured()

    @property
    def connection(self) -> Connection:
        """The HTTP connection, made on first use.

        Raises:
            UnavailableError: no cluster is configured.
            InvalidRequestError: the configuration is broken.
        """
        if self._conn is None:
            source = self.settings.source()
            if source is None:
                raise UnavailableError(
                    "no Kubernetes cluster configured: set KUBECONFIG or --kubeconfig, "
                    "create ~/.kube/config, or run inside a pod with a service account"
                )
            from eidos.kube.config import connect

            self._conn = connect(self.settings, source)
            log.debug(
                "kubernetes client ready", server=self._conn.server, context=self._conn.context
            )
        return self._conn

    @property
    def namespace(self) -> str:
        """The namespace of the current context (or of the service account)."""
        return self.connection.namespace

    def close(self) -> None:
        """Close the HTTP connection pool (safe to call twice)."""
        if self._conn is not None:
            self._conn.http.close()
            self._conn = None

    def request(
        self,
        method: str,
        path: str,
        *,
        action: Action,
        params: Mapping[str, str | int] | None = None,
        body: Any = None,
        allow: Iterable[int] = (),
        content_type: str = "application/json",
        accept: str = "application/json",
    ) -> Response:
        """Send one request, retrying transient failures; return a 2xx or allowed answer.

        Raises:
            UnavailableError: unreachable server, 5xx/429 after every retry, open circuit.
            UnauthorizedError: 401 or 403.
            NotFoundError: 404 (unless allowed).
            InvalidRequestError: any other refusal.
        """
        conn = self.connection
        content = None if body is None else _encode(body)
        headers = {"Accept": accept}
        if content is not None:
            headers["Content-Type"] = content_type
        allowed = set(allow)
        tries = self.settings.retries + 1
        failed = throttled = 0
        while True:
            self._check_breaker(action)
            resp, failure, retry_after = self._try(
                conn, method, path, params=params, content=content, headers=headers
            )
            if resp is not None and failure is None:
                self._breaker.success()
                if resp.status < 300 or resp.status in allowed:
                    return resp
                raise api_error(
                    resp.status, resp.body, action, server=conn.server, context=conn.context
                )
            if resp is not None and resp.status == 429:
                # The server is up and asks to slow down (API Priority and Fairness): wait
                # as told; this is flow control, not a failure that opens the circuit.
                self._breaker.success()
                throttled += 1
                if throttled > self.settings.throttle_retries:
                    raise UnavailableError(
                        f"cannot {action.describe()}: the Kubernetes API at {conn.server} "
                        f"kept answering 429 Too Many Requests ({throttled} times); it is "
                        "overloaded, try again later"
                    )
                self._pause(min(throttled - 1, 5), retry_after, action, failure)
                continue
            self._breaker.failure()
            failed += 1
            if failed >= tries:
                break
            self._pause(failed - 1, retry_after, action, failure)
        raise UnavailableError(
            f"cannot {action.describe()}: {failure} (Kubernetes API at {conn.server}, context "
            f"{conn.context}, {tries} tries); check that the cluster is up and reachable "
            "(kubectl cluster-info)"
        )

    def _pause(
        self, attempt: int, retry_after: float | None, action: Action, failure: str | None
    ) -> None:
        delay = backoff_delay(
            attempt,
            self.settings.backoff,
            retry_after=retry_after,
            max_retry_after=self.settings.max_retry_after,
        )
        log.debug(
            "kubernetes request failed; retrying",
            action=action.describe(),
            error=failure,
            retry_in=f"{delay:.2f}s",
        )
        self._sleep(delay)

    def _check_breaker(self, action: Action) -> None:
        if self._breaker.is_open:
            raise UnavailableError(
                f"cannot {action.describe()}: the Kubernetes API at {self.connection.server} "
                f"failed {self._breaker.failures} times in a row; not trying again for "
                f"{self._breaker.retry_in():.0f}s (circuit open)"
            )

    def _try(
        self,
        conn: Connection,
        method: str,
        path: str,
        *,
        params: Mapping[str, str | int] | None,
        content: bytes | None,
        headers: dict[str, str],
    ) -> tuple[Response | None, str | None, float | None]:
        """One try: (answer, transient failure text, Retry-After seconds)."""
        import httpx2

        started = time.monotonic()
        try:
            raw = conn.http.request(
                method, path, params=dict(params or {}), content=content, headers=headers
            )
        except httpx2.TimeoutException:
            return None, f"timed out after {self.settings.timeout:g}s", None
        except httpx2.TransportError as exc:
            if _tls_failure(exc):
                raise UnavailableError(
                    f"TLS verification of the Kubernetes API at {conn.server} failed: {exc}; "
                    f"check the certificate-authority of context {conn.context}"
                ) from None
            return None, f"connection failed: {exc}", None
        resp = Response(raw.status_code, raw.content)
        log.debug(
            "kubernetes request",
            method=method,
            path=path,
            status=resp.status,
            ms=round((time.monotonic() - started) * 1000, 1),
        )
        if resp.status == 429 or resp.status >= 500:
            message = status_message(resp.body)
            failure = f"HTTP {resp.status}" + (f" {message}" if message else "")
            return resp, failure, parse_retry_after(raw.headers.get("Retry-After"))
        return resp, None, None


def _encode(body: Any) -> bytes:
    """Compact UTF-8 JSON, as kubectl sends it.

    Not ``ensure_ascii``: escaping made non-ASCII text up to 6× larger on the wire, so a
    ConfigMap within its 1 MiB data limit passed the API server's 3 MiB body limit (413).
    """
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _tls_failure(exc: BaseException) -> bool:
    import ssl

    seen: BaseException | None = exc
    while seen is not None:
        if isinstance(seen, ssl.SSLCertVerificationError):
            return True
        seen = seen.__cause__ or seen.__context__
    return False
