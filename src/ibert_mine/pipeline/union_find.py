"""Union-find over the indexes ``0..n-1``: near-duplicate clusters and split groups."""

from __future__ import annotations


class UnionFind:
    """Disjoint sets of indexes; each set's root is its smallest member."""

    def __init__(self, n: int) -> None:
        """``n`` singletons."""
        self._parent = list(range(n))

    def root(self, i: int) -> int:
        """The root of ``i``'s set (paths halved on the way)."""
        parent = self._parent
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(self, a: int, b: int) -> None:
        """Join the sets of ``a`` and ``b``."""
        ra, rb = self.root(a), self.root(b)
        if ra != rb:
            self._parent[max(ra, rb)] = min(ra, rb)

    def groups(self) -> list[list[int]]:
        """Every set, its members in order, the sets in order of their smallest member."""
        found: dict[int, list[int]] = {}
        for i in range(len(self._parent)):
            found.setdefault(self.root(i), []).append(i)
        return [found[r] for r in sorted(found)]
