"""Typed, validated reads of the recipe keys a bundler uses (``K8s/config/mig``).

Every value is checked before it reaches a file: flags must be real booleans, versions
image tags, registries registry paths, host paths absolute paths. A bad value is a
:class:`~eidos.errors.BundlerValidationError` naming the bundler and the key, so no
recipe text can inject YAML or shell into a bundle.
"""

from __future__ import annotations

from eidos.charsets import ALNUM, LOWER_DIGITS, digits, token
from eidos.errors import BundlerValidationError
from eidos.model import Reading, Recipe

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable

    #: A kind of string value: its check and what a valid value looks like. Checks run in
    #: linear time (a length cap, then character classes), so any value is judged in
    #: microseconds.
    Kind = tuple[Callable[[str], bool], str]

__all__ = ["KINDS", "RecipeKeys", "clean_text"]

# The shapes (the tests hold each check against its pattern):
#   version        [A-Za-z0-9_][A-Za-z0-9_.+-]*
#   registry host  [a-z0-9]|[a-z0-9][a-z0-9.-]*[a-z0-9], port [0-9]{1,5}
#   registry part  [a-z0-9]|[a-z0-9][a-z0-9._-]*[a-z0-9]
#   path           /[A-Za-z0-9._@+/-]*
#   name           [A-Za-z0-9]|[A-Za-z0-9][A-Za-z0-9._-]*[A-Za-z0-9]
_VERSION_FIRST = ALNUM | {"_"}
_VERSION_REST = ALNUM | frozenset("_.+-")
_HOST_MIDDLE = LOWER_DIGITS | frozenset(".-")
_PART_MIDDLE = LOWER_DIGITS | frozenset("._-")
_PATH = ALNUM | frozenset("._@+/-")
_NAME_MIDDLE = ALNUM | frozenset("._-")


def _version(value: str) -> bool:
    return len(value) <= 128 and token(value, _VERSION_FIRST, _VERSION_REST)


def _registry(value: str) -> bool:
    """``host[:port](/part)*``: split at ``/`` and ``:`` so each piece is one flat match."""
    if len(value) > 255:
        return False
    first, *parts = value.split("/")
    host, colon, port = first.partition(":")
    return (
        token(host, LOWER_DIGITS, _HOST_MIDDLE, LOWER_DIGITS)
        and (not colon or digits(port, longest=5))
        and all(token(part, LOWER_DIGITS, _PART_MIDDLE, LOWER_DIGITS) for part in parts)
    )


def _path(value: str) -> bool:
    """``/`` then segments of safe characters, single slashes between them."""
    return len(value) <= 4096 and value[:1] == "/" and "//" not in value and _PATH.issuperset(value)


def _name(value: str) -> bool:
    return token(value, ALNUM, _NAME_MIDDLE, ALNUM, longest=63)


#: value kind -> (check, what a valid value looks like)
KINDS: dict[str, Kind] = {
    "version": (_version, "an image tag such as v25.3.0 or 570.133.20, at most 128 characters"),
    "registry": (_registry, "a registry path such as nvcr.io/nvidia, at most 255 characters"),
    "path": (_path, "an absolute host path such as /run/nvidia/driver, at most 4096 characters"),
    "name": (_name, "a Kubernetes label value (letters, digits, '.', '_', '-'; at most 63)"),
}
#: control characters (C0, DEL, C1) -> space: they separate words like whitespace does
_CONTROLS_TO_SPACE = dict.fromkeys((*range(0x20), *range(0x7F, 0xA0)), " ")


def clean_text(text: str, limit: int = 200) -> str:
    """One printable line: whitespace runs collapsed, control characters removed.

    Only the first ``8 * limit`` characters are read, so a huge value (an alias expanded
    many times over) costs no more than a short one.
    """
    words: list[str] = []
    length = -1
    for word in text[: 8 * limit + 8].translate(_CONTROLS_TO_SPACE).split():
        words.append(word)
        length += len(word) + 1
        if length > limit:
            break
    line = " ".join(words)
    return line if len(line) <= limit else line[: limit - 1] + "…"


def _show(value: Reading) -> str:
    kind = "boolean" if isinstance(value, bool) else type(value).__name__
    text = repr(value)
    return f"{kind} {text if len(text) <= 60 else text[:57] + '...'}"


class RecipeKeys:
    """Reads ``Type/subtype/key`` paths from one recipe on behalf of one bundler.

    Later subtypes of the same name win, as in the reference. Each key read is recorded
    in :attr:`used` (path -> value) so bundles can say which recipe keys shaped them.
    """

    def __init__(self, recipe: Recipe, bundler: str) -> None:
        self.recipe = recipe
        self.bundler = bundler
        self.used: dict[str, Reading] = {}

    def has_measurement(self, mtype: str) -> bool:
        """Whether the recipe has a measurement of type ``mtype``."""
        return any(m.type == mtype for m in self.recipe.measurements)

    def _lookup(self, path: str) -> tuple[bool, Reading, str]:
        mtype, subtype, key = path.split("/", 2)
        found, context = False, ""
        value: Reading = ""
        for measurement in self.recipe.measurements:
            if measurement.type != mtype:
                continue
            for sub in measurement.subtypes:
                if sub.name == subtype and key in sub.data:
                    found, value = True, sub.data[key]
                    context = sub.context.get(key) or sub.context.get(f"{key}-context") or ""
        return found, value, context

    def error(self, path: str, problem: str) -> BundlerValidationError:
        """A validation error that names the bundler and the recipe key."""
        return BundlerValidationError(
            f"{self.bundler}: recipe key {path} {problem}",
            details={"bundler": self.bundler, "key": path},
        )

    def context(self, path: str) -> str:
        """The key's one-line explanation from the recipe (cleaned), or ``""``."""
        return clean_text(self._lookup(path)[2])

    def flag(self, path: str, default: bool | None = None) -> bool | None:
        """A boolean key; ``default`` when absent; an error for any other type."""
        found, value, _ = self._lookup(path)
        if not found:
            return default
        if not isinstance(value, bool):
            raise self.error(path, f"must be true or false, got {_show(value)}")
        self.used[path] = value
        return value

    def text(self, path: str, kind: str) -> str | None:
        """A string key checked against ``KINDS[kind]``; ``None`` when absent."""
        found, value, _ = self._lookup(path)
        if not found:
            return None
        if isinstance(value, int) and not isinstance(value, bool) and kind == "version":
            value = str(value)
        check, hint = KINDS[kind]
        if not isinstance(value, str) or not check(value):
            raise self.error(path, f"must be {hint}, got {_show(value)}")
        self.used[path] = value
        return value

    def choice(self, path: str, choices: Iterable[str], default: str) -> str:
        """A string key restricted to ``choices``."""
        found, value, _ = self._lookup(path)
        if not found:
            return default
        allowed = tuple(choices)
        if not isinstance(value, str) or value not in allowed:
            raise self.error(path, f"must be one of {', '.join(allowed)}, got {_show(value)}")
        self.used[path] = value
        return value

    def require(self, path: str, kind: str, what: str) -> str:
        """Like :meth:`text`, but a missing key is an error that says what it is for."""
        value = self.text(path, kind)
        if value is None:
            raise BundlerValidationError(
                f"{self.bundler}: recipe has no {path} ({what})",
                details={"bundler": self.bundler, "key": path},
            )
        return value

    def require_measurement(self, mtype: str, what: str) -> None:
        """Fail with a clear message when the recipe lacks a whole measurement type."""
        if not self.has_measurement(mtype):
            raise BundlerValidationError(
                f"{self.bundler}: recipe has no {mtype} measurement ({what})",
                details={"bundler": self.bundler, "key": mtype},
            )
