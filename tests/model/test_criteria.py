"""Criteria documents (eidos recipe --criteria): both forms, aliases, and clear refusals."""

from __future__ import annotations

import pytest

from eidos.model import Query, QueryError
from eidos.model.criteria import read_criteria


def test_a_recipe_criteria_document_and_a_bare_mapping_say_the_same():
    document = {
        "kind": "RecipeCriteria",
        "apiVersion": "recipe.dgxc.io/v1",
        "metadata": {"name": "h100-eks-training"},
        "spec": {"service": "eks", "accelerator": "h100", "intent": "training", "nodes": 8},
    }
    bare = {"service": "eks", "gpu": "h100", "intent": "training", "nodes": 8}
    assert read_criteria(document) == read_criteria(bare) == bare
    assert Query.build(**read_criteria(document)).to_dict()["nodes"] == 8


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ([], "a criteria document is a mapping, not a list"),
        ({"kind": "Recipe", "spec": {}}, "expected kind: RecipeCriteria"),
        ({"kind": "RecipeCriteria", "spec": [], "x": 1}, "unknown field"),
        ({"kind": "RecipeCriteria", "spec": ["eks"]}, "spec: expected a mapping"),
        ({"cluster": "prod"}, "unknown criterion 'cluster'"),
        ({"gpu": "h100", "accelerator": "a100"}, "gpu is given twice"),
    ],
)
def test_bad_criteria_documents_say_why(raw, message):
    with pytest.raises(QueryError, match=message):
        read_criteria(raw)
