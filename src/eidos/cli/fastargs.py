"""The everyday command line, parsed without argparse; argparse decides everything else.

Why a second parser: importing argparse costs ~11-13 ms of CPU on every start (it imports
``re`` with ``enum``, ``functools`` and ``collections``, plus ``gettext`` and ``warnings``,
and its first translated message loads ``locale``): a quarter of a cold ``eidos recipe``
(docs/performance.md, "Start-up: the command line"). This module parses the lines people
and scripts actually type -- the command first, then its own options spelled out in full
(``--os ubuntu``, ``--os=ubuntu``, ``-t json``, flags) -- from the *same* declarations:
each command's ``register`` runs against a :class:`Recorder` instead of an argparse
parser. Anything it does not model returns None and argparse parses the whole line, so
help, abbreviations, bundled short flags, positionals, missing, repeated-as-error or bad
values all get argparse's messages. The property tests check that every line this module
accepts gives exactly the namespace argparse gives.
"""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Sequence
    from typing import Any

__all__ = ["NEGATABLE", "SUPPRESS", "Namespace", "Recorder", "add_negatable", "parse"]

#: ``default=SUPPRESS`` on a :class:`Recorder`: the option sets nothing unless given (the
#: value of ``argparse.SUPPRESS``, which argparse compares by identity: pass argparse's own).
SUPPRESS = "==SUPPRESS=="
#: The recorded action of an ``--x/--no-x`` option (argparse.BooleanOptionalAction).
NEGATABLE = "negatable"
_FLAGS = {"store_true": True, "store_false": False}


class Unsupported(Exception):
    """A declaration this module does not model: argparse parses such a command."""


class Namespace:
    """The parsed options as attributes, as ``argparse.Namespace`` holds them."""

    def __init__(self, **values: Any) -> None:
        self.__dict__.update(values)

    def __contains__(self, key: str) -> bool:
        return key in self.__dict__

    def __repr__(self) -> str:
        return f"Namespace({', '.join(f'{k}={v!r}' for k, v in vars(self).items())})"


class Option:
    """One recorded ``add_argument`` call (what parsing needs; help texts are argparse's)."""

    def __init__(self, strings: tuple[str, ...], action: str, kwargs: dict[str, Any]) -> None:
        if not all(s.startswith("-") and len(s) > 1 for s in strings):
            raise Unsupported(f"{strings}: a positional")
        self.strings = strings
        self.action = action
        long = [s for s in strings if s.startswith("--")]
        self.dest: str = kwargs.pop("dest", None) or (long or list(strings))[0].lstrip("-").replace(
            "-", "_"
        )
        self.required: bool = kwargs.pop("required", False)
        self.choices: Sequence[Any] | None = kwargs.pop("choices", None)
        self.type: Callable[[str], Any] | None = kwargs.pop("type", None)
        flag = _FLAGS.get(action)
        self.default: Any = kwargs.pop("default", None if flag is None else not flag)
        self.completions: tuple[str, ...] = ()
        kwargs.pop("metavar", None)
        kwargs.pop("help", None)
        if kwargs:
            raise Unsupported(f"{strings}: {sorted(kwargs)}")
        if action == "append" and not (
            self.default in (None, SUPPRESS) or type(self.default) is list
        ):
            raise Unsupported(f"{strings}: append to {type(self.default).__name__}")


class Recorder:
    """Stands in for argparse's sub-parsers object, a command's parser and its groups.

    ``register(subparsers)`` declares the command on it exactly as on argparse; a call it
    does not model raises :class:`Unsupported`.
    """

    def __init__(self) -> None:
        self.options: list[Option] = []
        self.by_string: dict[str, Option] = {}
        self.defaults: dict[str, Any] = {}

    def add_parser(self, name: str, **kwargs: Any) -> Recorder:
        """The command's parser: this recorder (one command is recorded at a time)."""
        return self

    def add_argument_group(self, *args: Any, **kwargs: Any) -> Recorder:
        """A group only titles options in the help: this recorder."""
        return self

    def set_defaults(self, **kwargs: Any) -> None:
        """Namespace defaults; like argparse, they also become the options' defaults."""
        self.defaults.update(kwargs)
        for option in self.options:
            if option.dest in kwargs:
                option.default = kwargs[option.dest]

    def add_argument(self, *strings: str, action: str | None = None, **kwargs: Any) -> Option:
        """Record an option (store, append, store_true/false or negatable)."""
        kind = action or "store"
        if kind not in ("store", "append", NEGATABLE, *_FLAGS):
            raise Unsupported(f"{strings}: action {action!r}")
        default_given = "default" in kwargs
        option = Option(strings, kind, kwargs)
        if not default_given and option.dest in self.defaults:
            option.default = self.defaults[option.dest]
        names = strings
        if kind == NEGATABLE:
            names = (*strings, *(f"--no-{s[2:]}" for s in strings if s.startswith("--")))
        for name in names:
            self.by_string[name] = option
        self.options.append(option)
        return option

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise Unsupported(name)  # e.g. add_mutually_exclusive_group: argparse's job


def add_negatable(group: Any, *strings: str, **kwargs: Any) -> Any:
    """Declare ``--x/--no-x`` (``argparse.BooleanOptionalAction``) on a parser or recorder."""
    if isinstance(group, Recorder):
        return group.add_argument(*strings, action=NEGATABLE, **kwargs)
    import argparse  # already loaded: ``group`` is an argparse parser

    return group.add_argument(*strings, action=argparse.BooleanOptionalAction, **kwargs)


def parse(
    argv: list[str],
    commands: Sequence[str],
    root: Recorder,
    declare: Callable[[Recorder, str], object],
) -> Namespace | None:
    """The namespace argparse would give for ``argv``, or None if argparse must parse it.

    ``root`` holds the options of ``eidos`` itself (their defaults start the namespace);
    ``declare(recorder, name)`` declares a command as the argparse tree declares it.
    """
    if not argv or argv[0] not in commands:
        return None  # root options first, --help, --version, no command: argparse
    command = Recorder()
    try:
        declare(command, argv[0])
    except Unsupported:
        return None
    sub: dict[str, Any] = {}
    for option in command.options:
        if option.default is not SUPPRESS and option.dest not in sub:
            sub[option.dest] = option.default
    for dest, value in command.defaults.items():
        sub.setdefault(dest, value)
    seen = _consume(argv, command, sub)
    if seen is None:
        return None
    for option in command.options:
        if id(option) in seen:
            continue
        if option.required:
            return None  # "the following arguments are required"
        default = option.default
        if sub.get(option.dest) is default and isinstance(default, str):
            converted = _convert(option, default)  # argparse converts such defaults
            if converted is _INVALID:
                return None
            sub[option.dest] = converted
    values = {o.dest: o.default for o in root.options if o.default is not SUPPRESS}
    values.update(sub)
    return Namespace(**values)


def _consume(argv: list[str], command: Recorder, values: dict[str, Any]) -> set[int] | None:
    """Store the options of ``argv[1:]`` into ``values``; return those seen.

    None at the first thing this module does not model: argparse then parses the line.
    """
    seen: set[int] = set()
    index = 1
    while index < len(argv):
        token = argv[index]
        index += 1
        explicit = token.startswith("--") and "=" in token
        name, _, value = token.partition("=") if explicit else (token, "", "")
        option = command.by_string.get(name)
        if option is None:
            return None  # -h, --help, --, an abbreviation, -tjson, a positional, a typo
        seen.add(id(option))
        if option.action == NEGATABLE or option.action in _FLAGS:
            if explicit:
                return None  # argparse: "ignored explicit argument"
            flag = not name.startswith("--no-") if option.action == NEGATABLE else None
            values[option.dest] = _FLAGS[option.action] if flag is None else flag
            continue
        if not explicit:
            if index >= len(argv) or (argv[index].startswith("-") and argv[index] != "-"):
                return None  # "expected one argument"; or argparse may see an option there
            value = argv[index]
            index += 1
        elif value == "--":
            return None  # argparse drops a "--" value (and then stores [])
        converted = _convert(option, value)
        if converted is _INVALID:
            return None
        if option.action == "append":
            values[option.dest] = [*(values.get(option.dest) or ()), converted]
        else:
            values[option.dest] = converted
    return seen


_INVALID = object()


def _convert(option: Option, value: str) -> Any:
    """``value`` through the option's type and choices, or ``_INVALID`` (argparse says why)."""
    converted: Any = value
    if option.type is not None:
        try:
            converted = option.type(value)
        except Exception:
            return _INVALID
    if option.choices is not None and converted not in option.choices:
        return _INVALID
    return converted
