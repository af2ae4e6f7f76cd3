"""Compile the embedded recipe YAML into src/eidos/recipe/_compiled.py (a Python literal).

Run via `make data`. The files of src/eidos/recipe/data/ (the component registry and the
base and overlays) are merged into one document, as `--data DIR` would merge them.
Loading the byte-compiled literal takes about a millisecond, where parsing the YAML at
start-up would cost tens of milliseconds.
"""

from __future__ import annotations

import pprint
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "src/eidos/recipe/data"
TARGET = ROOT / "src/eidos/recipe/_compiled.py"

HEADER = '''"""Generated from data/*.yaml by tools/gen_data.py (make data); do not edit."""

from __future__ import annotations

TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

DATA: dict[str, Any] = '''


def render() -> str:
    sys.path.insert(0, str(ROOT / "src"))
    from eidos.serializer.yamlload import load_yaml

    data: dict[str, object] = {}
    for path in sorted(SOURCE.glob("*.yaml")):
        part = load_yaml(path.read_text(encoding="utf-8"))
        for key, value in part.items():
            if key in data:
                raise SystemExit(f"{path.name}: {key} is already given by another data file")
            data[key] = value
    data = {k: data[k] for k in ("components", "base", "overlays") if k in data}
    from eidos.recipe import RecipeStore

    RecipeStore.from_dict(data, str(SOURCE))  # every check --data would make, or exit here
    _check_normalised(data)
    return HEADER + pprint.pformat(data, width=100, sort_dicts=False) + "\n"


def _check_normalised(data: dict[str, object]) -> None:
    """Start-up adopts the embedded constraints unparsed, so each must be written normalised."""
    from eidos.model import Constraint

    base = data.get("base")
    bodies = [base] if isinstance(base, dict) else []
    bodies += list(data.get("overlays") or [])  # type: ignore[call-overload]
    for body in bodies:
        for raw in body.get("constraints") or []:
            normal = Constraint.from_dict(raw).check
            if normal != raw["check"]:
                raise SystemExit(f"write the constraint {raw['check']!r} as {normal!r}")


def main() -> int:
    text = render()
    if "--check" in sys.argv:
        if not TARGET.exists() or TARGET.read_text(encoding="utf-8") != text:
            print(f"{TARGET} is stale: run `make data`", file=sys.stderr)
            return 1
        return 0
    TARGET.write_text(text, encoding="utf-8")
    print(f"wrote {TARGET.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
