"""The bundler table: explicit, ordered, no import side effects, strict name selection."""

from __future__ import annotations

import subprocess
import sys

import pytest

from eidos.bundlers import BUILTIN_BUNDLERS, BundleConfig, select
from eidos.errors import InvalidRequestError


def test_the_table_lists_both_bundlers_in_run_order() -> None:
    assert list(BUILTIN_BUNDLERS) == ["gpu-operator", "network-operator"]


def test_every_factory_builds_a_bundler_named_like_its_entry() -> None:
    for name, factory in BUILTIN_BUNDLERS.items():
        assert factory(BundleConfig()).name == name


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (None, ["gpu-operator", "network-operator"]),
        ([], ["gpu-operator", "network-operator"]),
        (["network-operator"], ["network-operator"]),
        (["network-operator", "gpu-operator"], ["gpu-operator", "network-operator"]),
        ([" gpu-operator ", "gpu-operator"], ["gpu-operator"]),
    ],
)
def test_select_keeps_table_order_trims_and_collapses(
    names: list[str] | None, expected: list[str]
) -> None:
    assert [name for name, _ in select(names)] == expected


@pytest.mark.parametrize("name", ["GPU-operator", "foo", "gpu operator"])
def test_unknown_names_list_the_valid_ones(name: str) -> None:
    with pytest.raises(InvalidRequestError) as info:
        select(["gpu-operator", name])
    assert str(info.value) == (
        f"unknown bundler {name!r}; valid bundlers: gpu-operator, network-operator"
    )
    assert info.value.exit_code == 2


def test_reading_the_table_imports_no_bundler_and_no_jinja() -> None:
    code = (
        "import sys, eidos.bundlers.registry as r; list(r.BUILTIN_BUNDLERS); "
        "print(sorted(m for m in sys.modules if m.startswith(('jinja2', "
        "'eidos.bundlers.gpu_operator', 'eidos.bundlers.network_operator'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def test_cli_help_names_match_the_table() -> None:
    from eidos.cli.bundle import EPILOG
    from eidos.names import BUNDLERS

    assert list(BUNDLERS) == list(BUILTIN_BUNDLERS)
    assert f"bundlers: {', '.join(BUILTIN_BUNDLERS)} (default: all)" in EPILOG
