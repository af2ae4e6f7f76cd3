"""Declare what you import (STYLE rule 20): src/ imports exactly the declared dependencies."""

from __future__ import annotations

import ast
import importlib.metadata
import re
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _normal(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def declared() -> set[str]:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    return {
        _normal(re.split(r"[\s\[<>=!~;]", dep, maxsplit=1)[0]) for dep in project["dependencies"]
    }


#: the running Python's standard library, and modules of later CPythons eidos imports where
#: they exist (bundlers/tree.py: ``_sha2`` is 3.12's name of 3.11's ``_sha256``)
_STDLIB = sys.stdlib_module_names | {"_sha2"}


def imported_modules() -> dict[str, set[str]]:
    """Top-level third-party module -> the src files that import it (lazy imports too)."""
    found: dict[str, set[str]] = {}
    for path in (ROOT / "src").rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top not in _STDLIB and top not in ("eidos", "__future__"):
                    found.setdefault(top, set()).add(str(path.relative_to(ROOT)))
    return found


def test_every_third_party_import_is_a_declared_dependency():
    providers = importlib.metadata.packages_distributions()
    undeclared = {
        module: sorted(files)
        for module, files in imported_modules().items()
        if not {_normal(d) for d in providers.get(module, [])} & declared()
    }
    assert undeclared == {}, "imported by src/ but not in [project] dependencies"


def test_every_declared_dependency_is_imported():
    providers = importlib.metadata.packages_distributions()
    used = {_normal(d) for m in imported_modules() for d in providers.get(m, [])}
    assert declared() - used == set(), "declared in [project] dependencies but never imported"


def test_the_checks_see_the_imports_they_must():
    # guards the scanner itself: lazy imports inside functions count, stdlib does not
    modules = imported_modules()
    assert {"yaml", "lightkube", "httpx2", "msgspec", "starlette"} <= set(modules)
    assert "json" not in modules and "click" not in modules
