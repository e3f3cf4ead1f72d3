"""Disjoint sets (union-find), shared by entity linking and claim alignment.

Both group items by pairwise "same thing" decisions; the smaller representative
always wins a union, so groups and their representatives do not depend on the
order in which pairs were decided.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Generic, TypeVar

T = TypeVar("T", bound=Hashable)


class UnionFind(Generic[T]):
    """Union-find over any hashable, sortable items, with path halving."""

    def __init__(self) -> None:
        self.parent: dict[T, T] = {}

    def find(self, x: T) -> T:
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: T, b: T) -> None:
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)  # type: ignore[type-var,call-overload]
