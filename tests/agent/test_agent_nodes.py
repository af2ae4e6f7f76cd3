"""Fleet helpers: Job names for any node name, and the token bucket that paces creation."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eidos.agent.nodes import TokenBucket, job_name

RUN = "eidos-agent-3f9a1c"
LABEL_VALUE = re.compile(r"[a-z0-9]([-a-z0-9]*[a-z0-9])?")
#: Node names are DNS-1123 subdomains: dot-separated labels, 253 characters at most.
NODE_LABEL = st.from_regex(r"[a-z0-9]([-a-z0-9]{0,20}[a-z0-9])?", fullmatch=True)
NODE = st.lists(NODE_LABEL, min_size=1, max_size=12).map(".".join).filter(lambda n: len(n) <= 253)


@given(NODE)
def test_a_job_name_is_a_valid_short_name_for_any_node(node):
    name = job_name(RUN, node)
    assert len(name) <= 63 and LABEL_VALUE.fullmatch(name)
    assert name.startswith(f"{RUN}-") and job_name(RUN, node) == name


@given(NODE, NODE)
def test_two_nodes_never_share_a_job(a, b):
    if a != b:
        assert job_name(RUN, a) != job_name(RUN, b)


def test_a_plain_short_node_name_is_kept_as_it_is_and_others_readable():
    assert job_name(RUN, "gpu-7") == f"{RUN}-gpu-7"
    assert job_name(RUN, "ip-10-0-1-7.ec2.internal").startswith(f"{RUN}-ip-10-0-1-7-ec2-internal-")
    assert job_name(RUN, "a.b") != job_name(RUN, "a-b")


def test_the_bucket_allows_a_burst_then_the_rate():
    now = [0.0]
    bucket = TokenBucket(2.0, 3, clock=lambda: now[0])
    for _ in range(3):
        assert bucket.wait() == 0
        bucket.take()
    assert bucket.wait() == 0.5
    now[0] += 0.5
    assert bucket.wait() == 0
    bucket.take()
    now[0] += 100  # idle time saves up no more than the burst
    for _ in range(3):
        bucket.take()
    assert bucket.wait() > 0


@given(st.lists(st.floats(min_value=0.0, max_value=2.0), min_size=1, max_size=40))
def test_whatever_the_waits_never_more_than_burst_plus_rate_times_time(gaps):
    now = [0.0]
    bucket = TokenBucket(4.0, 2, clock=lambda: now[0])
    taken: list[float] = []
    for gap in gaps:
        now[0] += gap
        while (wait := bucket.wait()) > 0:
            now[0] += wait
        bucket.take()
        taken.append(now[0])
    for i, start in enumerate(taken):
        for j in range(i, len(taken)):
            assert j - i + 1 <= 2 + 4.0 * (taken[j] - start) + 1e-6


def test_the_help_states_the_defaults_the_code_uses(capsys):
    from eidos.agent.nodes import DEFAULT_PARALLEL, DEFAULT_RATE, FleetSettings
    from eidos.cli import main

    with pytest.raises(SystemExit):
        main(["snapshot", "--help"])
    text = " ".join(capsys.readouterr().out.split())
    said = f"agent Jobs at once (default {DEFAULT_PARALLEL}; created at most {DEFAULT_RATE:g} a"
    assert said in text
    assert FleetSettings().burst == DEFAULT_RATE  # one second's worth at once
