#!/usr/bin/env python3
"""K8s collector against the API emulator: wall time and peak RSS for a large cluster.

The emulator (tests/kube_emulator.py) runs in this process; each measurement runs in a
fresh child process, so its peak RSS is the collector's alone (interpreter and imports
included). CPU is the child's own time; wall time also includes the emulator serving the
pages. Also compares a synchronous and an asynchronous httpx2 client on the same paginated
pod listing (they tie, so eidos.kube stays synchronous).

    .venv/bin/python tools/bench_kube.py [--pods 5000] [--namespaces 50] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests"))

from kube_emulator import KubeEmulator, make_pod  # noqa: E402

# Peak RSS comes from VmHWM: getrusage's ru_maxrss survives exec and would report the
# parent's (emulator's) size.
HWM = """
def hwm():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
"""

COLLECT = (
    HWM
    + """
import asyncio, json, sys, time
start = time.perf_counter()
from eidos.collectors.kubernetes import KubernetesCollector
from eidos.kube import Kube, KubeSettings
kube = Kube(KubeSettings(kubeconfig=sys.argv[1], page_size=int(sys.argv[2])))
m = asyncio.run(KubernetesCollector(kube, environ={"NODE_NAME": "gpu-node-1"}).collect())
wall = time.perf_counter() - start
print(json.dumps({"wall": wall, "cpu": time.process_time(), "rss": hwm(),
                  "images": len(m.subtype("image").data)}))
"""
)

RAW = (
    HWM
    + """
import asyncio, json, sys, time
import httpx2
url, token, limit, mode = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
headers = {"Authorization": "Bearer " + token}

def pages_sync():
    with httpx2.Client(base_url=url, headers=headers) as c:
        token_, n = None, 0
        while True:
            params = {"limit": limit, **({"continue": token_} if token_ else {})}
            page = json.loads(c.get("/api/v1/pods", params=params).content)
            n += len(page["items"])
            token_ = page["metadata"].get("continue")
            if not token_:
                return n

async def pages_async():
    async with httpx2.AsyncClient(base_url=url, headers=headers) as c:
        token_, n = None, 0
        while True:
            params = {"limit": limit, **({"continue": token_} if token_ else {})}
            page = json.loads((await c.get("/api/v1/pods", params=params)).content)
            n += len(page["items"])
            token_ = page["metadata"].get("continue")
            if not token_:
                return n

start = time.perf_counter()
n = pages_sync() if mode == "sync" else asyncio.run(pages_async())
wall = time.perf_counter() - start
print(json.dumps({"wall": wall, "cpu": time.process_time(), "pods": n, "rss": hwm()}))
"""
)


def populate(emu: KubeEmulator, pods: int, namespaces: int) -> None:
    emu.put(
        "v1",
        "nodes",
        {"metadata": {"name": "gpu-node-1"}, "spec": {"providerID": "aws:///us-east-1a/i-1"}},
    )
    emu.install("nvidia.com/v1", "clusterpolicies")
    emu.put(
        "nvidia.com/v1",
        "clusterpolicies",
        {"metadata": {"name": "cluster-policy"}, "spec": {"driver": {"enabled": True}}},
    )
    for i in range(pods):
        images = [
            f"registry.example.com/team-{i % 97}/app-{i % 211}:v{i % 13}",
            "nvcr.io/nvidia/k8s-device-plugin:v0.17.1",
        ]
        emu.put(
            "v1",
            "pods",
            make_pod(
                f"ns-{i % namespaces:02d}",
                f"pod-{i:05d}",
                images,
                init=["busybox:1.36"],
                padding=40,
            ),
        )


def child(code: str, *args: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True, cwd=ROOT
    )
    return json.loads(done.stdout)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pods", type=int, default=5000)
    parser.add_argument("--namespaces", type=int, default=50)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    with KubeEmulator() as emu, tempfile.TemporaryDirectory() as tmp:
        populate(emu, args.pods, args.namespaces)
        kubeconfig = str(emu.write_kubeconfig(Path(tmp) / "kc"))
        size = len(
            json.dumps(make_pod("ns-00", "pod-00000", ["a:1", "b:2"], init=["c:3"], padding=40))
        )
        print(f"{args.pods} pods in {args.namespaces} namespaces, ~{size} bytes of JSON each")
        print(
            f"{'measurement':<34} {'wall median':>12} {'wall min':>9} {'CPU median':>11} "
            f"{'peak RSS':>9}"
        )
        for page in (100, 500, 1000):
            runs = [child(COLLECT, kubeconfig, str(page)) for _ in range(args.runs)]
            report(f"K8s collector, page size {page}", runs)
        for mode in ("sync", "async"):
            runs = [child(RAW, emu.url, emu.token, "500", mode) for _ in range(args.runs)]
            report(f"raw pod listing, {mode} httpx2", runs)


def report(name: str, runs: list[dict[str, float]]) -> None:
    walls = [r["wall"] for r in runs]
    rss = max(r["rss"] for r in runs)
    cpu = statistics.median(r["cpu"] for r in runs)
    print(
        f"{name:<34} {statistics.median(walls):>11.3f}s {min(walls):>8.3f}s {cpu:>10.3f}s "
        f"{rss:>7.1f}MB"
    )


if __name__ == "__main__":
    main()
