"""Near-duplicate clusters within a task: MinHash LSH over token 5-grams, confirmed exactly.

As BigCode deduplicated The Stack: each example's text (its input and target fields) is
cut into tokens, the tokens into 5-gram shingles; a 256-permutation MinHash of the
shingles goes into an LSH index at Jaccard 0.7 (datasketch). Every candidate pair the
index returns is confirmed with the exact Jaccard of the two shingle sets, and confirmed
pairs join one cluster by union-find. The clusters do not depend on the order examples
come in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from datasketch import MinHash, MinHashLSH

from ibert_mine.core.example import Example
from ibert_mine.pipeline.union_find import UnionFind

THRESHOLD = 0.7
NUM_PERM = 256
SHINGLE = 5
_TOKEN = re.compile(r"\w+|[^\w\s]")


def example_text(example: Example | Mapping[str, Any]) -> str:
    """The text an example is compared by: its input and target fields, in key order."""
    record = example.to_dict() if isinstance(example, Example) else example
    parts = [record["input"], record["target"]]
    return "\n".join(str(v) for part in parts for _, v in sorted(part.items()))


def shingles(text: str) -> frozenset[str]:
    """The token 5-grams of ``text`` (one shingle of every token when there are fewer)."""
    tokens = _TOKEN.findall(text)
    if len(tokens) <= SHINGLE:
        return frozenset({" ".join(tokens)})
    return frozenset(" ".join(tokens[i : i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    """|a & b| / |a | b|."""
    return len(a & b) / len(a | b) if a or b else 1.0


def _minhash(items: frozenset[str]) -> MinHash:
    sketch = MinHash(num_perm=NUM_PERM)
    sketch.update_batch([s.encode("utf-8") for s in sorted(items)])
    return sketch


def clusters(texts: Sequence[str]) -> list[list[int]]:
    """Groups of indexes of ``texts`` whose members are near-duplicates (Jaccard >= 0.7 to
    another member), each sorted, in order of their first member; singletons left out."""
    sets = [shingles(t) for t in texts]
    index = MinHashLSH(threshold=THRESHOLD, num_perm=NUM_PERM)
    sketches = [_minhash(s) for s in sets]
    for i, sketch in enumerate(sketches):
        index.insert(i, sketch)
    found = UnionFind(len(texts))
    for i, sketch in enumerate(sketches):
        for j in index.query(sketch):
            if j > i and jaccard(sets[i], sets[j]) >= THRESHOLD:
                found.union(i, j)
    return [members for members in found.groups() if len(members) > 1]


def nearest(sample: Iterable[int], sets: Sequence[frozenset[str]]) -> list[float]:
    """For each index of ``sample``, the highest Jaccard to any other member of ``sets``
    (exact, through an inverted index of shingles: only sets that share one are compared)."""
    postings: dict[str, list[int]] = {}
    for i, items in enumerate(sets):
        for item in items:
            postings.setdefault(item, []).append(i)
    best = []
    for i in sample:
        others = {j for item in sets[i] for j in postings[item] if j != i}
        best.append(max((jaccard(sets[i], sets[j]) for j in others), default=0.0))
    return best
