"""Query-string parsing: a table of good input, and any input at all is a Query or a 400."""

from __future__ import annotations

import contextlib
from urllib.parse import urlencode

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eidos.errors import InvalidRequestError
from eidos.server.params import PARAMETERS, parse_recipe_params


@pytest.mark.parametrize(
    ("query", "request_doc", "strict"),
    [
        (b"", {}, False),
        (b"os=&gpu=any&intent=ANY", {}, False),
        (b"gpu=GB200&k8s=1.33&strict=TRUE", {"k8s": "1.33", "gpu": "gb200"}, True),
        (b"env=gke&context=1", {"service": "gke", "withContext": True}, False),
        (b"osv=24.04&kernel=6.8.0-1028-aws", {"osv": "24.04", "kernel": "6.8.0-1028-aws"}, False),
        (
            b"service=self-managed&intent=inference",
            {"service": "self-managed", "intent": "inference"},
            False,
        ),
        (b"os=ubuntu%20&gpu=+h100+", {"os": "ubuntu", "gpu": "h100"}, False),
    ],
)
def test_valid_queries(query, request_doc, strict):
    params = parse_recipe_params(query)
    assert params.query.to_dict() == request_doc and params.strict is strict


def test_too_many_parameters_is_a_400():
    with pytest.raises(InvalidRequestError, match="too many query parameters"):
        parse_recipe_params(b"&".join(b"x%d=1" % i for i in range(40)))


@given(
    st.lists(st.tuples(st.sampled_from([*PARAMETERS, "x", ""]), st.text(max_size=20)), max_size=6)
)
def test_any_query_string_is_a_query_or_an_invalid_request(pairs):
    try:
        parse_recipe_params(urlencode(pairs).encode())
    except InvalidRequestError as exc:
        assert exc.http_status == 400 and exc.message


@given(st.binary(max_size=200))
def test_any_bytes_are_a_query_or_an_invalid_request(raw):
    with contextlib.suppress(InvalidRequestError):
        parse_recipe_params(raw)
