"""Recipe timestamps as file times: eidos' own form without datetime, the same answers."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eidos.bundlers.timestamps import epoch_seconds


def _by_datetime(text: str) -> float | None:
    """What the bundle path computed before (and still does for other forms)."""
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()
    except ValueError:
        return None


@given(st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)))
def test_the_form_eidos_writes_gives_the_same_time_as_datetime(moment):
    text = f"{moment:%m-%dT%H:%M:%SZ}"
    text = f"{moment.year:04d}-{text}"
    assert epoch_seconds(text) == _by_datetime(text)


_DIGIT_OR_NOT = st.sampled_from("0123456789:-TZ+ .٣")


@given(
    st.tuples(*(st.text(_DIGIT_OR_NOT, min_size=n, max_size=n) for n in (4, 2, 2, 2, 2, 2))),
    st.sampled_from(["-", "+", "T", ":", " "]),
    st.sampled_from(["Z", "+00:00", "", "z", "+01:30"]),
)
def test_any_near_miss_is_judged_as_datetime_judges_it(fields, sep, zone):
    year, month, day, hour, minute, second = fields
    for text in (
        f"{year}-{month}-{day}T{hour}:{minute}:{second}{zone}",
        f"{year}-{month}-{day}{sep}{hour}:{minute}:{second}{zone}",
    ):
        assert epoch_seconds(text) == _by_datetime(text), text


@pytest.mark.parametrize(
    "text",
    [
        "2024-02-29T00:00:00Z",  # a leap day
        "2023-02-29T00:00:00Z",  # not one
        "1900-02-29T00:00:00Z",  # centuries are not leap years...
        "2000-02-29T23:59:59Z",  # ...unless divisible by 400
        "2026-04-31T00:00:00Z",
        "2026-12-31T24:00:00Z",
        "0000-01-01T00:00:00Z",
        "2026-01-02T18:01:22+00:00",
        "2026-01-02T18:01:22.5Z",
        "2026-01-02",
        "not a time",
    ],
)
def test_edge_dates(text):
    assert epoch_seconds(text) == _by_datetime(text)


def test_a_timestamp_without_a_zone_is_local_time():
    code = (
        "from eidos.bundlers.timestamps import epoch_seconds; "
        "print(epoch_seconds('2026-01-02T18:01:22'))"
    )
    env = {**os.environ, "TZ": "IST-5:30"}  # a POSIX zone: no zone database needed
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True
    ).stdout
    local = datetime(2026, 1, 2, 18, 1, 22, tzinfo=timezone(timedelta(hours=5, minutes=30)))
    assert float(out) == local.timestamp()


def test_the_form_eidos_writes_loads_no_datetime():
    code = (
        "import sys; from eidos.bundlers.timestamps import epoch_seconds; "
        "epoch_seconds('2026-01-02T18:01:22Z'); print('datetime' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
