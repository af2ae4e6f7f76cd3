#!/usr/bin/env python3
"""A fleet snapshot of 1,000 nodes against the API emulator: wall time, peak RSS, API requests.

The emulator (tests/kube_emulator.py) and the simulated cluster (tests/kube_cluster.py:
scheduler, kubelet, Job controller, garbage collector, the agent writing each node's
snapshot) run in this process, throttled like API Priority and Fairness (429 with
``Retry-After: 1`` beyond a rate). ``eidos snapshot --deploy-agent --all-nodes`` runs in a
child process, so its peak RSS is its own (interpreter and imports included). Each Job
takes three looks to finish (scheduled and mounted, pulled and created, run), as real
agents take a few polls.

    .venv/bin/python tools/bench_fleet.py [--nodes 1000] [--parallel 100] [--qps 50]
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from kube_cluster import ClusterSim, gpu_node  # noqa: E402
from kube_emulator import KubeEmulator  # noqa: E402

H100 = ROOT / "tests" / "fixtures" / "reference" / "snapshots" / "h100.yaml"

# Peak RSS from VmHWM: getrusage's ru_maxrss survives exec and would report the parent's.
CHILD = """
import json, resource, sys
from eidos.cli import main
code = main(sys.argv[2:])
for line in open("/proc/self/status"):
    if line.startswith("VmHWM:"):
        rss = int(line.split()[1]) / 1024
usage = resource.getrusage(resource.RUSAGE_SELF)
with open(sys.argv[1], "w") as fh:
    json.dump({"code": code, "rss": rss, "cpu": usage.ru_utime + usage.ru_stime}, fh)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nodes", type=int, default=1000)
    parser.add_argument("--parallel", type=int, default=100)
    parser.add_argument("--qps", type=float, default=50.0, help="the emulated server's limit")
    parser.add_argument("--format", default="json", choices=("yaml", "json"))
    parser.add_argument(
        "--list", action="store_true", help="one SnapshotList (up to ~160 nodes), not a directory"
    )
    args = parser.parse_args()
    with KubeEmulator() as emu, tempfile.TemporaryDirectory() as tmp:
        nodes = [gpu_node(f"ip-10-0-{i // 250}-{i % 250}.ec2.internal") for i in range(args.nodes)]
        sim = ClusterSim(emu, nodes=nodes, snapshot=H100.read_text()).install()
        sim.steps_per_read = 2
        created: list[float] = []
        running: list[int] = []
        job_created = emu.on_create["jobs"]

        def count(emulator: KubeEmulator, job: dict[str, object]) -> None:
            created.append(time.monotonic())
            running.append(sum(1 for k in emulator.objects if k[1] == "jobs"))
            job_created(emulator, job)

        emu.on_create["jobs"] = count
        emu.throttle(args.qps, burst=int(args.qps), retry_after="1")
        kubeconfig = emu.write_kubeconfig(Path(tmp) / "kc")
        out = Path(tmp) / ("fleet." + args.format if args.list else "fleet")
        result = Path(tmp) / "result.json"
        argv = ["snapshot", "--kubeconfig", str(kubeconfig), "--deploy-agent", "--all-nodes"]
        argv += ["--parallel", str(args.parallel), "-t", args.format]
        argv += ["-o", str(out) if args.list else f"{out}/"]
        env = {k: v for k, v in os.environ.items() if k not in ("KUBECONFIG", "NODE_NAME")}
        start = time.monotonic()
        done = subprocess.run(
            [sys.executable, "-c", CHILD, str(result), *argv],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            check=False,
        )
        wall = time.monotonic() - start
        child = json.loads(result.read_text())
        if child["code"] != 0:
            sys.exit(f"the fleet run failed ({child['code']}):\n{done.stderr[-3000:]}")
        written = (
            len(json.loads(out.read_text())["items"])
            if args.list and args.format == "json"
            else len(list(out.glob(f"*.{args.format}")))
            if not args.list
            else out.read_text().count("\n  - kind: Snapshot\n")
        )
        methods = collections.Counter(m for m, _, _ in emu.requests)
        per_second = collections.Counter(int(t - created[0]) for t in created)
        left = [k for k in emu.objects if k[1] in ("jobs", "configmaps", "roles", "pods")]
        print(
            f"{time.strftime('%Y-%m-%d')} on {platform.machine()}, {os.cpu_count()} CPUs, "
            f"Python {platform.python_version()}"
        )
        print(
            f"{args.nodes} nodes, --parallel {args.parallel}, -t {args.format}, "
            f"{'one SnapshotList' if args.list else 'a directory'}; emulated server "
            f"{args.qps:g} requests/s (429 + Retry-After: 1 beyond)"
        )
        print(f"wall time            {wall:8.1f} s")
        print(f"CPU (eidos)          {child['cpu']:8.1f} s")
        print(f"peak RSS (eidos)     {child['rss']:8.1f} MiB")
        print(f"snapshots written    {written:8d} of {args.nodes}")
        print(
            f"API requests         {len(emu.requests):8d}  "
            + ", ".join(f"{m} {n}" for m, n in sorted(methods.items()))
        )
        print(f"  per node           {len(emu.requests) / args.nodes:8.1f}")
        early = emu.early
        print(f"429 answers          {emu.throttled:8d}  (requests before Retry-After: {early})")
        print(f"Jobs at once (max)   {max(running):8d}")
        print(f"Jobs created/s (max) {max(per_second.values()):8d}")
        print(f"left in the cluster  {len(left):8d}")
        if written != args.nodes or left or emu.early:
            sys.exit("incomplete: not every ConfigMap was collected, or something was left")


if __name__ == "__main__":
    main()
