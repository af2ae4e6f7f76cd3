"""``nvidia-smi -q -x`` XML -> GPU subtypes: the reference's ``smi`` plus one per GPU.

``smi`` keeps the reference's keys (driver, CUDA version, GPU count and the first GPU's
model and modes). ``gpu0``, ``gpu1``, ... describe every GPU in nvidia-smi's order.
Numbers with units become ints or floats (``81559 MiB`` -> ``81559``); a number that
nvidia-smi reports as ``N/A`` is left out rather than changing the key's type.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from xml.etree.ElementTree import Element, ParseError

import defusedxml.ElementTree as SafeET
from defusedxml import DefusedXmlException

from eidos.model import Reading, Subtype

__all__ = ["SmiParseError", "parse_smi"]

_NUMBER = re.compile(r"\s*(-?\d+(?:\.\d+)?)")
#: Per-GPU lists never read: every supported clock pair (about half of the document) and
#: the running processes. Cutting them before parsing halves the parse time.
_UNUSED = re.compile(rb"<(supported_clocks|processes)>.*?</\1>", re.DOTALL)

#: smi key -> element of the first GPU (the reference's single-GPU summary).
_SUMMARY = (
    ("gpu.model", "product_name"),
    ("gpu.product-architecture", "product_architecture"),
    ("gpu.display-mode", "display_mode"),
    ("gpu.display-active", "display_active"),
    ("gpu.persistence-mode", "persistence_mode"),
    ("gpu.addressing-mode", "addressing_mode"),
    ("gpu.vbios-version", "vbios_version"),
    ("gpu.gsp-firmware-version", "gsp_firmware_version"),
)


def _text(value: str) -> Reading | None:
    return value


def _int(value: str) -> Reading | None:
    match = _NUMBER.match(value)
    return int(float(match.group(1))) if match else None


def _float(value: str) -> Reading | None:
    match = _NUMBER.match(value)
    return float(match.group(1)) if match else None


#: per-GPU key -> (candidate element paths, converter); the first present path wins.
_PER_GPU: tuple[tuple[str, tuple[str, ...], Callable[[str], Reading | None]], ...] = (
    ("model", ("product_name",), _text),
    ("brand", ("product_brand",), _text),
    ("architecture", ("product_architecture",), _text),
    ("uuid", ("uuid",), _text),
    ("serial", ("serial",), _text),
    ("minor-number", ("minor_number",), _int),
    ("module-id", ("platformInfo/module_id",), _int),
    ("board-part-number", ("board_part_number",), _text),
    ("vbios-version", ("vbios_version",), _text),
    ("gsp-firmware-version", ("gsp_firmware_version",), _text),
    ("inforom-version", ("inforom_version/img_version",), _text),
    ("pci.bus-id", ("pci/pci_bus_id",), _text),
    ("pci.device-id", ("pci/pci_device_id",), _text),
    ("pci.sub-system-id", ("pci/pci_sub_system_id",), _text),
    ("pcie.max-link-gen", ("pci/pci_gpu_link_info/pcie_gen/max_link_gen",), _int),
    ("pcie.current-link-gen", ("pci/pci_gpu_link_info/pcie_gen/current_link_gen",), _int),
    ("pcie.max-link-width", ("pci/pci_gpu_link_info/link_widths/max_link_width",), _int),
    ("pcie.current-link-width", ("pci/pci_gpu_link_info/link_widths/current_link_width",), _int),
    ("memory.total-mib", ("fb_memory_usage/total",), _int),
    ("bar1.total-mib", ("bar1_memory_usage/total",), _int),
    ("mig.current", ("mig_mode/current_mig",), _text),
    ("mig.pending", ("mig_mode/pending_mig",), _text),
    ("ecc.current", ("ecc_mode/current_ecc",), _text),
    ("ecc.pending", ("ecc_mode/pending_ecc",), _text),
    ("persistence-mode", ("persistence_mode",), _text),
    ("addressing-mode", ("addressing_mode",), _text),
    ("display-mode", ("display_mode",), _text),
    ("display-active", ("display_active",), _text),
    ("compute-mode", ("compute_mode",), _text),
    ("virtualization-mode", ("gpu_virtualization_mode/virtualization_mode",), _text),
    ("c2c-mode", ("c2c_mode",), _text),
    (
        "power.limit-w",
        ("gpu_power_readings/current_power_limit", "power_readings/power_limit"),
        _float,
    ),
    (
        "power.default-limit-w",
        ("gpu_power_readings/default_power_limit", "power_readings/default_power_limit"),
        _float,
    ),
    (
        "power.max-limit-w",
        ("gpu_power_readings/max_power_limit", "power_readings/max_power_limit"),
        _float,
    ),
    ("clocks.max-graphics-mhz", ("max_clocks/graphics_clock",), _int),
    ("clocks.max-sm-mhz", ("max_clocks/sm_clock",), _int),
    ("clocks.max-memory-mhz", ("max_clocks/mem_clock",), _int),
    ("fabric.state", ("fabric/state",), _text),
    ("fabric.status", ("fabric/status",), _text),
    ("fabric.clique-id", ("fabric/cliqueId",), _text),
    ("fabric.cluster-uuid", ("fabric/clusterUuid",), _text),
)


class SmiParseError(ValueError):
    """The output is not nvidia-smi's XML (the message says why)."""


def parse_smi(xml: bytes) -> list[Subtype]:
    """Parse ``nvidia-smi -q -x`` output into ``smi`` and ``gpu<N>`` subtypes.

    Raises:
        SmiParseError: not well-formed XML, forbidden XML constructs (entities), or a
            root element other than ``nvidia_smi_log``.
    """
    try:
        root: Any = SafeET.fromstring(_UNUSED.sub(b"", xml))
    except (ParseError, DefusedXmlException) as exc:
        raise SmiParseError(f"not valid XML ({exc})") from exc
    if root.tag != "nvidia_smi_log":
        raise SmiParseError(f"unexpected root element <{root.tag}> (expected <nvidia_smi_log>)")
    gpus: list[Element] = root.findall("gpu")
    smi: dict[str, Reading] = {
        "driver": _find(root, "driver_version") or "",
        "cuda-version": _find(root, "cuda_version") or "",
        "gpu-count": len(gpus),
    }
    if gpus:
        smi.update({key: _find(gpus[0], path) or "" for key, path in _SUMMARY})
    return [Subtype("smi", smi)] + [
        Subtype(f"gpu{i}", _describe(gpu)) for i, gpu in enumerate(gpus)
    ]


def _find(element: Element, path: str) -> str | None:
    found = element.find(path)
    if found is None:
        return None
    return (found.text or "").strip()


def _describe(gpu: Element) -> dict[str, Reading]:
    data: dict[str, Reading] = {}
    for key, paths, convert in _PER_GPU:
        for path in paths:
            text = _find(gpu, path)
            if text is None:
                continue
            value = convert(text)
            if value is not None:
                data[key] = value
            break
    if "pci.bus-id" not in data and gpu.get("id"):
        data["pci.bus-id"] = gpu.get("id", "")
    mig = gpu.find("mig_devices")
    if mig is not None:
        data["mig.devices"] = len(mig.findall("mig_device"))
    return data
