"""OCI artifacts: push a bundle archive to a registry (``-o oci://REGISTRY/REPO[:TAG]``).

The only module that imports the OCI client library (oras-py), and only when a push
happens. The artifact is one layer, the bundle's reproducible tar.gz (media type
:data:`LAYER_MEDIA_TYPE`, titled ``bundle.tar.gz``), so ``oras pull`` gives back exactly
the bytes ``-o bundle.tar.gz`` writes. Credentials: ``EIDOS_REGISTRY_USERNAME`` and
``EIDOS_REGISTRY_PASSWORD``, else the Docker configuration (``$DOCKER_CONFIG/config.json``
or ``~/.docker/config.json``: ``auths``, ``credsStore``, ``credHelpers``), else none.
"""

from __future__ import annotations

import functools
import os
import re
import tempfile
from pathlib import Path

from eidos.errors import InvalidRequestError, IOFailureError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Mapping
    from typing import Any

__all__ = [
    "ARTIFACT_TITLE",
    "CONFIG_MEDIA_TYPE",
    "LAYER_MEDIA_TYPE",
    "OciReference",
    "parse_reference",
    "push",
]

LAYER_MEDIA_TYPE = "application/vnd.nvidia.eidos.bundle.layer.v1.tar+gzip"
CONFIG_MEDIA_TYPE = "application/vnd.nvidia.eidos.bundle.config.v1+json"
ARTIFACT_TITLE = "bundle.tar.gz"
#: (connect, read) seconds for each request to the registry
TIMEOUT = (10.0, 120.0)

_REFERENCE = re.compile(
    r"oci://([A-Za-z0-9.-]{1,253}(?::[0-9]{1,5})?)/([a-z0-9._/-]{1,255})(?::([A-Za-z0-9_.-]{1,128}))?"
)
#: one path component of a repository: lower-case, starting and ending with a letter or digit
_COMPONENT = re.compile(r"[a-z0-9](?:[a-z0-9._-]{0,253}[a-z0-9])?")
_TAG = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}")


class OciReference:
    """``registry/repository:tag`` of an artifact."""

    __slots__ = ("registry", "repository", "tag")

    def __init__(self, registry: str, repository: str, tag: str) -> None:
        self.registry = registry
        self.repository = repository
        self.tag = tag

    def __str__(self) -> str:
        return f"{self.registry}/{self.repository}:{self.tag}"


def parse_reference(uri: str) -> OciReference:
    """Read ``oci://REGISTRY[:PORT]/REPOSITORY[:TAG]`` (the tag defaults to ``latest``).

    Raises:
        InvalidRequestError: anything else, with an example of a valid one.
    """
    match = _REFERENCE.fullmatch(uri) if len(uri) <= 1024 else None
    if match is not None and not (
        all(_COMPONENT.fullmatch(part) for part in match[2].split("/"))
        and (match[3] is None or _TAG.fullmatch(match[3]))
        and not match[1].startswith((".", "-"))
    ):
        match = None
    if match is None:
        raise InvalidRequestError(
            f"invalid OCI reference {uri!r}: expected oci://REGISTRY[:PORT]/REPOSITORY[:TAG] "
            "with a lower-case repository, such as oci://registry.example.com/gpu/bundle:v1"
        )
    return OciReference(match[1], match[2], match[3] or "latest")


def _registry(ref: OciReference, *, plain_http: bool, insecure_tls: bool) -> Any:
    import oras.provider

    class Registry(oras.provider.Registry):  # type: ignore[misc]
        def do_request(self, *args: Any, **kwargs: Any) -> Any:
            # One try: oras-py's retry decorator sleeps ~2 minutes on an unreachable host.
            return oras.provider.Registry.do_request.__wrapped__(self, *args, **kwargs)

    registry = Registry(hostname=ref.registry, insecure=plain_http, tls_verify=not insecure_tls)
    # oras-py passes no timeout; every request of this (our own) session gets one.
    registry.session.request = functools.partial(registry.session.request, timeout=TIMEOUT)
    user, password = (
        os.environ.get("EIDOS_REGISTRY_USERNAME"),
        os.environ.get("EIDOS_REGISTRY_PASSWORD"),
    )
    if user and password:
        registry.auth.set_basic_auth(user, password)
    return registry


def _docker_config() -> str | None:
    folder = os.environ.get("DOCKER_CONFIG")
    path = Path(folder, "config.json") if folder else Path.home() / ".docker" / "config.json"
    return str(path) if path.is_file() else None


def push(
    uri: str,
    archive: bytes,
    *,
    annotations: Mapping[str, str] | None = None,
    plain_http: bool = False,
    insecure_tls: bool = False,
) -> str:
    """Push ``archive`` (a tar.gz) as a one-layer OCI artifact; return its manifest digest.

    Raises:
        InvalidRequestError: a malformed reference.
        IOFailureError: the registry is unreachable, refuses the credentials or the push.
    """
    ref = parse_reference(uri)
    import requests

    registry = _registry(ref, plain_http=plain_http, insecure_tls=insecure_tls)
    with tempfile.TemporaryDirectory(prefix="eidos-oci-") as tmp:
        blob = Path(tmp, ARTIFACT_TITLE)
        blob.write_bytes(archive)
        config = Path(tmp, "config.json")
        config.write_bytes(b"{}")
        try:
            response = registry.push(
                target=str(ref),
                files=[f"{blob}:{LAYER_MEDIA_TYPE}"],
                manifest_config=f"{config}:{CONFIG_MEDIA_TYPE}",
                manifest_annotations=dict(annotations or {}),
                config_path=_docker_config(),
                disable_path_validation=True,
                quiet=True,
            )
        except requests.exceptions.SSLError:
            raise IOFailureError(
                f"cannot push {uri}: the TLS handshake with {ref.registry} failed (a registry "
                "without TLS needs --plain-http, one with an untrusted certificate --insecure-tls)"
            ) from None
        except requests.exceptions.Timeout:
            raise IOFailureError(
                f"cannot push {uri}: {ref.registry} did not answer within {TIMEOUT[1]:.0f} s"
            ) from None
        except requests.exceptions.ConnectionError:
            raise IOFailureError(f"cannot push {uri}: cannot connect to {ref.registry}") from None
        except (requests.RequestException, ValueError, OSError) as exc:
            text = str(exc).strip() or type(exc).__name__
            raise IOFailureError(f"cannot push {uri}: {text.splitlines()[0][:300]}") from None
    return str(response.headers.get("Docker-Content-Digest", ""))
