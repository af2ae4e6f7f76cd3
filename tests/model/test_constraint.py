"""Constraints: the grammar parses what the docs promise, refuses the rest, and evaluates
readings the way issue 13's validator will rely on (property tests for version ranges)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eidos.model import Constraint, ConstraintError, Version
from eidos.model.constraint import split_path


def c(check: str, severity: str = "error") -> Constraint:
    return Constraint(check, severity, "because the recipe says so")


@pytest.mark.parametrize(
    ("check", "kind", "normalised"),
    [
        ("K8s.server.version >= 1.32", "version", "K8s.server.version >= 1.32"),
        ("K8s.server.version>=1.30,<1.35", "version", "K8s.server.version >= 1.30, < 1.35"),
        ("OS.release.ID in [ubuntu,rhel]", "string", "OS.release.ID in [ubuntu, rhel]"),
        ("OS.release.VERSION_ID == 24.04", "version", "OS.release.VERSION_ID == 24.04"),
        ("GPU.smi.gpu.model contains H100", "string", "GPU.smi.gpu.model contains H100"),
        (
            'GPU.smi.gpu.model == "NVIDIA H100 80GB HBM3"',
            "string",
            'GPU.smi.gpu.model == "NVIDIA H100 80GB HBM3"',
        ),
        ("GPU.smi.gpu-count >= 8", "integer", "GPU.smi.gpu-count >= 8"),
        ("OS.kmod.nouveau == false", "boolean", "OS.kmod.nouveau == false"),
        ("OS.sysctl./proc/sys/vm/max_map_count >= 262144", "integer", None),
        ("OS.sysctl./proc/sys/kernel/osrelease >= 6.8", "version", None),
        ("OS.sysctl./proc/sys/net/core/default_qdisc == fq", "string", None),
        ("SystemD.containerd.service.LimitMEMLOCK == 18446744073709551615", "integer", None),
        ("SystemD.containerd.service.Delegate == true", "boolean", None),
        ("K8s.node.container-runtime-version >= 1.7", "version", None),
        ("K8s.image.gpu-operator >= v25.10", "version", None),
    ],
)
def test_valid_checks_parse_typed_and_normalise(check, kind, normalised):
    constraint = c(check)
    assert constraint.kind == kind
    assert constraint.check == (normalised or check)
    assert c(constraint.check) == constraint  # the normalised text parses back


@pytest.mark.parametrize(
    ("check", "message"),
    [
        ("Foo.bar.baz == 1", "unknown measurement type 'Foo'"),
        ("K8s.server", "invalid path 'K8s.server'"),
        ("SystemD.containerd.LimitMEMLOCK == 1", "expected SystemD.<unit>.<property>"),
        ("K8s.server.version", "missing a test"),
        ("K8s.server.version >= banana", "is not a number"),
        ("OS.release.ID >= ubuntu", ">= needs a version or an integer, not a string"),
        ("OS.kmod.nvidia > true", "needs a version or an integer, not a boolean"),
        ("OS.kmod.nvidia == yes", "'yes' is not true or false"),
        ("GPU.smi.gpu-count == eight", "'eight' is not an integer"),
        ("K8s.server.version contains 1.3", "'contains' needs a string, not a version"),
        ("K8s.server.version >= 1.30,", "trailing ','"),
        ("K8s.server.version >= 1.30 < 1.35", "expected ',' between comparisons"),
        ("K8s.server.version ~= 1.30", "expected OPERATOR VALUE"),
        ("OS.release.ID in ubuntu", "'in' takes a list"),
        ("OS.release.ID in [ubuntu rhel]", "comma-separated list"),
        ('GPU.smi.gpu.model == "H100', "unterminated quote"),
    ],
)
def test_invalid_checks_are_refused_with_the_reason(check, message):
    with pytest.raises(ConstraintError, match=message.replace("(", r"\(").replace("[", r"\[")):
        c(check)


def test_severity_and_reason_are_checked():
    with pytest.raises(ConstraintError, match="invalid severity 'fatal'"):
        Constraint("K8s.server.version >= 1.30", "fatal", "why")
    with pytest.raises(ConstraintError, match="one non-empty line"):
        Constraint("K8s.server.version >= 1.30", "error", " ")
    with pytest.raises(ConstraintError, match="one non-empty line"):
        Constraint("K8s.server.version >= 1.30", "error", "two\nlines")


def test_wire_form_round_trips_and_refuses_unknown_fields():
    constraint = Constraint("OS.release.ID == ubuntu", "warning", "Ubuntu images", "overlay os")
    assert constraint.to_dict() == {
        "check": "OS.release.ID == ubuntu",
        "reason": "Ubuntu images",
        "severity": "warning",
    }
    assert constraint.to_dict(with_context=True)["source"] == "overlay os"
    assert Constraint.from_dict(constraint.to_dict()) == constraint
    assert Constraint.from_dict({"check": "OS.kmod.efa == true", "reason": "r"}).severity == "error"
    with pytest.raises(ConstraintError, match="unknown field"):
        Constraint.from_dict({"check": "OS.kmod.efa == true", "reason": "r", "value": 1})
    with pytest.raises(ConstraintError, match="expected a mapping"):
        Constraint.from_dict("OS.kmod.efa == true")


@pytest.mark.parametrize(
    ("check", "reading", "holds"),
    [
        ("K8s.server.version >= 1.32", "v1.33.5-eks-3025e55", True),
        ("K8s.server.version >= 1.32", "v1.30.14-eks-3025e55", False),
        ("K8s.server.version >= 1.32.4", "v1.32.3", False),
        ("K8s.server.version < 1.35", "v1.35.2", False),  # 1.35.x is not before 1.35
        ("K8s.server.version <= 1.34", "1.34.9", True),  # ... and 1.34.x is up to 1.34
        ("K8s.server.version == 1.33", "v1.33.5-gke.1", True),
        ("K8s.server.version >= 1.30, < 1.35", "1.34.1", True),
        ("K8s.server.version >= 1.30, < 1.35", "1.29.9", False),
        ("OS.sysctl./proc/sys/kernel/osrelease >= 6.8", "6.8.0-1024-aws", True),
        ("OS.sysctl./proc/sys/kernel/osrelease >= 6.1.24", "5.15.0-100-generic", False),
        ("OS.release.VERSION_ID in [22.04, 24.04]", "24.04", True),
        ("OS.release.VERSION_ID in [8, 9]", "9.4", True),
        ("OS.release.ID in [rhel, rocky]", "ubuntu", False),
        ("GPU.smi.gpu.model contains H100", "NVIDIA H100 80GB HBM3", True),
        ("GPU.smi.gpu-count >= 8", 8, True),
        ("GPU.smi.gpu-count >= 8", "4", False),
        ("OS.kmod.nouveau == false", False, True),
        ("OS.kmod.nouveau == false", True, False),
        ("OS.kmod.nouveau == false", "false", True),
        ("SystemD.containerd.service.LimitMEMLOCK == 18446744073709551615", 2**64 - 1, True),
        ("OS.sysctl./proc/sys/vm/max_map_count >= 262144", "65530", False),
        ("K8s.server.version >= 1.32", None, False),  # missing reading
        ("K8s.server.version >= 1.32", "garbage", False),  # unreadable reading
        ("GPU.smi.gpu-count >= 1", True, False),  # a bool is not a count
    ],
)
def test_holds_evaluates_a_snapshot_reading(check, reading, holds):
    assert c(check).holds(reading) is holds


def test_systemd_unit_names_keep_their_suffix():
    assert split_path("SystemD.containerd.service.LimitMEMLOCK") == (
        "SystemD",
        "containerd.service",
        "LimitMEMLOCK",
    )
    sysctl = "/proc/sys/fs/file-max"
    assert split_path(f"OS.sysctl.{sysctl}") == ("OS", "sysctl", sysctl)
    assert split_path("GPU.smi.gpu.model") == ("GPU", "smi", "gpu.model")


# --- properties: version ranges -------------------------------------------------------

versions = st.builds(
    lambda nums, precision: ".".join(str(n) for n in nums[:precision]),
    st.lists(st.integers(0, 40), min_size=3, max_size=3),
    st.integers(1, 3),
)


def _at(a: str, precision: int) -> tuple[int, ...]:
    return Version.parse(a)._key()[:precision]


@given(literal=versions, reading=versions)
def test_exactly_one_of_lt_eq_gt_holds(literal, reading):
    results = [c(f"K8s.server.version {op} {literal}").holds(reading) for op in ("<", "==", ">")]
    assert results.count(True) == 1


@given(literal=versions, reading=versions)
def test_ge_and_lt_are_complements_and_so_are_le_and_gt(literal, reading):
    ge = c(f"K8s.server.version >= {literal}").holds(reading)
    lt = c(f"K8s.server.version < {literal}").holds(reading)
    le = c(f"K8s.server.version <= {literal}").holds(reading)
    gt = c(f"K8s.server.version > {literal}").holds(reading)
    assert ge != lt and le != gt
    assert (ge and le) == c(f"K8s.server.version == {literal}").holds(reading)


@given(low=versions, high=versions, reading=versions)
def test_a_range_is_the_conjunction_of_its_bounds(low, high, reading):
    both = c(f"K8s.server.version >= {low}, < {high}").holds(reading)
    precision_low = Version.parse(low).precision
    precision_high = Version.parse(high).precision
    expected = _at(reading, precision_low) >= _at(low, precision_low) and _at(
        reading, precision_high
    ) < _at(high, precision_high)
    assert both == expected


@given(options=st.lists(versions, min_size=1, max_size=4), reading=versions)
def test_in_holds_when_any_option_equals(options, reading):
    check = f"OS.release.VERSION_ID in [{', '.join(options)}]"
    expected = any(c(f"OS.release.VERSION_ID == {o}").holds(reading) for o in options)
    assert c(check).holds(reading) == expected


@given(
    op=st.sampled_from([">=", "<=", ">", "<", "==", "!="]),
    literal=st.integers(-(2**70), 2**70),
    reading=st.integers(-(2**70), 2**70),
)
def test_integer_comparisons_agree_with_python(op, literal, reading):
    expected = {
        ">=": reading >= literal,
        "<=": reading <= literal,
        ">": reading > literal,
        "<": reading < literal,
        "==": reading == literal,
        "!=": reading != literal,
    }[op]
    assert c(f"GPU.smi.gpu-count {op} {literal}").holds(reading) == expected
    assert c(f"GPU.smi.gpu-count {op} {literal}").holds(str(reading)) == expected


@given(reading=st.one_of(st.none(), st.booleans(), st.integers(), st.floats(), st.text()))
def test_holds_never_raises_on_any_reading(reading):
    for check in (
        "K8s.server.version >= 1.32",
        "GPU.smi.gpu-count >= 1",
        "OS.kmod.nouveau == false",
        "OS.release.ID in [ubuntu, rhel]",
        "GPU.smi.gpu.model contains H100",
    ):
        assert c(check).holds(reading) in (True, False)


@given(text=st.text(max_size=40))
def test_parsing_arbitrary_text_either_works_or_says_why(text):
    try:
        constraint = c(f"K8s.server.version {text}")
    except ConstraintError as exc:
        assert str(exc)
    else:
        assert c(constraint.check) == constraint
