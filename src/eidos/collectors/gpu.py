"""GPU collector: the ``GPU`` measurement from ``nvidia-smi -q -x``.

nvidia-smi runs without a shell, with a timeout that kills it. No nvidia-smi, no GPU
or no loaded driver means an empty measurement and a warning; any other failure
(a non-zero exit, output that is not nvidia-smi's XML) is a :class:`CollectorError`.
The XML parser (defusedxml, ~6 ms to import) is loaded only when there is XML to parse.
"""

from __future__ import annotations

from eidos.collectors.host import CollectorCancelled, SubprocessRunner
from eidos.errors import CollectorError
from eidos.logging import get_logger
from eidos.model import Measurement

TYPE_CHECKING = False
if TYPE_CHECKING:
    from threading import Event

    from eidos.collectors.base import CommandRunner
    from eidos.collectors.host import CommandResult

__all__ = ["GpuCollector"]

log = get_logger(__name__)

#: nvidia-smi exit statuses that mean "nothing to describe" rather than a fault.
_ABSENT_STATUSES = {
    6: "no NVIDIA GPU found",
    9: "the NVIDIA driver is not loaded",
}
_TAIL = 400


class GpuCollector:
    """Describes the driver, CUDA version and every GPU that nvidia-smi reports."""

    name = "gpu"

    def __init__(
        self,
        *,
        runner: CommandRunner | None = None,
        executable: str = "nvidia-smi",
        timeout: float = 30.0,
    ) -> None:
        self.runner = runner or SubprocessRunner()
        self.executable = executable
        self.timeout = timeout

    def collect(self, *, stop: Event) -> Measurement:
        """Run nvidia-smi and return the ``GPU`` measurement."""
        argv = [self.executable, "-q", "-x"]
        try:
            result = self.runner.run(argv, timeout=self.timeout, stop=stop)
        except FileNotFoundError:
            log.warning(
                "nvidia-smi not found; the GPU measurement is empty", executable=self.executable
            )
            return Measurement("GPU", [])
        except TimeoutError as exc:
            if stop.is_set():
                raise CollectorCancelled from exc
            raise CollectorError(
                f"{self.executable} did not finish within {self.timeout:g}s and was killed"
            ) from exc
        except OSError as exc:
            raise CollectorError(f"cannot run {self.executable}: {exc.strerror or exc}") from exc
        if result.returncode != 0:
            return self._failed(result)
        from eidos.collectors._smi import SmiParseError, parse_smi

        try:
            subtypes = parse_smi(result.stdout)
        except SmiParseError as exc:
            raise CollectorError(
                f"{self.executable} -q -x printed output that is not nvidia-smi XML: {exc}; "
                f"output starts with: {_tail(result.stdout, head=True)!r}"
            ) from exc
        if not subtypes[0].data["gpu-count"]:
            log.warning("nvidia-smi reports no GPUs")
        return Measurement("GPU", subtypes)

    def _failed(self, result: CommandResult) -> Measurement:
        message = _tail(result.stderr) or _tail(result.stdout) or "no output"
        absent = _ABSENT_STATUSES.get(result.returncode)
        if absent:
            log.warning(f"{absent}; the GPU measurement is empty", nvidia_smi=message)
            return Measurement("GPU", [])
        raise CollectorError(
            f"{self.executable} -q -x exited with status {result.returncode}: {message}"
        )


def _tail(data: bytes, *, head: bool = False) -> str:
    text = data.decode("utf-8", "replace").strip()
    if len(text) <= _TAIL:
        return text
    return text[:_TAIL] + "..." if head else "..." + text[-_TAIL:]
