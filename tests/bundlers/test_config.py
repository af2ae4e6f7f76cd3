"""BundleConfig: frozen, keyword-only, validated at construction."""

from __future__ import annotations

import pytest

from eidos import __version__
from eidos.bundlers import BundleConfig
from eidos.errors import InvalidRequestError


def test_defaults() -> None:
    config = BundleConfig()
    assert (config.namespace, config.fail_fast, config.force) == (None, False, False)
    assert config.version == __version__
    assert dict(config.chart_versions) == {} and dict(config.labels) == {}


def test_is_frozen_keyword_only_and_its_maps_are_read_only() -> None:
    config = BundleConfig(labels={"team": "ml"})
    with pytest.raises(AttributeError, match="read-only"):
        config.namespace = "x"  # type: ignore[misc]
    with pytest.raises(TypeError):
        config.labels["team"] = "other"  # type: ignore[index]
    with pytest.raises(TypeError):
        BundleConfig("ns")  # type: ignore[misc]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"namespace": "Bad_NS"}, "invalid namespace 'Bad_NS'"),
        ({"namespace": "x" * 64}, "invalid namespace"),
        ({"namespace": "ns; rm -rf /"}, "invalid namespace"),
        ({"chart_versions": {"gpu-operator": "v1 --set x=y"}}, "invalid chart version"),
        ({"chart_versions": {"gpu-operator": "$(id)"}}, "invalid chart version"),
        ({"chart_repositories": {"gpu-operator": "ftp://x"}}, "invalid chart repository"),
        ({"chart_repositories": {"gpu-operator": "https://x/'y'"}}, "invalid chart repository"),
        ({"labels": {"bad key!": "v"}}, "invalid label key"),
        ({"labels": {"team": "has space"}}, "invalid label value"),
        ({"annotations": {"a": "x\x00"}}, "invalid annotation value"),
    ],
)
def test_malformed_values_are_invalid_requests(kwargs: dict[str, object], message: str) -> None:
    with pytest.raises(InvalidRequestError, match=message):
        BundleConfig(**kwargs)  # type: ignore[arg-type]


def test_valid_overrides_are_kept() -> None:
    config = BundleConfig(
        namespace="gpu-system",
        chart_versions={"gpu-operator": "v25.3.3"},
        chart_repositories={"gpu-operator": "https://charts.example.com/nv"},
        labels={"example.com/team": "ml"},
        annotations={"note": "a\nb"},
    )
    assert config.chart_versions["gpu-operator"] == "v25.3.3"
    assert config.named_components() == {"gpu-operator"}
