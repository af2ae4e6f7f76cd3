"""The agent's uid must be one dbus-daemon accepts on real hosts (issue: uid 65532 was not).

dbus-daemon looks up the groups of every peer when its policy has group rules (Debian's
and Ubuntu's system.d files have them) and drops a peer whose uid is not in the host's
passwd. Tested against a real dbus-daemon with such a policy, connecting as each uid.
"""

from __future__ import annotations

import os
import pwd
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from dbus_fixtures import POLICY_WITH_GROUP_RULE
from eidos.agent.manifests import AGENT_UID

PROBE = """
import os, sys
from eidos.collectors._dbus import Connection
uid = int(sys.argv[2])
os.setgroups([])
os.setgid(uid)
os.setuid(uid)
try:
    Connection.open(sys.argv[1], bus=True, timeout=5).close()
    print("accepted")
except Exception as exc:
    print(f"refused: {exc}")
"""


@pytest.fixture
def bus_with_group_rules():
    daemon = shutil.which("dbus-daemon")
    if daemon is None:
        pytest.skip("dbus-daemon is not installed (Debian: apt-get install -y dbus)")
    if os.geteuid() != 0:
        pytest.skip("needs root: connects to dbus-daemon as other uids (setuid)")
    directory = Path(tempfile.mkdtemp(prefix="eidos-dbus-"))
    directory.chmod(0o755)
    config = directory / "bus.conf"
    config.write_text(POLICY_WITH_GROUP_RULE.format(socket=directory / "bus.sock"))
    with (directory / "log").open("w") as log:
        proc = subprocess.Popen(
            [daemon, f"--config-file={config}", "--nofork", "--nopidfile", "--print-address=1"],
            stdout=subprocess.PIPE,
            stderr=log,
            text=True,
        )
    try:
        assert proc.stdout is not None
        address = proc.stdout.readline().strip()
        (directory / "bus.sock").chmod(0o666)
        yield address
    finally:
        proc.terminate()
        proc.wait(timeout=5)
        if proc.stdout is not None:
            proc.stdout.close()
        shutil.rmtree(directory, ignore_errors=True)


def _connect_as(address: str, uid: int) -> str:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, address, str(uid)],
        capture_output=True,
        text=True,
        timeout=30,
        cwd="/",
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_the_agent_uid_is_accepted_where_a_uid_missing_from_passwd_is_dropped(
    bus_with_group_rules,
):
    try:
        pwd.getpwuid(AGENT_UID)
    except KeyError:
        pytest.skip(f"this host's passwd has no uid {AGENT_UID}")
    unknown = 65532
    with pytest.raises(KeyError):
        pwd.getpwuid(unknown)
    assert _connect_as(bus_with_group_rules, AGENT_UID) == "accepted"
    assert _connect_as(bus_with_group_rules, unknown).startswith("refused")
