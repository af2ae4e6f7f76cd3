"""Benchmark `eidos validate` and `eidos diff --fleet` on a 1,000-node fleet (cold processes).

The fleet is generated from the real h100 snapshot (tests/fixtures): each node gets its
own name, hostname, boot id, timestamps and GPU UUIDs, and every 50th node drifts (an
older driver, another GPU, a missing sysctl), so the report has failures to write. The
snapshots are written as JSON files in one directory, and the same fleet as YAML.

Measured per run: wall time, CPU time (user + system) and peak RSS of the eidos process
(wait4); on a shared machine the CPU time and the fastest wall time say the most. Budget (issue 13):
1,000 snapshots validated in <= 2 s and <= 200 MB on the project's 2-core machine.

    python tools/bench_validate.py [--nodes 1000] [--runs 5] [--keep DIR]
"""

from __future__ import annotations

import argparse
import copy
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
H100 = ROOT / "tests" / "fixtures" / "reference" / "snapshots" / "h100.yaml"
BUDGET_S, BUDGET_MB = 2.0, 200.0


def _data(doc: dict, mtype: str, subtype: str) -> dict:
    for m in doc["measurements"]:
        if m["type"] == mtype:
            for sub in m["subtypes"]:
                if sub["subtype"] == subtype:
                    return sub["data"]
    raise KeyError(subtype)


def make_fleet(directory: Path, nodes: int, fmt: str) -> None:
    """Write ``nodes`` variations of the h100 snapshot into ``directory``."""
    sys.path.insert(0, str(ROOT / "src"))
    from eidos.serializer import dumps, loads

    base = loads(H100.read_text())
    for i in range(nodes):
        doc = copy.deepcopy(base)
        name = f"gpu-{i:04d}"
        doc["metadata"]["source-node"] = name
        doc["metadata"]["snapshot-timestamp"] = f"2026-12-08T10:{i // 60 % 60:02d}:{i % 60:02d}Z"
        sysctl = _data(doc, "OS", "sysctl")
        sysctl["/proc/sys/kernel/hostname"] = name
        sysctl["/proc/sys/kernel/random/boot_id"] = f"{i:08x}-c3e1-48c4-96cd-9fa910693caf"
        _data(doc, "K8s", "node")["source-node"] = name
        smi = _data(doc, "GPU", "smi")
        if i % 50 == 7:
            smi["driver"] = "525.147.05"
        if i % 50 == 21:
            smi["gpu.model"] = "NVIDIA A100-SXM4-80GB"
        if i % 50 == 33:
            del sysctl["/proc/sys/vm/swappiness"]
        path = directory / f"{name}.{fmt}"
        path.write_text(json.dumps(doc) if fmt == "json" else dumps(doc, "yaml"))


def run(argv: list[str]) -> tuple[float, float, int, float]:
    """Wall seconds, peak RSS in MB, exit code and CPU seconds of one ``eidos`` process."""
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "eidos", *argv],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.stderr is not None:
        proc.stderr.close()
    return wall, usage.ru_maxrss / 1024, proc.returncode, usage.ru_utime + usage.ru_stime


def measure(label: str, argv: list[str], runs: int) -> tuple[float, float]:
    results = [run(argv) for _ in range(runs)]
    walls = [w for w, _, _, _ in results]
    cpu = statistics.median(c for _, _, _, c in results)
    rss = max(r for _, r, _, _ in results)
    codes = {c for _, _, c, _ in results}
    print(
        f"{label:<34} wall median {statistics.median(walls):5.2f} s  min {min(walls):5.2f} s  "
        f"max {max(walls):5.2f} s  CPU {cpu:5.2f} s  peak RSS {rss:5.1f} MB  exit {codes}"
    )
    return statistics.median(walls), rss


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--keep", metavar="DIR", help="write the fleets here and keep them")
    args = parser.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="eidos-bench-"))
    fleet_json, fleet_yaml = work / "fleet-json", work / "fleet-yaml"
    for directory, fmt in ((fleet_json, "json"), (fleet_yaml, "yaml")):
        directory.mkdir(parents=True, exist_ok=True)
        if not any(directory.iterdir()):
            make_fleet(directory, args.nodes, fmt)
    recipe = work / "recipe.yaml"
    subprocess.run(
        [sys.executable, "-m", "eidos", "recipe", "--snapshot", str(H100), "-o", str(recipe)],
        check=True,
        capture_output=True,
    )
    print(
        f"{args.nodes} nodes from {H100.name}; {args.runs} runs each; budget "
        f"{BUDGET_S:g} s and {BUDGET_MB:g} MB (JSON fleet)"
    )
    base = ["validate", "-r", str(recipe), "-f"]
    wall, rss = measure("validate, JSON fleet, -t table", [*base, str(fleet_json)], args.runs)
    for fmt in ("json", "junit", "ctrf"):
        measure(f"validate, JSON fleet, -t {fmt}", [*base, str(fleet_json), "-t", fmt], args.runs)
    measure("validate, YAML fleet, -t table", [*base, str(fleet_yaml)], max(1, args.runs // 5))
    measure(
        "diff --fleet, JSON fleet", ["diff", "--fleet", str(fleet_json)], max(1, args.runs // 5)
    )
    ok = wall <= BUDGET_S and rss <= BUDGET_MB
    print(f"budget {'met' if ok else 'MISSED'}: {wall:.2f} s, {rss:.1f} MB")
    return 0  # a benchmark reports; it does not fail the build of a loaded machine


if __name__ == "__main__":
    raise SystemExit(main())
