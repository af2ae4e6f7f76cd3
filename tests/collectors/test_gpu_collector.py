"""GPU collector against real subprocesses: fake nvidia-smi scripts on PATH."""

from __future__ import annotations

import os
import threading
import time
from pathlib import Path
from threading import Event

import pytest

from eidos.collectors import CollectorCancelled, SubprocessRunner
from eidos.collectors._smi import SmiParseError, parse_smi
from eidos.collectors.gpu import GpuCollector
from eidos.errors import CollectorError

SMI_XML = Path(__file__).parents[1] / "fixtures/reference/snapshots/nvidia-smi-q-x.xml"
#: The reference's `smi` values for the copied XML (snapshot spec §2.4 test vector).
SMI_VECTOR = {
    "driver": "570.86.15",
    "cuda-version": "12.8",
    "gpu-count": 8,
    "gpu.model": "NVIDIA H100 80GB HBM3",
    "gpu.product-architecture": "Hopper",
    "gpu.display-mode": "Enabled",
    "gpu.display-active": "Disabled",
    "gpu.persistence-mode": "Disabled",
    "gpu.addressing-mode": "None",
    "gpu.vbios-version": "96.00.A5.00.01",
    "gpu.gsp-firmware-version": "570.86.15",
}


def test_reference_xml_gives_the_smi_vector_and_all_eight_gpus(fake_smi):
    measurement = GpuCollector().collect(stop=Event())
    assert measurement.type == "GPU"
    smi = measurement.subtype("smi")
    assert smi.data == SMI_VECTOR
    assert type(smi.data["gpu-count"]) is int
    assert [s.name for s in measurement.subtypes] == ["smi"] + [f"gpu{i}" for i in range(8)]
    uuids = {s.data["uuid"] for s in measurement.subtypes[1:]}
    assert len(uuids) == 8


def test_each_gpu_is_described_with_typed_values(fake_smi):
    gpu0 = (GpuCollector().collect(stop=Event())).subtype("gpu0").data
    assert gpu0["model"] == "NVIDIA H100 80GB HBM3"
    assert gpu0["uuid"] == "GPU-ab6ab95d-8259-5551-5962-e4a7a710fbae"
    assert gpu0["serial"] == "1652923034028"
    assert gpu0["pci.bus-id"] == "00000000:04:00.0"
    assert gpu0["memory.total-mib"] == 81559 and type(gpu0["memory.total-mib"]) is int
    assert gpu0["mig.current"] == "Disabled" and gpu0["mig.pending"] == "Disabled"
    assert gpu0["mig.devices"] == 0
    assert gpu0["ecc.current"] == "Enabled"
    assert gpu0["persistence-mode"] == "Disabled"
    assert gpu0["addressing-mode"] == "None"
    assert gpu0["vbios-version"] == "96.00.A5.00.01"
    assert gpu0["architecture"] == "Hopper"
    assert gpu0["power.limit-w"] == 700.0 and type(gpu0["power.limit-w"]) is float
    assert gpu0["pcie.max-link-width"] == 16
    assert gpu0["clocks.max-graphics-mhz"] == 1980


def test_numbers_reported_as_na_are_left_out_rather_than_retyped():
    xml = b"""<nvidia_smi_log><driver_version>1</driver_version><cuda_version>2</cuda_version>
    <gpu id="0000:01:00.0"><product_name>X</product_name>
    <fb_memory_usage><total>N/A</total></fb_memory_usage><gsp_firmware_version>N/A</gsp_firmware_version>
    <mig_devices><mig_device/><mig_device/></mig_devices></gpu></nvidia_smi_log>"""
    smi, gpu0 = parse_smi(xml)
    assert "memory.total-mib" not in gpu0.data
    assert gpu0.data["gsp-firmware-version"] == "N/A"
    assert gpu0.data["pci.bus-id"] == "0000:01:00.0"
    assert gpu0.data["mig.devices"] == 2
    assert smi.data["gpu.display-mode"] == ""


@pytest.mark.parametrize(
    "xml",
    [
        b"garbage",
        b"<html><body/></html>",
        b'<!DOCTYPE x [<!ENTITY a "b">]><nvidia_smi_log>&a;</nvidia_smi_log>',
    ],
    ids=["not-xml", "wrong-root", "entities"],
)
def test_parser_rejects_what_is_not_nvidia_smi_xml(xml):
    with pytest.raises(SmiParseError):
        parse_smi(xml)


def test_zero_gpus_keeps_the_driver_and_warns(fake_bin, logs):
    fake_bin(
        "nvidia-smi",
        "echo '<nvidia_smi_log><driver_version>580.1</driver_version>"
        "<cuda_version>13.0</cuda_version></nvidia_smi_log>'",
    )
    measurement = GpuCollector().collect(stop=Event())
    assert [s.data for s in measurement.subtypes] == [
        {"driver": "580.1", "cuda-version": "13.0", "gpu-count": 0}
    ]
    assert "nvidia-smi reports no GPUs" in logs.getvalue()


def test_no_nvidia_smi_is_an_empty_measurement_and_a_warning(tmp_path, monkeypatch, logs):
    monkeypatch.setenv("PATH", str(tmp_path))
    measurement = GpuCollector().collect(stop=Event())
    assert measurement.type == "GPU" and measurement.subtypes == []
    assert "nvidia-smi not found" in logs.getvalue()


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (6, "No devices were found"),
        (9, "NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver."),
    ],
    ids=["no-devices", "no-driver"],
)
def test_no_gpu_or_no_driver_is_an_empty_measurement(fake_bin, logs, status, message):
    fake_bin("nvidia-smi", f'echo "{message}"\nexit {status}')
    measurement = GpuCollector().collect(stop=Event())
    assert measurement.subtypes == []
    assert message in logs.getvalue()


def test_a_failing_nvidia_smi_is_a_collector_error_with_its_stderr(fake_bin):
    fake_bin(
        "nvidia-smi", "echo 'Unable to determine the device handle: Unknown Error' >&2\nexit 15"
    )
    with pytest.raises(CollectorError) as info:
        GpuCollector().collect(stop=Event())
    assert info.value.message == (
        "nvidia-smi -q -x exited with status 15: "
        "Unable to determine the device handle: Unknown Error"
    )


def test_garbage_output_is_a_collector_error(fake_bin):
    fake_bin("nvidia-smi", "echo 'this is not <xml'")
    with pytest.raises(
        CollectorError,
        match=r"not nvidia-smi XML: not valid XML .*"
        r"output starts with: 'this is not <xml'",
    ):
        GpuCollector().collect(stop=Event())


def test_a_hanging_nvidia_smi_and_its_children_are_killed_at_the_timeout(fake_bin, tmp_path):
    pids = tmp_path / "pids"
    fake_bin("nvidia-smi", f"sleep 300 &\necho $$ $! > {pids}\nwait")
    started = time.monotonic()
    with pytest.raises(CollectorError, match=r"did not finish within 0\.5s and was killed"):
        GpuCollector(timeout=0.5).collect(stop=Event())
    assert time.monotonic() - started < 5
    for pid in map(int, pids.read_text().split()):
        assert not _alive(pid), f"process {pid} survived the timeout"


def test_stop_kills_the_program_and_its_children(fake_bin, tmp_path):
    pids = tmp_path / "pids"
    fake_bin("hang", f"sleep 300 &\necho $$ $! > {pids}\nwait")
    stop = Event()
    errors: list[BaseException] = []

    def run() -> None:
        try:
            SubprocessRunner().run(["hang"], timeout=60, stop=stop)
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    while not pids.exists() or len(pids.read_text().split()) < 2:
        time.sleep(0.01)
    stop.set()
    thread.join(5)
    assert not thread.is_alive()
    assert [type(e) for e in errors] == [TimeoutError]
    for pid in map(int, pids.read_text().split()):
        assert not _alive(pid), f"process {pid} survived the stop"


def test_a_stopped_collector_is_cancelled_not_failed(fake_bin):
    fake_bin("nvidia-smi", "exec sleep 300")
    stop = Event()
    threading.Timer(0.2, stop.set).start()
    with pytest.raises(CollectorCancelled):
        GpuCollector(timeout=60).collect(stop=stop)


def test_runner_refuses_endless_output(fake_bin):
    fake_bin("chatty", "exec yes")
    with pytest.raises(OSError, match="wrote more than 1000 bytes"):
        SubprocessRunner(max_output=1000).run(["chatty"], timeout=10)


def test_a_non_executable_nvidia_smi_is_a_collector_error(tmp_path):
    script = tmp_path / "nvidia-smi"
    script.write_text(f"cat {SMI_XML}\n")
    with pytest.raises(CollectorError, match=r"cannot run .*Permission denied"):
        GpuCollector(executable=str(script)).collect(stop=Event())


def _alive(pid: int) -> bool:
    """True while ``pid`` is still the test's own ``sh``/``sleep`` and not a zombie.

    pid_max can be 32768: on a busy machine a reaped pid is soon someone else's, so the
    command line must still be ours for the process to count.
    """
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except (FileNotFoundError, ProcessLookupError):
        return False
    script = cmdline[1] if len(cmdline) > 1 else b""
    ours = cmdline[:2] == [b"sleep", b"300"] or script.endswith((b"/nvidia-smi", b"/hang"))
    return state != "Z" and ours and _exists(pid)


def _exists(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True
