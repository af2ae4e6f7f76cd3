"""What a real kube-apiserver refuses, for the emulator to refuse the same way.

Taken from Kubernetes itself: the 3 MiB request body limit (``MaxRequestBodyBytes``,
413 RequestEntityTooLarge), ConfigMap validation (data plus binaryData at most 1 MiB,
counted in bytes after base64 decoding; keys ``[-._a-zA-Z0-9]+``, at most 253, not ``.``
or ``..``, not in both maps) and object names (DNS-1123 subdomains, namespaces DNS-1123
labels). A client bug that only a real cluster would show (ensure_ascii JSON growing a
ConfigMap's body 6×) fails the default suite instead.
"""

from __future__ import annotations

import base64
import binascii
import re
from typing import Any

__all__ = ["MAX_CONFIGMAP_DATA", "MAX_REQUEST_BODY", "body_too_large", "invalid_object"]

#: k8s.io/apiserver: MaxRequestBodyBytes = 3 * 1024 * 1024.
MAX_REQUEST_BODY = 3 * 1024 * 1024
#: k8s.io/kubernetes/pkg/apis/core: MaxSecretSize (also ConfigMaps) = 1 * 1024 * 1024.
MAX_CONFIGMAP_DATA = 1024 * 1024

_SUBDOMAIN = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*")
_LABEL = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
_CONFIGMAP_KEY = re.compile(r"[-._a-zA-Z0-9]+")

#: (status, message, reason) as the API server's Status body carries them.
Refusal = tuple[int, str, str]


def body_too_large(size: int) -> Refusal | None:
    if size <= MAX_REQUEST_BODY:
        return None
    return 413, f"Request entity too large: limit is {MAX_REQUEST_BODY}", "RequestEntityTooLarge"


def _name_problem(name: str, *, label: bool) -> str | None:
    if label:
        if len(name) > 63:
            return "must be no more than 63 characters"
        if not _LABEL.fullmatch(name):
            return (
                "a lowercase RFC 1123 label must consist of lower case alphanumeric characters "
                "or '-', and must start and end with an alphanumeric character"
            )
        return None
    if len(name) > 253:
        return "must be no more than 253 characters"
    if not _SUBDOMAIN.fullmatch(name):
        return (
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
            "characters, '-' or '.', and must start and end with an alphanumeric character"
        )
    return None


def _key_problem(key: str) -> str | None:
    if len(key) > 253:
        return "must be no more than 253 characters"
    if not _CONFIGMAP_KEY.fullmatch(key):
        return "a valid config key must consist of alphanumeric characters, '-', '_' or '.'"
    if key in (".", "..") or key.startswith(".."):
        return "must not be '.' or '..' and must not start with '..'"
    return None


def _configmap_problems(obj: dict[str, Any]) -> list[str]:
    data = obj.get("data") or {}
    binary = obj.get("binaryData") or {}
    problems: list[str] = []
    total = 0
    for field, values in (("data", data), ("binaryData", binary)):
        for key, value in values.items():
            if problem := _key_problem(key):
                problems.append(f'{field}[{key}]: Invalid value: "{key}": {problem}')
            if field == "binaryData":
                try:
                    total += len(base64.b64decode(value, validate=True))
                except (binascii.Error, ValueError, TypeError):
                    problems.append(f"binaryData[{key}]: Invalid value: not base64")
            else:
                total += len(str(value).encode("utf-8"))
    for key in set(data) & set(binary):
        problems.append(f'data[{key}]: Invalid value: "{key}": duplicate of key in binaryData')
    if total > MAX_CONFIGMAP_DATA:
        problems.append(f"[]: Too long: must have at most {MAX_CONFIGMAP_DATA} bytes")
    return problems


def invalid_object(plural: str, kind: str, obj: dict[str, Any]) -> Refusal | None:
    """422 Invalid, with the API server's message shape, or None when the object is valid."""
    name = str((obj.get("metadata") or {}).get("name") or "")
    problems: list[str] = []
    if not name:
        problems.append("metadata.name: Required value: name or generateName is required")
    elif problem := _name_problem(name, label=plural == "namespaces"):
        problems.append(f'metadata.name: Invalid value: "{name}": {problem}')
    if plural == "configmaps":
        problems += _configmap_problems(obj)
    if not problems:
        return None
    return 422, f'{kind} "{name}" is invalid: {", ".join(problems)}', "Invalid"
