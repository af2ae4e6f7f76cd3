"""The one exception tree of eidos; the CLI and the API server translate it, nothing else.

::

    EidosError                      INTERNAL             exit 1  HTTP 500
    ├── InvalidRequestError         INVALID_REQUEST      exit 2  HTTP 400
    │   └── BundlerValidationError  INVALID_REQUEST      exit 2  HTTP 400
    ├── NotFoundError               NOT_FOUND            exit 3  HTTP 404
    │   └── NoMatchingRuleError     NOT_FOUND            exit 5  HTTP 404
    ├── IOFailureError              IO_ERROR             exit 3  HTTP 500
    ├── UnavailableError            SERVICE_UNAVAILABLE  exit 4  HTTP 503  retryable
    │   └── UnauthorizedError       UNAUTHORIZED         exit 4  HTTP 401
    ├── DeadlineExceededError       TIMEOUT              exit 1  HTTP 504  retryable
    ├── RateLimitError              RATE_LIMIT_EXCEEDED  exit 1  HTTP 429  retryable
    ├── MethodNotAllowedError       METHOD_NOT_ALLOWED   exit 2  HTTP 405
    ├── RecipeError                 INTERNAL             exit 5  HTTP 500
    ├── CollectorError              INTERNAL             exit 1  HTTP 500
    ├── BundlerError                INTERNAL             exit 1  HTTP 500
    └── InternalError               INTERNAL             exit 1  HTTP 500  retryable
"""

from __future__ import annotations

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
    exit_code: ClassVar[int] = 1
    http_status: ClassVar[int] = 500
    retryable: ClassVar[bool] = False

    def __init__(self, message: str, *, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details: dict[str, Any] = dict(details or {})


class InvalidRequestError(EidosError):
    """Bad input from the user: flags, query parameters, documents, URIs."""

    code = "INVALID_REQUEST"
    exit_code = 2
    http_status = 400


class BundlerValidationError(InvalidRequestError):
    """A recipe lacks what a bundler needs (names the bundler and the key)."""


class NotFoundError(EidosError):
    """A named thing (file, ConfigMap, node) does not exist."""

    code = "NOT_FOUND"
    exit_code = 3
    http_status = 404


class NoMatchingRuleError(NotFoundError):
    """Strict mode: no overlay matched the query, only the base would apply."""

    exit_code = 5


class IOFailureError(EidosError):
    """Reading or writing a file or URL failed."""

    code = "IO_ERROR"
    exit_code = 3


class UnavailableError(EidosError):
    """A dependency (the Kubernetes API, a server) cannot be reached."""

    code = "SERVICE_UNAVAILABLE"
    exit_code = 4
    http_status = 503
    retryable = True


class UnauthorizedError(UnavailableError):
    """The Kubernetes API refused our credentials or permissions (401/403)."""

    code = "UNAUTHORIZED"
    http_status = 401
    retryable = False


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


class MethodNotAllowedError(EidosError):
    """An HTTP method that the route does not serve."""

    code = "METHOD_NOT_ALLOWED"
    exit_code = 2
    http_status = 405


class RecipeError(EidosError):
    """Recipe data or recipe generation failed."""

    exit_code = 5


class CollectorError(EidosError):
    """A snapshot collector failed (the message names the collector)."""


class BundlerError(EidosError):
    """A bundler failed while writing its bundle."""


class InternalError(EidosError):
    """A bug or an unexpected condition; never shows a stack trace to users."""

    retryable = True
