"""Cold-process CLI benchmarks: median wall time and peak RSS per command.

Every case runs as a fresh process, interleaved with the venv's bare ``python -c pass``
(the floor) so machine noise hits both alike. Prints a Markdown table for
docs/performance.md. Usage: ``python tools/bench_cli.py [-n RUNS] [case ...]``.
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
FIXTURES = ROOT / "tests" / "fixtures"


def _cases(tmp: Path) -> dict[str, list[str]]:
    eidos = str(BIN / "eidos")
    recipe_file = tmp / "recipe.yaml"
    criteria = ["--os", "ubuntu", "--service", "eks", "--gpu", "h100", "--intent", "training"]
    query = [eidos, "recipe", *criteria]
    cases = {
        "python -c pass": [sys.executable, "-c", "pass"],
        "eidos --version": [eidos, "--version"],
        "eidos recipe (query)": query,
        "eidos recipe -t json": [*query, "-t", "json"],
        "eidos query --selector": [
            eidos,
            "query",
            *criteria,
            "--selector",
            "components.gpu-operator.chart.version",
        ],
        "eidos recipe --snapshot": [
            eidos,
            "recipe",
            "--snapshot",
            str(FIXTURES / "reference/snapshots/h100.yaml"),
        ],
        "eidos snapshot -t json": [eidos, "snapshot", "-t", "json"],
        "eidos snapshot (h100 host tree, local)": [
            eidos,
            "snapshot",
            "--host-root",
            str(FIXTURES / "hosts/h100"),
            "--collectors",
            "systemd,os,gpu",
        ],
        "eidos bundle (full stack, YAML recipe)": _bundle(eidos, recipe_file, tmp / "b1"),
        "eidos bundle (full stack, JSON recipe)": _bundle(eidos, tmp / "recipe.json", tmp / "b2"),
        "eidos bundle (full stack, recipe read by PyYAML)": _bundle(
            eidos, tmp / "recipe-commented.yaml", tmp / "b3"
        ),
        "eidos bundle (reference recipe, 2 operators)": _bundle(
            eidos, FIXTURES / "reference/recipes/h100-eks-ubuntu-training.yaml", tmp / "b4"
        ),
    }
    with open(recipe_file, "w") as fh:
        subprocess.run(query, stdout=fh, check=True)
    with open(tmp / "recipe.json", "w") as fh:
        subprocess.run([*query, "-t", "json"], stdout=fh, check=True)
    # a comment line: not the emitter's output, so the PyYAML reader takes it
    (tmp / "recipe-commented.yaml").write_text("# edited by hand\n" + recipe_file.read_text())
    return cases


def _bundle(eidos: str, recipe: Path, out: Path) -> list[str]:
    """``eidos bundle`` of ``recipe`` into ``out``, replacing the previous run's bundle."""
    return [eidos, "bundle", "-f", str(recipe), "-o", str(out), "--force"]


def _run_once(cmd: list[str]) -> tuple[float, int]:
    start = time.perf_counter()
    code = subprocess.call(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start, code


def _peak_rss_kib(cmd: list[str]) -> int:
    """Peak RSS of ``cmd`` alone, via GNU time (a forked Python child would inherit our
    ru_maxrss, so getrusage cannot tell a small command from its parent)."""
    gnu_time = shutil.which("time") or "/usr/bin/time"
    with tempfile.NamedTemporaryFile("r") as out:
        subprocess.call(
            [gnu_time, "-f", "%M", "-o", out.name, *cmd],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        text = out.read().strip().splitlines()
    return int(text[-1]) if text and text[-1].isdigit() else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("-n", "--runs", type=int, default=31)
    parser.add_argument("cases", nargs="*", help="case names (substring match); default all")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        cases = _cases(Path(tmp))
        chosen = {
            k: v
            for k, v in cases.items()
            if not args.cases or k == "python -c pass" or any(c in k for c in args.cases)
        }
        walls: dict[str, list[float]] = {k: [] for k in chosen}
        rss: dict[str, int] = dict.fromkeys(chosen, 0)
        codes: dict[str, int] = dict.fromkeys(chosen, 0)
        for _ in range(args.runs):
            for name, cmd in chosen.items():
                wall, code = _run_once(cmd)
                walls[name].append(wall)
                codes[name] = code or codes[name]
        for name, cmd in chosen.items():
            rss[name] = max(_peak_rss_kib(cmd) for _ in range(3))
    floor = statistics.median(walls["python -c pass"])
    print(
        f"{time.strftime('%Y-%m-%d')} · {platform.machine()} · {os.cpu_count()} CPUs · "
        f"Python {platform.python_version()} · {args.runs} runs, medians"
    )
    print()
    print("| command | median wall (ms) | × floor | peak RSS (MiB) | exit |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name in chosen:
        med = statistics.median(walls[name])
        print(
            f"| `{name}` | {med * 1000:.1f} | {med / floor:.2f} | {rss[name] / 1024:.1f} "
            f"| {codes[name]} |"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
