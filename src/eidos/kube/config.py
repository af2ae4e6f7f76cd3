"""Turn a resolved :class:`KubeSource` into an authenticated HTTP client via lightkube.

lightkube supplies the kubeconfig model, credentials (token, token file with rotation,
client certificates, exec plugins) and TLS set-up; kubeconfig lists are merged here the way
kubectl merges them: the first file to define a name wins, and so does its current-context.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx2
import msgspec
import yaml
from lightkube.config.client_adapter import Client as make_http_client
from lightkube.config.client_adapter import ConnectionParams
from lightkube.config.kubeconfig import KubeConfig, SingleConfig
from lightkube.config.models import Cluster, User
from lightkube.core.exceptions import ConfigError

from eidos import __version__
from eidos.errors import InvalidRequestError
from eidos.kubeconfig import KubeSettings, KubeSource

__all__ = ["Connection", "connect"]

#: Kubeconfig fields that name files, relative to the kubeconfig that holds them.
_FILE_FIELDS = {
    "cluster": ("certificate-authority",),
    "user": ("client-certificate", "client-key", "tokenFile"),
}


@dataclass(frozen=True)
class Connection:
    """An HTTP client bound to one API server, and what to call it in messages."""

    http: httpx2.Client
    server: str
    context: str
    namespace: str


def connect(settings: KubeSettings, source: KubeSource) -> Connection:
    """Build the HTTP client for ``source`` (no request is made yet).

    Raises:
        InvalidRequestError: unreadable or malformed kubeconfig, unknown context, missing
            certificate files.
    """
    single = _single_config(settings, source)
    if single.user is None:
        single = single._replace(user=User())
    _check_files(single, source)
    params = ConnectionParams(timeout=httpx2.Timeout(settings.timeout))
    try:
        http = make_http_client(single, params)
    except (ConfigError, OSError) as exc:
        raise InvalidRequestError(f"{source.describe()}: {exc}") from None
    http.headers["User-Agent"] = _user_agent()
    return Connection(
        http=http,
        server=single.cluster.server.rstrip("/"),
        context=single.context_name,
        namespace=single.namespace,
    )


def _check_files(single: SingleConfig, source: KubeSource) -> None:
    """Name a missing certificate file before TLS set-up fails without a file name."""
    user = single.user or User()
    for what, value in (
        ("certificate-authority", single.cluster.certificate_auth),
        ("client-certificate", user.client_cert),
        ("client-key", user.client_key),
    ):
        if value and not Path(value).is_file():
            raise InvalidRequestError(
                f"{source.describe()}: {what} {value} of context {single.context_name} "
                "does not exist"
            )


def _user_agent() -> str:
    return f"eidos/{__version__}"


def _single_config(settings: KubeSettings, source: KubeSource) -> SingleConfig:
    if source.in_cluster_server:
        sa = Path(settings.service_account_dir)
        namespace_file = sa / "namespace"
        namespace = namespace_file.read_text().strip() if namespace_file.is_file() else None
        ca = sa / "ca.crt"
        cluster = Cluster(
            server=source.in_cluster_server, certificate_auth=str(ca) if ca.is_file() else None
        )
        config = KubeConfig.from_one(
            cluster=cluster,
            user=User(token_file=str(sa / "token")),
            context_name="in-cluster",
            namespace=namespace,
        )
        return _select(config, None, source)
    merged = _merge([_read(Path(path)) for path in source.kubeconfigs])
    try:
        config = KubeConfig.from_dict(merged, fname=source.kubeconfigs[0])
    except (msgspec.ValidationError, KeyError, TypeError) as exc:
        raise InvalidRequestError(f"{source.describe()}: malformed kubeconfig: {exc}") from None
    return _select(config, settings.context, source)


def _select(config: KubeConfig, context: str | None, source: KubeSource) -> SingleConfig:
    if context is None and config.current_context is None:
        if not config.contexts:
            raise InvalidRequestError(f"{source.describe()} defines no contexts")
        raise InvalidRequestError(
            f"{source.describe()} has no current-context; pass --context "
            f"(one of: {', '.join(sorted(config.contexts))})"
        )
    if context is not None and context not in config.contexts:
        raise InvalidRequestError(
            f"context {context!r} not found in {source.describe()} "
            f"(available: {', '.join(sorted(config.contexts)) or 'none'})"
        )
    try:
        single = config.get(context)
    except (ConfigError, KeyError) as exc:
        raise InvalidRequestError(f"{source.describe()}: {exc}") from None
    assert single is not None  # get() without a default never returns None
    return single


def _read(path: Path) -> dict[str, Any]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise InvalidRequestError(f"cannot read kubeconfig {path}: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise InvalidRequestError(f"kubeconfig {path} is not valid UTF-8 text") from None
    except yaml.YAMLError as exc:
        raise InvalidRequestError(f"kubeconfig {path} is not valid YAML: {exc}") from None
    if raw is None:
        return {}
    if not isinstance(raw, dict):
        raise InvalidRequestError(f"kubeconfig {path} is not a mapping")
    return _absolutize(raw, path)


def _absolutize(raw: dict[str, Any], path: Path) -> dict[str, Any]:
    base = path.parent
    for section in ("clusters", "contexts", "users"):
        if not isinstance(raw.get(section) or [], list):
            raise InvalidRequestError(f"kubeconfig {path}: '{section}' must be a list")
    for section, key in (("clusters", "cluster"), ("users", "user")):
        for entry in raw.get(section) or []:
            body = entry.get(key) if isinstance(entry, dict) else None
            if not isinstance(body, dict):
                continue
            for name in _FILE_FIELDS[key]:
                value = body.get(name)
                if isinstance(value, str) and value and not Path(value).is_absolute():
                    body[name] = str(base / value)
    return raw


def _merge(configs: list[dict[str, Any]]) -> dict[str, Any]:
    merged: dict[str, Any] = {"clusters": [], "contexts": [], "users": []}
    for section in ("clusters", "contexts", "users"):
        seen: set[str] = set()
        for raw in configs:
            for entry in raw.get(section) or []:
                name = entry.get("name") if isinstance(entry, dict) else None
                if isinstance(name, str) and name not in seen:
                    seen.add(name)
                    merged[section].append(entry)
    current = next((c.get("current-context") for c in configs if c.get("current-context")), None)
    if current:
        merged["current-context"] = current
    return merged
