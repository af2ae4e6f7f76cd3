#!/usr/bin/env python3
"""Build a fake host tree (proc/, etc/) from the OS measurement of a reference snapshot.

    tools/gen_host_fixture.py tests/fixtures/reference/snapshots/h100.yaml tests/fixtures/hosts/h100

Reading the tree back with the OS collector must reproduce the snapshot's grub, sysctl,
kmod and release values. The tree also carries entries the collector must ignore: a
``root=`` kernel parameter, ``proc/sys/net``, ``proc/sys/dev/cdrom`` and a symlink to
``/etc/passwd``. Generated files are committed; rerun after changing the reference.
"""

from __future__ import annotations

import argparse
import shutil
import sys
from pathlib import Path

import yaml

#: sysctl files whose lines "name value" the collector expands into <file>/<name> keys.
MULTI_LINE = ("/proc/sys/sunrpc/transports",)
#: sysctl files whose real content is a "#..." line, which the collector reads as "".
COMMENT_CONTENT = {
    "/proc/sys/kernel/version": "#27~22.04.1-Ubuntu SMP Tue Jul 16 23:03:39 UTC 2024"
}
#: Ignored by the collector; present so that tests prove it.
DECOYS = {
    "proc/sys/net/ipv4/ip_forward": "1\n",
    "proc/sys/net/core/somaxconn": "4096\n",
    "proc/sys/dev/cdrom/info": "CD-ROM information, Id: cdrom.c 3.20 2003/12/17\n\ndrive name:\n",
}
SYMLINKS = {"proc/sys/kernel/leak": "/etc/passwd"}
RELEASE_ORDER = (
    "PRETTY_NAME",
    "NAME",
    "VERSION_ID",
    "VERSION",
    "VERSION_CODENAME",
    "ID",
    "ID_LIKE",
    "HOME_URL",
    "SUPPORT_URL",
    "BUG_REPORT_URL",
    "PRIVACY_POLICY_URL",
    "UBUNTU_CODENAME",
    "LOGO",
)


def measurement(snapshot: dict, mtype: str) -> dict[str, dict]:
    for m in snapshot["measurements"]:
        if m["type"] == mtype:
            return {s["subtype"]: s["data"] for s in m["subtypes"]}
    raise SystemExit(f"no {mtype} measurement in the snapshot")


def write(root: Path, rel: str, text: str) -> None:
    path = root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def cmdline(grub: dict) -> str:
    tokens = []
    for key, value in grub.items():
        tokens.append(key if value == "" else f"{key}={value}")
        if key == "BOOT_IMAGE":
            tokens.append("root=PARTUUID=0b8a0bb6-5c7a-4d3e-a9e6-4cf2f3b4f1b6")
    return " ".join(tokens) + "\n"


def sysctl_files(sysctl: dict) -> dict[str, str]:
    files: dict[str, str] = {}
    for key, value in sysctl.items():
        parent = key.rsplit("/", 1)[0]
        if parent in MULTI_LINE:
            files[parent] = files.get(parent, "") + f"{key.rsplit('/', 1)[1]} {value}\n"
        elif key in COMMENT_CONTENT:
            files[key] = COMMENT_CONTENT[key] + "\n"
        else:
            files[key] = f"{value}\n" if value != "" else ""
    return files


def os_release(release: dict) -> str:
    keys = [k for k in RELEASE_ORDER if k in release] + sorted(set(release) - set(RELEASE_ORDER))
    lines = []
    for key in keys:
        value = release[key]
        bare = value.replace("-", "").replace("_", "").replace(".", "").isalnum()
        lines.append(f"{key}={value}" if bare else f'{key}="{value}"')
    return "\n".join(lines) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("snapshot", type=Path)
    parser.add_argument("out", type=Path)
    args = parser.parse_args()
    snapshot = yaml.safe_load(args.snapshot.read_text(encoding="utf-8"))
    os_data = measurement(snapshot, "OS")
    if args.out.exists():
        shutil.rmtree(args.out)
    write(args.out, "proc/cmdline", cmdline(os_data["grub"]))
    modules = "".join(f"{name} 16384 0 - Live 0x0000000000000000\n" for name in os_data["kmod"])
    write(args.out, "proc/modules", modules)
    for key, text in sysctl_files(os_data["sysctl"]).items():
        write(args.out, key.lstrip("/"), text)
    for rel, text in DECOYS.items():
        write(args.out, rel, text)
    for rel, target in SYMLINKS.items():
        (args.out / rel).symlink_to(target)
    # Ubuntu's layout: /etc/os-release is a relative symlink into /usr/lib.
    write(args.out, "usr/lib/os-release", os_release(os_data["release"]))
    (args.out / "etc").mkdir(parents=True, exist_ok=True)
    (args.out / "etc/os-release").symlink_to("../usr/lib/os-release")
    count = sum(1 for p in args.out.rglob("*") if p.is_file() or p.is_symlink())
    print(f"wrote {count} files under {args.out}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
