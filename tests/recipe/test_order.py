"""Deployment order: every dependency first, deterministic, and cycles named as chains."""

from __future__ import annotations

import itertools
import random

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eidos.recipe.compose import CycleError, deployment_order, find_cycle


def test_dependencies_come_first_and_ties_go_by_name():
    graph = {"gpu-operator": ["cert-manager"], "cert-manager": [], "b": [], "a": ["gpu-operator"]}
    assert deployment_order(graph) == ["b", "cert-manager", "gpu-operator", "a"]


def test_a_cycle_is_reported_as_the_chain_that_closes_it():
    graph = {"a": ["b"], "b": ["c"], "c": ["a"], "d": []}
    with pytest.raises(CycleError, match="dependency cycle: a -> b -> c -> a") as info:
        deployment_order(graph)
    assert info.value.chain == ["a", "b", "c", "a"]
    assert find_cycle({"x": ["x"]}) == ["x", "x"]
    with pytest.raises(CycleError, match="x -> x"):
        deployment_order({"x": ["x"]})


def test_dependencies_outside_the_graph_do_not_order_anything():
    assert deployment_order({"a": ["missing"], "b": []}) == ["a", "b"]


names = [f"c{i}" for i in range(8)]


@st.composite
def dags(draw):
    order = draw(st.permutations(names))
    graph = {}
    for i, name in enumerate(order):
        graph[name] = draw(st.lists(st.sampled_from(order[:i]), unique=True)) if i else []
    return graph


@given(graph=dags(), seed=st.integers(0, 1000))
def test_order_respects_every_edge_and_ignores_listing_order(graph, seed):
    order = deployment_order(graph)
    assert sorted(order) == sorted(graph)
    for name, deps in graph.items():
        for dep in deps:
            assert order.index(dep) < order.index(name)
    shuffled = list(graph.items())
    random.Random(seed).shuffle(shuffled)
    assert deployment_order(dict(shuffled)) == order
    assert find_cycle(graph) is None


@given(graph=dags(), data=st.data())
def test_an_added_back_edge_is_found_as_a_real_cycle(graph, data):
    edges = [(n, d) for n, deps in graph.items() for d in deps]
    if not edges:
        return
    name, dep = data.draw(st.sampled_from(edges))
    graph[dep] = [*graph[dep], name]  # dep now also needs name: a cycle
    chain = find_cycle(graph)
    assert chain is not None and chain[0] == chain[-1]
    for a, b in itertools.pairwise(chain):
        assert b in graph[a]
    with pytest.raises(CycleError):
        deployment_order(graph)
