from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eidos.model import Version, VersionError

PARSED = [
    ("1", (1, 0, 0), 1, ""),
    ("v1.2", (1, 2, 0), 2, ""),
    ("22.04", (22, 4, 0), 2, ""),
    ("6.8.0-1028-aws", (6, 8, 0), 3, "-1028-aws"),
    ("v1.33.5-eks-3025e55", (1, 33, 5), 3, "-eks-3025e55"),
    ("v1.28.0-gke.1337000", (1, 28, 0), 3, "-gke.1337000"),
    ("1.2.3+meta", (1, 2, 3), 3, "+meta"),
    ("1-2.3", (1, 0, 0), 1, "-2.3"),
    ("V1.30", (1, 30, 0), 2, ""),
]


@pytest.mark.parametrize(
    ("text", "nums", "precision", "extras"), PARSED, ids=[p[0] for p in PARSED]
)
def test_parse_keeps_numbers_precision_extras_and_text(text, nums, precision, extras):
    v = Version.parse(text)
    assert (v.major, v.minor, v.patch) == nums
    assert v.precision == precision
    assert v.extras == extras
    assert str(v) == text


NEGATIVE = ["-1", "1.-2", "-1.2.3", "1.2.-3", "v-1"]
GARBAGE = [
    "",
    "v",
    ".",
    "1.",
    ".1",
    "1..2",
    "vv1",
    "a.b.c",
    "1.2.a",
    "1_0",
    "1.2a-3",
    "1.2.3.4",
    "99999999999999999999",
    "1. 2",
]


@pytest.mark.parametrize("text", NEGATIVE)
def test_negative_components_are_rejected_and_flagged(text):
    with pytest.raises(VersionError, match="negative") as info:
        Version.parse(text)
    assert info.value.negative


@pytest.mark.parametrize("text", GARBAGE)
def test_garbage_is_rejected_with_the_input_in_the_message(text):
    with pytest.raises(VersionError) as info:
        Version.parse(text)
    assert not info.value.negative
    assert "version" in str(info.value)


@pytest.mark.parametrize(
    ("rule", "candidate", "expected"),
    [
        ("1.33", "1.33.0", True),
        ("1.33", "1.33.5", True),
        ("1.33", "v1.33.5-eks-3025e55", True),
        ("6.8", "6.8.0-1028-aws", True),
        ("1", "1.99.3", True),
        ("1.33", "1.34.0", False),
        ("1.33.5", "1.33", False),
        ("1.33.5", "1.33.5-gke.1", True),
        ("24.04", "24.4", True),
    ],
)
def test_matching_is_at_the_rules_precision_and_ignores_extras(rule, candidate, expected):
    assert Version.parse(rule).matches(Version.parse(candidate)) is expected


def test_mapping_form_from_reference_recipes():
    v = Version.from_mapping(
        {"major": 1, "minor": 30, "patch": 14, "precision": 3, "extras": "-eks-3025e55"}
    )
    assert v.short() == "1.30.14" and v.extras == "-eks-3025e55"
    assert Version.from_mapping({"major": 24, "minor": 4, "precision": 2}).short() == "24.4"


nums = st.integers(min_value=0, max_value=10**6)
versions = st.builds(
    lambda a, b, c, p, v, ex: ("v" if v else "") + ".".join(map(str, [a, b, c][:p])) + ex,
    nums,
    nums,
    nums,
    st.integers(1, 3),
    st.booleans(),
    st.sampled_from(["", "-1028-aws", "-eks-3025e55", "+build.7", "-gke.1337000"]),
)


@given(versions)
def test_parse_format_round_trip(text):
    v = Version.parse(text)
    again = Version.parse(str(v))
    assert (again.major, again.minor, again.patch, again.precision, again.extras) == (
        v.major,
        v.minor,
        v.patch,
        v.precision,
        v.extras,
    )
    short = Version.parse(v.short())
    assert short == v and short.precision == v.precision


@given(versions, versions, versions)
def test_ordering_laws(a, b, c):
    x, y, z = Version.parse(a), Version.parse(b), Version.parse(c)
    assert (x < y) + (x == y) + (x > y) == 1
    if x <= y and y <= z:
        assert x <= z
    assert (x <= y) == (not x > y)
    assert (x == y) == (hash(x) == hash(y)) or x != y


@given(versions, versions)
def test_a_version_matches_itself_and_anything_equal_at_its_precision(a, b):
    x, y = Version.parse(a), Version.parse(b)
    assert x.matches(x)
    expected = (x.major, x.minor, x.patch)[: x.precision] == (y.major, y.minor, y.patch)[
        : x.precision
    ]
    assert x.matches(y) is expected


@given(st.text(max_size=12))
def test_parser_never_raises_anything_but_version_error(text):
    try:
        v = Version.parse(text)
    except VersionError:
        return
    assert 1 <= v.precision <= 3 and min(v.major, v.minor, v.patch) >= 0
