"""Where pods may run, as users write it on the command line: tolerations, node selectors.

The one parser for ``--toleration`` (the agent) and ``--system-toleration`` /
``--accelerated-toleration`` / the node-selector flags (bundles), so that a value one
command accepts the other accepts too, with Kubernetes' own limits on label keys and
values (a longer key would be refused by the API server, after the fact).
"""

from __future__ import annotations

from eidos.charsets import label_key, label_value
from eidos.errors import InvalidRequestError

__all__ = ["EFFECTS", "parse_node_selector", "parse_toleration"]

#: The taint effects a toleration may name.
EFFECTS = ("NoSchedule", "PreferNoSchedule", "NoExecute")


def parse_toleration(text: str, flag: str) -> dict[str, str]:
    """``key=value:Effect``, ``key=value``, ``key:Effect`` or ``key`` -> a toleration.

    Without ``=value`` the toleration matches any value (``operator: Exists``); without
    ``:Effect`` it matches every effect. Example: ``nvidia.com/gpu:NoSchedule`` ->
    ``{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}``.

    Raises:
        InvalidRequestError: a bad key, value or effect, naming ``flag``.
    """
    body, colon, effect = text.strip().rpartition(":") if ":" in text else (text, "", "")
    key, equals, value = body.strip().partition("=")
    if (
        not label_key(key)
        or (equals and not label_value(value))
        or (colon and effect not in EFFECTS)
    ):
        raise InvalidRequestError(
            f"invalid {flag} {text!r}: expected KEY[=VALUE][:EFFECT] with EFFECT one of "
            f"{', '.join(EFFECTS)}, e.g. nvidia.com/gpu=present:NoSchedule"
        )
    toleration = {"key": key, "operator": "Equal" if equals else "Exists"}
    if equals:
        toleration["value"] = value
    if colon:
        toleration["effect"] = effect
    return toleration


def parse_node_selector(text: str, flag: str) -> tuple[str, str]:
    """``key=value`` -> (key, value).

    Raises:
        InvalidRequestError: not a label key and value, naming ``flag``.
    """
    key, equals, value = text.strip().partition("=")
    if not equals or not label_key(key) or not label_value(value):
        raise InvalidRequestError(
            f"invalid {flag} {text!r}: expected a node label KEY=VALUE, "
            "e.g. nvidia.com/gpu.present=true"
        )
    return key, value
