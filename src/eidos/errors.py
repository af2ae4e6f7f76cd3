"""The one exception tree of eidos; the CLI and the API server translate it, nothing else.

A subclass only narrows its parent's meaning (as in httpx's tree): whatever catches a class
may treat every subclass the same way. So nothing retryable sits under a definite failure,
nothing definite under a retryable one, and exit codes come from :mod:`eidos.names`.

::

    EidosError                      INTERNAL             exit 1  HTTP 500
    ├── InvalidRequestError         INVALID_REQUEST      exit 2  HTTP 400
    │   ├── BundlerValidationError  INVALID_REQUEST      exit 2  HTTP 400
    │   └── PayloadTooLargeError    INVALID_REQUEST      exit 2  HTTP 413
    ├── MethodNotAllowedError       METHOD_NOT_ALLOWED   exit 2  HTTP 405
    ├── NotFoundError               NOT_FOUND            exit 3  HTTP 404
    ├── IOFailureError              IO_ERROR             exit 3  HTTP 500
    ├── UnavailableError            SERVICE_UNAVAILABLE  exit 4  HTTP 503  retryable
    ├── UnauthorizedError           UNAUTHORIZED         exit 4  HTTP 401
    ├── RecipeError                 RECIPE_ERROR         exit 5  HTTP 500
    │   └── NoMatchingRuleError     NOT_FOUND            exit 5  HTTP 404
    ├── DeadlineExceededError       TIMEOUT              exit 1  HTTP 504  retryable
    ├── RateLimitError              RATE_LIMIT_EXCEEDED  exit 1  HTTP 429  retryable
    ├── CollectorError              COLLECTOR_FAILED     exit 1  HTTP 500
    ├── BundlerError                BUNDLER_FAILED       exit 1  HTTP 500
    └── InternalError               INTERNAL             exit 1  HTTP 500
"""

from __future__ import annotations

from eidos.names import EXIT_GENERAL, EXIT_INVALID, EXIT_IO, EXIT_KUBERNETES, EXIT_RECIPE

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any, ClassVar

__all__ = [
    "BundlerError",
    "BundlerValidationError",
    "CollectorError",
    "DeadlineExceededError",
    "EidosError",
    "IOFailureError",
    "InternalError",
    "InvalidRequestError",
    "MethodNotAllowedError",
    "NoMatchingRuleError",
    "NotFoundError",
    "PayloadTooLargeError",
    "RateLimitError",
    "RecipeError",
    "UnauthorizedError",
    "UnavailableError",
]


class EidosError(Exception):
    """Base of every error eidos raises on purpose.

    Args:
        message: one line a user can act on.
        details: extra structured facts (rendered in API error bodies).
    """

    code: ClassVar[str] = "INTERNAL"
    exit_code: ClassVar[int] = EXIT_GENERAL
    http_status: ClassVar[int] = 500
    retryable: ClassVar[bool] = False

    def __init__(self, message: str, *, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = dict(details or {})


class InvalidRequestError(EidosError):
    """Bad input from the user: flags, query parameters, documents, URIs."""

    code = "INVALID_REQUEST"
    exit_code = EXIT_INVALID
    http_status = 400


class BundlerValidationError(InvalidRequestError):
    """A recipe lacks what a bundler needs (names the bundler and the key)."""


class PayloadTooLargeError(InvalidRequestError):
    """A request body over the server's size limit (the message names the limit)."""

    http_status = 413


class MethodNotAllowedError(EidosError):
    """An HTTP method that the route does not serve."""

    code = "METHOD_NOT_ALLOWED"
    exit_code = EXIT_INVALID
    http_status = 405


class NotFoundError(EidosError):
    """A named thing (file, ConfigMap, node, URL) does not exist."""

    code = "NOT_FOUND"
    exit_code = EXIT_IO
    http_status = 404


class IOFailureError(EidosError):
    """Reading or writing a file, a stream or a URL failed."""

    code = "IO_ERROR"
    exit_code = EXIT_IO


class UnavailableError(EidosError):
    """A dependency (the Kubernetes API, a server) cannot be reached now; retrying may help."""

    code = "SERVICE_UNAVAILABLE"
    exit_code = EXIT_KUBERNETES
    http_status = 503
    retryable = True


class UnauthorizedError(EidosError):
    """The Kubernetes API refused our credentials or permissions (401/403): definite."""

    code = "UNAUTHORIZED"
    exit_code = EXIT_KUBERNETES
    http_status = 401


class RecipeError(EidosError):
    """No valid recipe can be made: the recipe data is invalid or generation failed."""

    code = "RECIPE_ERROR"
    exit_code = EXIT_RECIPE


class NoMatchingRuleError(RecipeError):
    """Strict mode: no overlay matched the query, only the base would apply."""

    code = "NOT_FOUND"
    http_status = 404


class DeadlineExceededError(EidosError):
    """An operation ran past its deadline."""

    code = "TIMEOUT"
    http_status = 504
    retryable = True


class RateLimitError(EidosError):
    """The caller sent more requests than the configured rate allows."""

    code = "RATE_LIMIT_EXCEEDED"
    http_status = 429
    retryable = True


class CollectorError(EidosError):
    """A snapshot collector failed (the message names the collector)."""

    code = "COLLECTOR_FAILED"


class BundlerError(EidosError):
    """A bundler failed while writing its bundle."""

    code = "BUNDLER_FAILED"


class InternalError(EidosError):
    """A bug or an unexpected condition; never shows a stack trace to users."""
