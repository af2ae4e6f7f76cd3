"""Durations as users type them: one parser for every flag and setting."""

from __future__ import annotations

import math
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eidos.durations import format_duration, parse_duration


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("90", 90.0),
        ("90s", 90.0),
        ("1.5", 1.5),
        (".5s", 0.5),
        ("500ms", 0.5),
        ("5m", 300.0),
        ("1h", 3600.0),
        ("1m30s", 90.0),
        ("1h2m3s4ms", 3723.004),
        (" 2M ", 120.0),
    ],
)
def test_accepted_forms(text, seconds):
    assert parse_duration(text) == pytest.approx(seconds)


@pytest.mark.parametrize(
    "text", ["", "s", "-1", "-5s", "5d", "inf", "nan", "1e3", "30s5m", "5m5m", "1 m", "5sm"]
)
def test_rejected_forms_name_the_text_and_the_accepted_form(text):
    with pytest.raises(ValueError, match=r"invalid duration .*: expected a duration such as 90"):
        parse_duration(text)


@given(st.integers(min_value=1, max_value=10 * 86400))
def test_format_and_parse_round_trip_whole_seconds(seconds):
    assert parse_duration(format_duration(seconds)) == seconds


@pytest.mark.parametrize(
    ("seconds", "text"), [(90, "1m30s"), (300, "5m"), (3600, "1h"), (0.5, "500ms"), (2.5, "2.5s")]
)
def test_format_is_short(seconds, text):
    assert format_duration(seconds) == text


_PART = re.compile(r"(\d+(?:\.\d*)?|\.\d+)(ms|s|m|h)")
_NUMBER = re.compile(r"\d+(?:\.\d*)?|\.\d+")
_UNITS = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0}


def _regex_duration(text: str) -> float | None:
    """The grammar as the regular expressions it was first written with (the oracle)."""
    raw = text.strip().lower()
    if _NUMBER.fullmatch(raw):
        return float(raw)
    total, pos, last = 0.0, 0, math.inf
    while pos < len(raw):
        match = _PART.match(raw, pos)
        if match is None or _UNITS[match.group(2)] >= last:
            return None
        last = _UNITS[match.group(2)]
        total += float(match.group(1)) * last
        pos = match.end()
    return total if raw and math.isfinite(total) else None


@given(st.text(alphabet="0123456789.msMSh dx-+e٣", max_size=12))
def test_the_hand_written_parser_accepts_exactly_the_regular_grammar(text):
    expected = _regex_duration(text)
    if expected is None:
        with pytest.raises(ValueError, match="invalid duration"):
            parse_duration(text)
    else:
        assert parse_duration(text) == expected
