from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eidos.model import Query, QueryError
from eidos.model.query import GPUS, INTENTS, OS_FAMILIES, SERVICES


def q(**kw):
    return Query.build(**kw)


@pytest.mark.parametrize(
    ("rule", "candidate", "expected"),
    [
        ({"service": "eks"}, {"service": "eks", "gpu": "h100"}, True),
        ({"service": "eks", "gpu": "h100"}, {"service": "eks"}, False),
        ({"os": "ubuntu"}, {"os": "rhel"}, False),
        ({}, {}, True),
        ({}, {"gpu": "h100"}, True),
        ({"k8s": "1.33"}, {"k8s": "v1.33.5-eks-3025e55"}, True),
        ({"k8s": "1.33"}, {"k8s": "1.34.0"}, False),
        ({"kernel": "6.8"}, {"kernel": "6.8.0-1028-aws"}, True),
        ({"k8s": "1.33"}, {}, False),
        ({"gpu": "any"}, {"gpu": "gb200"}, True),
    ],
    ids=[
        "wildcard-rule",
        "rule-needs-field",
        "different-os",
        "empty-both",
        "empty-rule",
        "k8s-precision",
        "k8s-minor-differs",
        "kernel-precision",
        "version-missing",
        "explicit-any",
    ],
)
def test_asymmetric_match(rule, candidate, expected):
    assert q(**rule).matches(q(**candidate)) is expected


def test_enums_are_case_insensitive_and_trimmed():
    assert q(os=" Ubuntu ", gpu="H100", service="EKS", intent="Training").to_dict() == {
        "os": "ubuntu",
        "service": "eks",
        "gpu": "h100",
        "intent": "training",
    }


@pytest.mark.parametrize(
    ("field", "valid"),
    [("os", OS_FAMILIES), ("service", SERVICES), ("gpu", GPUS), ("intent", INTENTS)],
)
def test_unknown_enum_lists_valid_values(field, valid):
    with pytest.raises(QueryError) as info:
        q(**{field: "windows"})
    for value in valid:
        assert value in str(info.value)


def test_rule_string_matches_reference_format():
    assert q(service="eks", os="ubuntu").rule_string() == (
        "OS: ubuntu any, Kernel: any, Service: eks, K8s: any, GPU: any, Intent: any, Context: false"
    )
    full = q(
        os="ubuntu",
        osv="22.04",
        kernel="5.15.0-1028-aws",
        service="eks",
        k8s="v1.28.3",
        gpu="h100",
        intent="training",
    )
    assert full.rule_string() == (
        "OS: ubuntu 22.4, Kernel: 5.15.0, Service: eks, K8s: 1.28.3, "
        "GPU: h100, Intent: training, Context: false"
    )


def test_env_is_an_alias_for_service_in_documents():
    assert Query.from_dict({"env": "gke"}).service == "gke"
    assert Query.from_dict({"env": "gke", "service": "eks"}).service == "eks"


def test_unknown_criteria_are_rejected():
    with pytest.raises(QueryError, match="unknown criteria: colour"):
        Query.build(colour="red")


queries = st.builds(
    lambda os, svc, gpu, intent: Query(os=os, service=svc, gpu=gpu, intent=intent),
    st.sampled_from((None, *OS_FAMILIES)),
    st.sampled_from((None, *SERVICES)),
    st.sampled_from((None, *GPUS)),
    st.sampled_from((None, *INTENTS)),
)


@given(queries, queries)
def test_match_means_every_named_field_is_equal(rule, candidate):
    expected = all(
        getattr(rule, f) is None or getattr(rule, f) == getattr(candidate, f)
        for f in ("os", "service", "gpu", "intent")
    )
    assert rule.matches(candidate) is expected


@given(queries)
def test_a_query_matches_itself_and_the_empty_rule_matches_all(query):
    assert query.matches(query)
    assert Query().matches(query)


# --- platform and nodes ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "candidate", "expected"),
    [
        ({"platform": "dynamo"}, {"platform": "Dynamo", "gpu": "h100"}, True),
        ({"platform": "dynamo"}, {"platform": "kubeflow"}, False),
        ({"platform": "dynamo"}, {}, False),
        ({"nodes": "1"}, {"nodes": 1}, True),
        ({"nodes": "1"}, {"nodes": 2}, False),
        ({"nodes": ">= 2"}, {"nodes": "16"}, True),
        ({"nodes": ">= 2, <= 8"}, {"nodes": 16}, False),
        ({"nodes": ">= 2"}, {}, False),
        ({"nodes": "any"}, {"nodes": 3}, True),
        ({"nodes": " ANY "}, {}, True),
    ],
)
def test_platform_and_node_count_match(rule, candidate, expected):
    key = Query.from_dict(rule, rule=True)
    assert key.matches(Query.from_dict(candidate)) is expected


@pytest.mark.parametrize("value", ["0", "-1", "1.5", "many", "100001", "２", True, ">= 2"])
def test_a_query_node_count_is_a_whole_number_in_range(value):
    with pytest.raises(QueryError, match="invalid node count"):
        q(nodes=value)


def test_only_overlay_keys_take_node_ranges():
    assert Query.from_dict({"nodes": ">= 2"}, rule=True).to_dict() == {"nodes": ">= 2"}
    with pytest.raises(QueryError, match="invalid node count '>= x'"):
        Query.from_dict({"nodes": ">= x"}, rule=True)
    with pytest.raises(QueryError, match="overlay keys also take a range"):
        Query.from_dict({"nodes": "some"}, rule=True)


def test_new_criteria_show_in_rule_strings_only_when_set():
    assert "Platform" not in q(service="eks").rule_string()  # the reference's format stays
    rule = Query.from_dict({"platform": "kubeflow", "nodes": ">= 2"}, rule=True).rule_string()
    assert rule.endswith("Intent: any, Platform: kubeflow, Nodes: >= 2, Context: false")
    assert q(service="kind", nodes=4).criteria_string() == "service=kind, nodes=4"
    assert q().criteria_string() == "any"


def test_accelerator_and_env_are_aliases():
    assert Query.from_dict({"accelerator": "H100", "env": "eks"}) == q(gpu="h100", service="eks")
    assert Query.from_dict({"accelerator": "h100", "gpu": "a100"}) == q(gpu="a100")
    with pytest.raises(QueryError, match="criteria names must be strings"):
        Query.from_dict({1: "x"})


def test_cache_keys_tell_node_counts_and_platforms_apart():
    assert q(nodes=4).cache_key() != q(nodes=8).cache_key()
    assert q(platform="nim").cache_key() != q().cache_key()
    assert q(nodes="08") == q(nodes=8)
