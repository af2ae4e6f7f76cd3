"""clean_text: one printable line, at a cost bounded by the limit, not by the value."""

from __future__ import annotations

import re
import time

from hypothesis import given
from hypothesis import strategies as st

from eidos.bundlers.recipe_keys import clean_text

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def reference(text: str, limit: int) -> str:
    """The plain definition: replace controls, collapse whitespace, cut at the limit."""
    line = " ".join(_CONTROL.sub(" ", text).split())
    return line if len(line) <= limit else line[: limit - 1] + "…"


@given(
    st.text(
        st.characters(codec="utf-8") | st.sampled_from(" \t\n\r\x00\x85\u2028\xa0"), max_size=300
    ),
    st.integers(min_value=2, max_value=60),
)
def test_clean_text_matches_its_definition(text, limit):
    assert clean_text(text, limit) == reference(text, limit)


def test_a_huge_value_costs_no_more_than_a_short_one():
    # 20,000 uses of one 100 KB value, as an alias-expanded recipe would give (~2 GB of text)
    value = "rule " * 20_000
    started = time.monotonic()
    cleaned = {clean_text(value) for _ in range(20_000)}
    assert cleaned == {reference(value, 200)}
    assert time.monotonic() - started < 10  # a hang budget; a full scan each time takes minutes
