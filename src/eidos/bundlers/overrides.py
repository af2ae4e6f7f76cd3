r"""The user's changes to a recipe's components: ``--set``, scheduling flags, ``--registry``.

Parsed once at the edge (CLI, API) into plain data and applied per component:

* ``--set COMPONENT:PATH=VALUE`` sets a Helm value. VALUE is typed: ``true``/``false``,
  ``null``, integers and decimals become those types; ``"..."`` or ``'...'`` is the string
  inside the quotes; ``[...]`` and ``{...}`` are JSON; anything else is a string. A ``.``
  inside a key is written ``\.`` (``nodeSelector.nvidia\.com/gpu=true``).
  ``COMPONENT:enabled=false`` drops the component (refused while another kept component
  depends on it).
* ``--system-node-selector key=value`` and ``--system-toleration key=value:Effect`` (and the
  ``--accelerated-*`` pair) are written at the component's declared scheduling paths.
"""

from __future__ import annotations

from eidos.charsets import LOWER_DIGITS, digits, integer, token
from eidos.errors import InvalidRequestError

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = [
    "Overrides",
    "Setting",
    "parse_set",
    "parse_value",
    "set_value",
    "toleration_text",
]

_COMPONENT_MIDDLE = LOWER_DIGITS | {"-"}
_MAX_SET = 8192


def _int(text: str) -> bool:
    """``[-+]?(0|[1-9][0-9]{0,30})``."""
    return integer(text[1:] if text[:1] in ("-", "+") else text, longest=31)


def _float(text: str) -> bool:
    r"""``[-+]?(0|[1-9][0-9]{0,30})\.[0-9]{1,30}([eE][-+]?[0-9]{1,3})?``."""
    whole, dot, rest = (text[1:] if text[:1] in ("-", "+") else text).partition(".")
    fraction, e, power = rest.replace("E", "e").partition("e")
    if e:
        power = power[1:] if power[:1] in ("-", "+") else power
    return (
        bool(dot)
        and integer(whole, longest=31)
        and digits(fraction, longest=30)
        and (not e or digits(power, longest=3))
    )


def _component(text: str) -> bool:
    """``[a-z0-9]([-a-z0-9]{0,51}[a-z0-9])?``."""
    return token(text, LOWER_DIGITS, _COMPONENT_MIDDLE, LOWER_DIGITS, longest=53)


class Setting:
    """One ``--set``: component, the path as its keys, the typed value, the text as written.

    (Plain classes on the bundle path: a dataclass costs ~1 ms to create at import.)
    """

    __slots__ = ("component", "keys", "text", "value")

    def __init__(self, component: str, keys: tuple[str, ...], value: Any, text: str) -> None:
        self.component = component
        self.keys = keys
        self.value = value
        self.text = text

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Setting):
            return NotImplemented
        return (self.component, self.keys, self.value) == (other.component, other.keys, other.value)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Setting({self.text!r})"

    @property
    def path(self) -> str:
        """The path with ``.`` inside keys escaped, as written."""
        return ".".join(k.replace(".", "\\.") for k in self.keys)


class Overrides:
    """Everything the user changes in the components; empty by default.

    ``registry`` is the ``HOST[/PATH]`` every image is rewritten to, or None.
    """

    __slots__ = (
        "accelerated_node_selector",
        "accelerated_tolerations",
        "registry",
        "sets",
        "system_node_selector",
        "system_tolerations",
    )

    def __init__(
        self,
        *,
        sets: tuple[Setting, ...] = (),
        system_node_selector: dict[str, str] | None = None,
        system_tolerations: tuple[dict[str, str], ...] = (),
        accelerated_node_selector: dict[str, str] | None = None,
        accelerated_tolerations: tuple[dict[str, str], ...] = (),
        registry: str | None = None,
    ) -> None:
        self.sets = tuple(sets)
        self.system_node_selector = dict(system_node_selector or {})
        self.system_tolerations = tuple(system_tolerations)
        self.accelerated_node_selector = dict(accelerated_node_selector or {})
        self.accelerated_tolerations = tuple(accelerated_tolerations)
        self.registry = registry

    def disabled(self) -> set[str]:
        """Components dropped with ``COMPONENT:enabled=false``."""
        return {s.component for s in self.sets if s.keys == ("enabled",) and s.value is False}

    def for_component(self, name: str) -> list[Setting]:
        """The value settings of one component (``enabled`` excluded), in the given order."""
        return [s for s in self.sets if s.component == name and s.keys != ("enabled",)]

    def describe(self) -> list[str]:
        """One line per override, for the bundle's README."""
        lines = [f"--set {s.text}" for s in self.sets]
        for flag, selector in (
            ("--system-node-selector", self.system_node_selector),
            ("--accelerated-node-selector", self.accelerated_node_selector),
        ):
            lines += [f"{flag} {k}={v}" for k, v in selector.items()]
        for flag, tolerations in (
            ("--system-toleration", self.system_tolerations),
            ("--accelerated-toleration", self.accelerated_tolerations),
        ):
            lines += [f"{flag} {toleration_text(t)}" for t in tolerations]
        if self.registry:
            lines.append(f"--registry {self.registry}")
        return lines


def parse_value(text: str) -> Any:
    """A ``--set`` value, typed (see the module docstring).

    Raises:
        InvalidRequestError: a ``[...]``/``{...}`` value that is not JSON.
    """
    if text in ("true", "false"):
        return text == "true"
    if text == "null":
        return None
    if _int(text):
        return int(text)
    if _float(text):
        return float(text)
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1]
    if text[:1] in ("[", "{"):
        import json

        try:
            return json.loads(text)
        except ValueError as exc:
            raise InvalidRequestError(f"--set value {text!r} is not valid JSON: {exc}") from None
    return text


def _split_keys(path: str, where: str) -> tuple[str, ...]:
    keys: list[str] = []
    current: list[str] = []
    escaped = False
    for ch in path:
        if escaped:
            current.append(ch)
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == ".":
            keys.append("".join(current))
            current = []
        else:
            current.append(ch)
    keys.append("".join(current))
    if escaped or any(not k or not k.isprintable() for k in keys):
        raise InvalidRequestError(f"{where}: {path!r} is not a values path (a.b.c)")
    return tuple(keys)


def parse_set(text: str) -> Setting:
    """``COMPONENT:PATH=VALUE`` -> Setting.

    Raises:
        InvalidRequestError: malformed text, with an example of the right form.
    """
    where = f"--set {text!r}"
    if len(text) > _MAX_SET:
        raise InvalidRequestError(f"--set value longer than {_MAX_SET} characters")
    component, colon, rest = text.partition(":")
    path, equals, raw = rest.partition("=")
    if not colon or not equals or not path:
        raise InvalidRequestError(
            f"{where}: expected COMPONENT:PATH=VALUE, e.g. gpu-operator:driver.version=580.95.05"
        )
    component = component.strip()
    if not _component(component):
        raise InvalidRequestError(f"{where}: {component!r} is not a component name")
    keys = _split_keys(path.strip(), where)
    value = parse_value(raw.strip())
    if keys == ("enabled",) and not isinstance(value, bool):
        raise InvalidRequestError(f"{where}: enabled takes true or false")
    return Setting(component, keys, value, text.strip())


def toleration_text(toleration: dict[str, str]) -> str:
    """A toleration as the flag writes it (``key=value:Effect``)."""
    text = toleration["key"]
    if "value" in toleration:
        text += "=" + toleration["value"]
    if "effect" in toleration:
        text += ":" + toleration["effect"]
    return text


def set_value(values: dict[str, Any], keys: tuple[str, ...], value: Any) -> None:
    """Set ``values[k1][k2]...`` to ``value``, creating (or replacing non-)mappings on the way."""
    current = values
    for key in keys[:-1]:
        child = current.get(key)
        if not isinstance(child, dict):
            child = current[key] = {}
        current = child
    current[keys[-1]] = value
