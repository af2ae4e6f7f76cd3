"""House rules that keep the codebase navigable: public surfaces, module size, no shells."""

from __future__ import annotations

import importlib
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parent.parent / "src" / "eidos"


@pytest.mark.parametrize(
    ("module", "names"),
    [
        ("eidos", {"__version__"}),
        (
            "eidos.model",
            {
                "Snapshot",
                "Recipe",
                "Query",
                "Version",
                "Measurement",
                "Subtype",
                "ComponentRef",
                "Constraint",
            },
        ),
        ("eidos.recipe", {"RecipeStore", "RecipeBuilder", "query_from_snapshot", "infer_query"}),
        (
            "eidos.serializer",
            {"dumps", "loads", "read_document", "open_destination", "parse_format"},
        ),
    ],
)
def test_public_surfaces_export_what_they_promise(module, names):
    mod = importlib.import_module(module)
    assert names <= set(mod.__all__)
    for name in mod.__all__:
        assert getattr(mod, name) is not None


def test_no_module_grows_past_the_size_budget():
    too_big = [
        (str(p.relative_to(SRC)), n)
        for p in SRC.rglob("*.py")
        if p.name != "_compiled.py" and (n := len(p.read_text().splitlines())) > 450
    ]
    assert too_big == []


def test_no_shell_true_anywhere():
    offenders = [str(p) for p in SRC.rglob("*.py") if "shell=True" in p.read_text()]
    assert offenders == []


@pytest.mark.parametrize(
    "argv",
    [
        ["recipe", "--gpu", "h100"],
        ["recipe", "--service", "eks", "--gpu", "h100", "--platform", "dynamo", "--nodes", "4"],
        ["query", "--gpu", "h100", "--selector", "components.gpu-operator.chart.version"],
    ],
    ids=["recipe", "recipe-full-stack", "query"],
)
def test_recipe_command_keeps_heavy_libraries_off_its_start_up_path(argv):
    code = (
        "import sys, io; sys.stdout = io.StringIO(); from eidos.cli import main; "
        f"main({argv!r}); sys.stdout = sys.__stdout__; "
        "print(' '.join(sorted(sys.modules)))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    for heavy in (
        "yaml",
        "json",
        "click",
        "jinja2",
        "lightkube",
        "starlette",
        "typing",
        "logging",
        "datetime",
        "shutil",
        "urllib.request",
        "difflib",
    ):
        assert heavy not in out, heavy
    assert [m for m in out if m.startswith("eidos.server")] == []  # only `eidos serve` may


def test_snapshot_of_a_bare_node_keeps_heavy_libraries_off_its_start_up_path(tmp_path):
    # Every node of a fleet pays the start-up: asyncio alone was ~40 ms of ~170 ms.
    # A node without systemd, GPU or cluster loads no event loop, no D-Bus or XML library,
    # no subprocess, no Kubernetes client and no stdlib logging for its warnings.
    host = SRC.parent.parent / "tests" / "fixtures" / "hosts" / "h100"
    code = (
        "import sys, io; sys.stdout = io.StringIO(); from eidos.cli import main; "
        f"code = main(['snapshot', '--host-root', {str(host)!r}]); "
        "sys.stdout = sys.__stdout__; print(code, ' '.join(sorted(sys.modules)))"
    )
    empty = tmp_path / "bin"
    empty.mkdir()
    env = {"HOME": str(tmp_path), "PATH": str(empty), "LANG": "C.UTF-8"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env
    )
    status, *modules = done.stdout.split()
    assert status == "0", done.stderr
    assert "systemd is not reachable" in done.stderr  # the bare node really was bare
    for heavy in (
        "asyncio",
        "concurrent.futures",
        "ssl",
        "socket",
        "selectors",
        "subprocess",
        "dataclasses",
        "inspect",
        "typing",
        "logging",
        "decimal",
        "datetime",
        "pathlib",
        "yaml",
        "jeepney",
        "defusedxml",
        "lightkube",
        "httpx2",
        "eidos.kube",
        "json",
    ):
        assert heavy not in modules, heavy


def _modules_of_bundle(argv: list[str]) -> list[str]:
    """The modules a cold ``eidos <argv>`` loaded (it must succeed)."""
    code = (
        "import sys, io; sys.stdout = io.StringIO(); from eidos.cli import main; "
        f"code = main({argv!r}); sys.stdout = sys.__stdout__; "
        "print(code, ' '.join(sorted(sys.modules)))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    status, *modules = done.stdout.split()
    assert status == "0", done.stderr
    return modules


@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_bundle_of_a_recipe_eidos_wrote_keeps_heavy_libraries_off_its_path(tmp_path, fmt):
    # PyYAML alone was ~25 ms of a cold full-stack bundle (docs/performance.md): a recipe
    # eidos wrote is read by serializer/yamlfast; no template engine, no event loop, no
    # thread pool, no subprocess, no logging machinery, no recipe data.
    recipe = tmp_path / f"recipe.{fmt}"
    criteria = ["--service", "eks", "--gpu", "h100", "--os", "ubuntu", "--intent", "training"]
    subprocess.run(
        [sys.executable, "-m", "eidos", "recipe", *criteria, "-t", fmt, "-o", str(recipe)],
        check=True,
        timeout=60,
    )
    argv = ["bundle", "-f", str(recipe), "-o", str(tmp_path / "out")]
    modules = _modules_of_bundle(argv)
    assert (tmp_path / "out" / "deploy.sh").is_file()
    # replacing it: renameat2 loads ctypes; the old tree is removed by a detached process
    replacing = _modules_of_bundle([*argv, "--force"])
    ctypes = {"ctypes", "_ctypes", "ctypes._endian", "struct", "_struct"}
    assert set(replacing) - set(modules) <= ctypes
    for heavy in (
        "yaml",
        "json",
        "jinja2",
        "asyncio",
        "concurrent.futures",
        "subprocess",
        "logging",
        "tempfile",
        "socket",
        "decimal",
        "dataclasses",
        "inspect",
        "lightkube",
        "starlette",
        "eidos.recipe",
        "eidos.kube",
        "eidos.server",
        # stdlib modules a bundle does not need (~35 ms together, docs/performance.md)
        "re",
        "enum",
        "collections",
        "functools",
        "shlex",
        "typing",
        "pathlib",
        "shutil",
        "threading",
        "datetime",
        "contextlib",
        "ctypes",
        "_hashlib",  # OpenSSL (bundlers/tree.py hashes with CPython's own SHA-256)
    ):
        json_needs = {"json", "re", "enum", "collections", "functools"}  # the stdlib decoder
        if not (heavy in json_needs and fmt == "json"):
            assert heavy not in modules, heavy
