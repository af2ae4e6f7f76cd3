"""Deployment order: components sorted so that every dependency comes before its dependents.

Kahn's algorithm; among components that are ready at the same time the name decides, so
the order is the same for the same set of components whatever order the data lists them.
A cycle is reported as the chain that closes it (``a -> b -> c -> a``).
"""

from __future__ import annotations

import heapq

__all__ = ["CycleError", "deployment_order", "find_cycle"]


class CycleError(ValueError):
    """The dependencies form a cycle; ``chain`` lists it, first name repeated at the end."""

    def __init__(self, chain: list[str]) -> None:
        super().__init__("dependency cycle: " + " -> ".join(chain))
        self.chain = chain


def find_cycle(graph: dict[str, list[str]]) -> list[str] | None:
    """A cycle in ``graph`` (name -> dependencies) as a closed chain, or ``None``.

    Dependencies that are not keys of ``graph`` are ignored here (checked elsewhere).
    """
    state: dict[str, int] = {}  # 1 = on the current path, 2 = done
    for root in sorted(graph):
        if state.get(root):
            continue
        path: list[str] = [root]
        stack: list[list[str]] = [sorted(graph[root], reverse=True)]
        state[root] = 1
        while stack:
            pending = stack[-1]
            if not pending:
                state[path.pop()] = 2
                stack.pop()
                continue
            nxt = pending.pop()
            if nxt not in graph:
                continue
            if state.get(nxt) == 1:
                return [*path[path.index(nxt) :], nxt]
            if not state.get(nxt):
                state[nxt] = 1
                path.append(nxt)
                stack.append(sorted(graph[nxt], reverse=True))
    return None


def deployment_order(graph: dict[str, list[str]]) -> list[str]:
    """Every key of ``graph`` (name -> dependencies), dependencies first.

    Raises:
        CycleError: the dependencies among the keys form a cycle.
    """
    waiting = {name: {d for d in deps if d in graph and d != name} for name, deps in graph.items()}
    for name, deps in graph.items():
        if name in deps:
            raise CycleError([name, name])
    dependents: dict[str, list[str]] = {name: [] for name in graph}
    for name, needs in waiting.items():
        for dep in needs:
            dependents[dep].append(name)
    ready = [name for name, deps in waiting.items() if not deps]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        name = heapq.heappop(ready)
        order.append(name)
        for child in dependents[name]:
            waiting[child].discard(name)
            if not waiting[child]:
                heapq.heappush(ready, child)
    if len(order) < len(graph):
        rest = {n: sorted(waiting[n]) for n in graph if n not in order}
        chain = find_cycle(rest)
        raise CycleError(chain or sorted(rest))
    return order
