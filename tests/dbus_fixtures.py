"""Pytest fixtures: private D-Bus daemons (no systemd on them), for any test that needs one.

``system_bus`` is a bus on which nobody owns ``org.freedesktop.systemd1``;
``bus_without_systemd`` also tries to start systemd on demand and fails, as a host with a
system bus but no systemd does (containers, WSL, OpenRC). Tests that need dbus-daemon
skip, saying so, where it is not installed.
"""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

BUS_CONFIG = """<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>eidos-test</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  {extra}
  <policy context="default">
    <allow user="*"/>
    <allow own="*"/>
    <allow send_destination="*" eavesdrop="true"/>
    <allow receive_sender="*"/>
  </policy>
</busconfig>
"""

#: A bus policy like a Debian or Ubuntu host's: everyone may talk, and one rule is by
#: group (netdev, adm, ... in the packages' system.d files), which makes dbus-daemon look
#: up the groups of every peer's uid in the passwd database.
POLICY_WITH_GROUP_RULE = """<!DOCTYPE busconfig PUBLIC
 "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>eidos-test</type>
  <listen>unix:path={socket}</listen>
  <auth>EXTERNAL</auth>
  <policy context="default">
    <allow user="*"/>
    <allow send_destination="*"/>
    <allow receive_sender="*"/>
  </policy>
  <policy group="adm">
    <allow own="org.example.Admin"/>
  </policy>
</busconfig>
"""

#: A D-Bus service file that makes the bus try to start systemd on demand and fail, as on
#: a host with a system bus but no systemd (containers, WSL, OpenRC).
FAILING_SYSTEMD_SERVICE = """[D-BUS Service]
Name=org.freedesktop.systemd1
Exec=/bin/false
"""


def start_dbus_daemon(directory: Path, extra: str = "") -> tuple[subprocess.Popen[str], str]:
    """Start a private dbus-daemon configured in ``directory``; (process, address)."""
    daemon = shutil.which("dbus-daemon")
    if daemon is None:
        pytest.skip("dbus-daemon is not installed (Debian: apt-get install -y dbus)")
    config = directory / "bus.conf"
    config.write_text(
        BUS_CONFIG.format(socket=directory / "bus.sock", extra=extra), encoding="utf-8"
    )
    with (directory / "dbus-daemon.log").open("w") as log:
        proc = subprocess.Popen(
            [daemon, f"--config-file={config}", "--nofork", "--nopidfile", "--print-address=1"],
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
    assert proc.stdout is not None
    address = proc.stdout.readline().strip()
    assert address.startswith("unix:"), address
    return proc, address


def stop_dbus_daemon(proc: subprocess.Popen[str]) -> None:
    proc.terminate()
    proc.wait(timeout=5)
    if proc.stdout is not None:
        proc.stdout.close()


@pytest.fixture
def system_bus(tmp_path: Path) -> Iterator[str]:
    """A private dbus-daemon on which nobody owns org.freedesktop.systemd1; its address."""
    proc, address = start_dbus_daemon(tmp_path)
    try:
        yield address
    finally:
        stop_dbus_daemon(proc)


@pytest.fixture
def bus_without_systemd(tmp_path: Path) -> Iterator[str]:
    """A private bus that tries to activate systemd and fails (``Spawn.ChildExited``)."""
    services = tmp_path / "services"
    services.mkdir()
    (services / "org.freedesktop.systemd1.service").write_text(FAILING_SYSTEMD_SERVICE)
    proc, address = start_dbus_daemon(tmp_path, f"<servicedir>{services}</servicedir>")
    try:
        yield address
    finally:
        stop_dbus_daemon(proc)
