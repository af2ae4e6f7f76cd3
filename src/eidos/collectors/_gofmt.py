"""Go ``%v`` text for D-Bus container values, which snapshots store as strings.

The reference printed them with Go's ``fmt``: lists and structs as ``[a b]``, byte
arrays as decimal numbers, dicts as ``map[k:v]`` with sorted keys, strings unquoted.
Example: signature ``a(sasb)``, value ``[("/bin/x", ["/bin/x"], False)]`` ->
``[[/bin/x [/bin/x] false]]``. A variant inside a container prints its content.
"""

from __future__ import annotations

import math

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["go_float", "go_scalar", "go_value", "split_signature"]


def split_signature(signature: str) -> list[str]:
    """Split a signature into complete types: ``"sa{sv}(ii)"`` -> ``["s", "a{sv}", "(ii)"]``."""
    types = []
    i = 0
    while i < len(signature):
        end = _type_end(signature, i)
        types.append(signature[i:end])
        i = end
    return types


def _type_end(signature: str, i: int) -> int:
    while signature[i] == "a":
        i += 1
    opener = signature[i]
    if opener not in "({":
        return i + 1
    closer = ")" if opener == "(" else "}"
    depth = 0
    for j in range(i, len(signature)):
        if signature[j] == opener:
            depth += 1
        elif signature[j] == closer:
            depth -= 1
            if depth == 0:
                return j + 1
    raise ValueError(f"unbalanced D-Bus signature {signature!r}")


def go_value(signature: str, value: Any) -> str:
    """Format ``value`` (as jeepney decodes it) the way Go's ``%v`` printed it."""
    if signature.startswith("a{"):
        key_sig, value_sig = split_signature(signature[2:-1])
        items = sorted(value.items())
        return (
            "map["
            + " ".join(f"{go_value(key_sig, k)}:{go_value(value_sig, v)}" for k, v in items)
            + "]"
        )
    if signature == "ay":
        return "[" + " ".join(str(b) for b in value) + "]"
    if signature.startswith("a"):
        return "[" + " ".join(go_value(signature[1:], item) for item in value) + "]"
    if signature.startswith("("):
        fields = split_signature(signature[1:-1])
        return "[" + " ".join(go_value(s, v) for s, v in zip(fields, value, strict=True)) + "]"
    if signature == "v":
        inner_sig, inner = value
        return go_value(inner_sig, inner)
    return go_scalar(value)


def go_scalar(value: Any) -> str:
    """Go's ``%v`` for a scalar: ``<nil>``, ``true``/``false``, Go floats, else ``str``."""
    if value is None:
        return "<nil>"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return go_float(value)
    return str(value)


def go_float(value: float) -> str:
    """Go's ``%v`` for a float64: shortest digits, exponent form outside [1e-4, 1e6)."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    if value == 0:
        return "-0" if math.copysign(1, value) < 0 else "0"
    prefix = "-" if value < 0 else ""
    text, exp = _shortest_digits(abs(value))
    if exp < -4 or exp >= 6:
        mantissa = text[0] + ("." + text[1:] if len(text) > 1 else "")
        return f"{prefix}{mantissa}e{'-' if exp < 0 else '+'}{abs(exp):02d}"
    if exp < 0:
        return f"{prefix}0.{'0' * (-exp - 1)}{text}"
    whole, frac = text[: exp + 1].ljust(exp + 1, "0"), text[exp + 1 :]
    return prefix + whole + ("." + frac if frac else "")


def _shortest_digits(value: float) -> tuple[str, int]:
    """Significant digits of Python's shortest repr and the decimal exponent of the first.

    ``123456.5`` -> ``("1234565", 5)``; ``1e-05`` -> ``("1", -5)``; ``0.5`` -> ``("5", -1)``.
    """
    mantissa, _, exponent = repr(value).partition("e")
    whole, _, frac = mantissa.partition(".")
    digits = (whole + frac).lstrip("0")
    exp = (
        int(exponent or 0) + len(whole) - 1 - (len(whole + frac) - len((whole + frac).lstrip("0")))
    )
    return digits.rstrip("0") or "0", exp
