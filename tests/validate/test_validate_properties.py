"""Property tests: what the validator reports for a snapshot reading agrees with an
independent oracle (integer tuples compared at the constraint's precision), whatever the
vendor suffix, and the outcome never depends on which node was checked first."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from eidos.model import Constraint
from eidos.validate import NodeInput, Validator

parts = st.integers(min_value=0, max_value=40)
suffixes = st.sampled_from(["", "-eks-3025e55", "+k3s1", "-gke.1200", "-1028-aws"])


@st.composite
def literals(draw: st.DrawFn) -> tuple[int, ...]:
    n = draw(st.integers(min_value=1, max_value=3))
    return tuple(draw(parts) for _ in range(n))


@st.composite
def readings(draw: st.DrawFn) -> tuple[tuple[int, int, int], str]:
    version = (draw(parts), draw(parts), draw(parts))
    prefix = draw(st.sampled_from(["", "v"]))
    return version, f"{prefix}{'.'.join(map(str, version))}{draw(suffixes)}"


def _doc(value: str) -> dict:
    return {
        "kind": "Snapshot",
        "measurements": [
            {"type": "K8s", "subtypes": [{"subtype": "server", "data": {"version": value}}]}
        ],
    }


def _text(literal: tuple[int, ...]) -> str:
    return ".".join(map(str, literal))


def _oracle(op: str, mine: tuple[int, ...], theirs: tuple[int, int, int]) -> bool:
    cut = theirs[: len(mine)]
    return {
        ">=": cut >= mine,
        "<=": cut <= mine,
        ">": cut > mine,
        "<": cut < mine,
        "==": cut == mine,
        "!=": cut != mine,
    }[op]


ops = st.sampled_from([">=", "<=", ">", "<", "==", "!="])


@settings(max_examples=300)
@given(low=literals(), op_low=ops, high=literals(), op_high=ops, value=readings())
def test_a_version_range_on_a_snapshot_reading_agrees_with_the_oracle(
    low, op_low, high, op_high, value
):
    version, text = value
    check = f"K8s.server.version {op_low} {_text(low)}, {op_high} {_text(high)}"
    validator = Validator([Constraint(check, "error", "r")])
    status = validator.check(NodeInput("n", "n.yaml", _doc(text))).checks[0].status
    expected = _oracle(op_low, low, version) and _oracle(op_high, high, version)
    assert status == ("pass" if expected else "fail"), (check, text)


@settings(max_examples=100)
@given(
    literal=literals(),
    values=st.lists(readings(), min_size=1, max_size=8),
    severity=st.sampled_from(["error", "warning"]),
)
def test_outcomes_do_not_depend_on_the_order_nodes_are_checked_in(literal, values, severity):
    check = f"K8s.server.version >= {_text(literal)}"
    nodes = [NodeInput(f"n{i}", "x", _doc(text)) for i, (_, text) in enumerate(values)]
    forward = [
        r.checks[0].status for r in Validator([Constraint(check, severity, "r")]).check_all(nodes)
    ]
    backward = [
        r.checks[0].status
        for r in Validator([Constraint(check, severity, "r")]).check_all(reversed(nodes))
    ]
    assert forward == backward[::-1]
    failing = "fail" if severity == "error" else "warn"
    assert set(forward) <= {"pass", failing}


@given(value=st.one_of(st.booleans(), st.integers(), st.floats(allow_nan=False), st.text()))
def test_any_scalar_reading_gets_an_outcome_and_never_raises(value):
    validator = Validator(
        [
            Constraint("OS.sysctl./proc/sys/vm/swappiness >= 10", "error", "r"),
            Constraint("OS.sysctl./proc/sys/vm/swappiness in [a, b]", "warning", "r"),
        ]
    )
    doc = {
        "kind": "Snapshot",
        "measurements": [
            {
                "type": "OS",
                "subtypes": [{"subtype": "sysctl", "data": {"/proc/sys/vm/swappiness": value}}],
            }
        ],
    }
    checks = validator.check(NodeInput("n", "n", doc)).checks
    assert [c.status in ("pass", "fail", "warn") for c in checks] == [True, True]
    assert all(c.actual == value for c in checks)
