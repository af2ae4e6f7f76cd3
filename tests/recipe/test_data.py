"""The embedded recipe data: complete context, reachable overlays, sane values everywhere.

These tests guard the shipped data (src/eidos/recipe/data/recipes-v1.yaml), not the engine:
every key is explained, every overlay can be hit by a query, every criteria combination
yields a recipe that names the GPU Operator, driver and Kubernetes versions, and values
have the types the bundlers expect.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from eidos.model import Measurement, Query, Subtype, Version
from eidos.model.query import GPUS, INTENTS, OS_FAMILIES, SERVICES
from eidos.recipe import EMBEDDED_DATA, RecipeBuilder, RecipeStore
from eidos.recipe.store import Overlay

STORE = RecipeStore.load()
OVERLAYS = STORE.overlays

#: Keys bundlers read (docs/recipe-data.md); K8s/config and network-config allow no others.
CONFIG_BOOLS = {
    "mig",
    "cdi",
    "rdma",
    "gds",
    "gdrcopy",
    "secure_boot",
    "vgpu",
    "use_open_kernel_module",
    "confidential_computing",
    "driver_enabled",
    "toolkit_enabled",
    "dcgm_exporter_enabled",
    "gfd_enabled",
    "nfd_enabled",
}
CONFIG_STRINGS = {"mig_strategy", "mig_profile", "driver_install_dir", "toolkit_install_dir"}
NETWORK_BOOLS = {
    "deploy_ofed",
    "enable_sriov",
    "use_host_mofed",
    "enable_multus",
    "enable_whereabouts",
    "enable_nv_ipam",
    "enable_nic_feature_discovery",
}
IMAGES = {
    "gpu-operator",
    "gpu-operator-validator",
    "driver",
    "container-toolkit",
    "k8s-device-plugin",
    "dcgm",
    "dcgm-exporter",
    "gdrdrv",
    "nvidia-fs",
    "k8s-driver-manager",
    "k8s-mig-manager",
    "node-feature-discovery",
    "k8s-dra-driver-gpu",
    "mpi-operator",
    "training-operator",
    "network-operator",
    "mofed-driver",
    "rdma-shared-device-plugin",
    "sriov-device-plugin",
    "multus-cni",
    "whereabouts-ipam",
    "container-networking-plugins",
    "nv-ipam",
    "nic-feature-discovery",
    "aws-efa-k8s-device-plugin",
}
SMI_VERSIONS = {"driver-version", "cuda-version", "gsp-firmware-version"}


def _query_string(key: Query) -> str:
    return "&".join(f"{k}={v}" for k, v in key.to_dict().items())


def _every_subtype() -> Iterator[tuple[str, str, Subtype]]:
    """(where, type, subtype) for the base and every overlay."""
    for m in STORE.base:
        for sub in m.subtypes:
            yield f"base {m.type}/{sub.name}", m.type, sub
    for o in OVERLAYS:
        for m in o.measurements:
            for sub in m.subtypes:
                yield f"?{_query_string(o.key)} {m.type}/{sub.name}", m.type, sub


SUBTYPES = list(_every_subtype())


@pytest.fixture(scope="module")
def builder() -> RecipeBuilder:
    return RecipeBuilder(STORE, cache_size=0)


def _value(measurements: list[Measurement], mtype: str, subtype: str, key: str) -> object:
    for m in measurements:
        if m.type == mtype:
            sub = m.subtype(subtype)
            if sub is not None:
                return sub.data.get(key)
    return None


# --- (1) the file loads and everything is explained -------------------------------------


def test_embedded_yaml_and_compiled_literal_hold_the_same_data():
    from_yaml = RecipeStore.load(EMBEDDED_DATA)
    assert list(from_yaml.base) == list(STORE.base)
    assert [(o.rule, o.measurements) for o in from_yaml.overlays] == [
        (o.rule, o.measurements) for o in OVERLAYS
    ]


def test_data_is_rich_enough():
    assert len(OVERLAYS) >= 40
    keys = [o.key for o in OVERLAYS]
    assert {k.os for k in keys} >= set(OS_FAMILIES)
    assert {k.service for k in keys} >= set(SERVICES)
    assert {k.gpu for k in keys} >= set(GPUS)
    assert {k.intent for k in keys} >= set(INTENTS)
    assert sum(1 for k in keys if k.osv or k.kernel or k.k8s) >= 3


@pytest.mark.parametrize(("where", "mtype", "sub"), SUBTYPES, ids=[w for w, _, _ in SUBTYPES])
def test_every_data_key_has_a_context_and_every_context_a_key(where, mtype, sub):
    assert sub.data, f"{where}: empty subtype"
    missing = sorted(set(sub.data) - set(sub.context))
    assert not missing, f"{where}: no context for {missing}"
    orphans = sorted(set(sub.context) - set(sub.data))
    assert not orphans, f"{where}: context without data for {orphans}"
    blank = sorted(k for k, v in sub.context.items() if len(v.strip()) < 10)
    assert not blank, f"{where}: context too short to explain anything for {blank}"


# --- (2) every overlay is reachable ------------------------------------------------------


@pytest.mark.parametrize("overlay", OVERLAYS, ids=[_query_string(o.key) for o in OVERLAYS])
def test_the_query_made_of_an_overlay_key_matches_it_and_its_values_win(builder, overlay):
    recipe = builder.build(overlay.key)
    assert overlay.rule in recipe.matched_rules
    assert recipe.matched_rules[-1] == overlay.rule  # nothing more specific can match
    for m in overlay.measurements:
        for sub in m.subtypes:
            for key, value in sub.data.items():
                got = _value(recipe.measurements, m.type, sub.name, key)
                assert got == value and type(got) is type(value), f"{m.type}/{sub.name}/{key}"


def test_each_overlay_key_carries_its_api_query_as_a_comment():
    text = (Path(EMBEDDED_DATA) / "recipes-v1.yaml").read_text(encoding="utf-8")
    comments = re.findall(r"^  - key:\n\s+#\s+\?(\S+)$", text, flags=re.MULTILINE)
    assert len(comments) == len(OVERLAYS)
    by_index = sorted(OVERLAYS, key=lambda o: o.index)
    for comment, overlay in zip(comments, by_index, strict=True):
        written = dict(pair.split("=", 1) for pair in comment.split("&"))
        assert Query.from_dict(written) == overlay.key, comment


# --- (3) every criteria combination yields a complete recipe ----------------------------


def _queries_for(service: str | None) -> list[Query]:
    out = []
    for os_, gpu, intent in itertools.product(
        (None, *OS_FAMILIES), (None, *GPUS), (None, *INTENTS)
    ):
        if service is None and os_ is None and gpu is None and intent is None:
            continue  # the empty query is the engine's business, not the data's
        out.append(Query.build(os=os_, service=service, gpu=gpu, intent=intent, with_context=True))
    return out


@pytest.mark.parametrize("service", [None, *SERVICES], ids=["any", *SERVICES])
def test_every_combination_names_operator_driver_and_kubernetes_versions(builder, service):
    for query in _queries_for(service):
        recipe = builder.build(query)
        where = _query_string(query)
        for mtype, subtype, key in (
            ("K8s", "image", "gpu-operator"),
            ("K8s", "image", "driver"),
            ("K8s", "server", "version"),
            ("GPU", "smi", "driver-version"),
        ):
            value = _value(recipe.measurements, mtype, subtype, key)
            assert isinstance(value, str), f"?{where}: {mtype}/{subtype}/{key} = {value!r}"
            Version.parse(value)  # raises on anything that is not a version
        for m in recipe.measurements:
            for sub in m.subtypes:
                assert set(sub.data) <= set(sub.context), f"?{where}: {m.type}/{sub.name}"
        config = recipe.subtype("K8s", "config")
        assert config is not None
        if config.data["mig_strategy"] == "mixed":
            assert config.data["mig"] is True, where
        if config.data["driver_enabled"] is False:
            assert config.data["driver_install_dir"] != "/run/nvidia/driver", where


@pytest.mark.parametrize("minor", ["1.32", "1.33"])
def test_a_kubernetes_minor_in_the_query_is_kept_in_the_recipe(builder, minor):
    for service, os_, gpu, intent in itertools.product(
        (None, *SERVICES), (None, *OS_FAMILIES), (None, *GPUS), (None, *INTENTS)
    ):
        query = Query.build(service=service, os=os_, gpu=gpu, intent=intent, k8s=minor)
        server = builder.build(query).subtype("K8s", "server")
        assert server is not None
        version = Version.parse(str(server.data["version"]))
        assert Version.parse(minor).matches(version), f"?{_query_string(query)}: {version}"


# --- (4) value types -----------------------------------------------------------------------


@pytest.mark.parametrize(("where", "mtype", "sub"), SUBTYPES, ids=[w for w, _, _ in SUBTYPES])
def test_values_have_the_types_bundlers_expect(where, mtype, sub):
    name, data = f"{mtype}/{sub.name}", sub.data
    if name == "K8s/config":
        assert set(data) <= CONFIG_BOOLS | CONFIG_STRINGS, f"{where}: unknown config key"
        for key, value in data.items():
            expected = bool if key in CONFIG_BOOLS else str
            assert type(value) is expected, f"{where}: {key}={value!r}"
        assert data.get("mig_strategy", "single") in ("single", "mixed")
    elif name == "K8s/network-config":
        assert set(data) <= NETWORK_BOOLS, f"{where}: unknown network-config key"
        assert all(type(v) is bool for v in data.values()), where
    elif name == "K8s/image":
        assert set(data) <= IMAGES, f"{where}: unknown image key"
        assert all(isinstance(v, str) and v for v in data.values()), where
    elif name in ("K8s/server", "K8s/registry"):
        assert all(isinstance(v, str) and v for v in data.values()), where
        if "version" in data:
            Version.parse(str(data["version"]))
    elif name == "GPU/smi":
        for key in SMI_VERSIONS & set(data):
            assert isinstance(data[key], str), f"{where}: {key}={data[key]!r}"
            Version.parse(str(data[key]))
    elif name == "OS/kmod":
        assert all(type(v) is bool for v in data.values()), where
    elif name in ("OS/grub", "OS/sysctl"):
        assert all(isinstance(v, str) for v in data.values()), where


def test_versions_match_the_gpu_operator_chart_defaults():
    image = next(
        s for m in STORE.base if m.type == "K8s" for s in m.subtypes if s.name == "image"
    ).data
    chart = Path(__file__).parents[1] / "fixtures/charts/gpu-operator-v25.10.1/values.yaml"
    values = chart.read_text(encoding="utf-8")
    for key in (
        "driver",
        "container-toolkit",
        "k8s-device-plugin",
        "dcgm",
        "dcgm-exporter",
        "k8s-mig-manager",
        "k8s-driver-manager",
        "gdrdrv",
        "nvidia-fs",
    ):
        tag = str(image[key])
        assert re.search(rf'^\s+version: "?{re.escape(tag)}"?$', values, re.MULTILINE), key


# --- (5) no duplicate overlays -------------------------------------------------------------


def test_no_two_overlays_have_the_same_key():
    seen: dict[tuple[object, ...], Overlay] = {}
    for o in OVERLAYS:
        key = o.key.cache_key()
        assert key not in seen, f"?{_query_string(o.key)} duplicates overlay #{seen[key].index}"
        seen[key] = o
