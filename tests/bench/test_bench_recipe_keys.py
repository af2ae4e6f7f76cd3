"""Recipe value checks on hostile 4 KB values (run by `make bench`; skipped in the normal suite).

Budget: any value of at most 4 KB is judged in under 10 ms, median over the rounds (the
checks are linear; the previous host-path pattern took minutes on 32 characters). The
median, because a single round on a shared machine can include being descheduled.
"""

from __future__ import annotations

import pytest

from eidos.bundlers.recipe_keys import KINDS

BUDGET_S = 0.010
#: per kind: a value that is valid up to its last character, as long as the kind allows,
#: and a 4 KB one (rejected by the length cap or the pattern)
HOSTILE = {
    "version": ["v" + "1." * 63 + "!", "v" + "1." * 2047 + "!"],
    "registry": ["a" + "/a" * 126 + "!", "a" + "/a" * 2047 + "!"],
    "path": ["/" + "a/" * 2046 + "!", "/" + "a" * 4094 + "!"],
    "name": ["a" + "-" * 61 + "!", "a" + "." * 4094 + "!"],
}


@pytest.mark.parametrize(
    ("kind", "value"),
    [(kind, value) for kind, values in HOSTILE.items() for value in values],
    ids=[f"{kind}-{len(value)}" for kind, values in HOSTILE.items() for value in values],
)
def test_bench_hostile_value(benchmark, kind, value):
    check, _ = KINDS[kind]
    assert len(value) <= 4096
    assert benchmark(check, value) is False
    assert benchmark.stats.stats.median < BUDGET_S
