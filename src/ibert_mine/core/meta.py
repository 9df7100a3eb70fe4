"""The keys an example's ``meta`` may hold: each declared once, with its type and meaning.

A task lists the :class:`MetaKey` values its examples carry (the common ones below, then
its own); :func:`build` makes every ``meta`` from that list, so an undeclared key or a value
of the wrong type cannot be written, and the keys always come in the declared order.
``validate`` checks records against the same list and ``ibert-mine schema`` prints it.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

# JSON Schema of each kind of value
_KINDS: dict[str, dict[str, Any]] = {
    "string": {"type": "string", "minLength": 1},
    "boolean": {"type": "boolean"},
    "integer": {"type": "integer"},
    "strings": {"type": "array", "items": {"type": "string"}},
    "lines": {
        "type": "array",
        "items": {"type": "integer", "minimum": 1},
        "minItems": 2,
        "maxItems": 2,
    },
    "cluster": {
        "type": "object",
        "properties": {
            "id": {"type": "string", "pattern": "^[0-9a-f]{16}$"},
            "size": {"type": "integer", "minimum": 2},
        },
        "required": ["id", "size"],
        "additionalProperties": False,
    },
    "mutants": {
        "type": "object",
        "properties": {
            "killed": {"type": "integer", "minimum": 0},
            "total": {"type": "integer", "minimum": 0},
            "draws": {
                "type": "array",
                "items": {
                    "type": "array",
                    "items": {"type": "integer"},
                    "minItems": 2,
                    "maxItems": 2,
                },
            },
            "aimed_at": {"type": "array", "items": {"type": ["string", "number"]}},
            "survived": {"type": "integer", "minimum": 1},
            "capped": {"type": "integer", "minimum": 1},
        },
        "required": ["killed", "total", "draws"],
        "additionalProperties": False,
    },
}


MAX_DRAW_ROWS = 1000  # a recorded draw larger than this is not one the miner makes


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_literal(value: Any) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def _mutants_ok(value: Any) -> bool:
    """A ``mutants`` value: killed <= total, draws as [seed, rows] pairs, capped optional."""
    if not isinstance(value, dict) or not {"killed", "total", "draws"} <= set(value):
        return False
    if not set(value) <= {"killed", "total", "draws", "aimed_at", "survived", "capped"}:
        return False
    draws = value["draws"]
    return (
        _is_int(value["killed"])
        and _is_int(value["total"])
        and 0 <= value["killed"] <= value["total"]
        and isinstance(draws, list)
        and all(isinstance(d, list) and len(d) == 2 and all(map(_is_int, d)) for d in draws)
        and all(1 <= d[1] <= MAX_DRAW_ROWS for d in draws)  # validate would build them
        and all(_is_int(value.get(k, 1)) and value.get(k, 1) >= 1 for k in ("capped", "survived"))
        and all(_is_literal(v) for v in value.get("aimed_at", []))
        and (not draws or "aimed_at" in value)  # what the recorded draws were aimed at
    )


@dataclass(frozen=True, slots=True)
class MetaKey:
    """One key of ``meta``: its kind of value, its meaning, and its values when they are few.

    ``values`` pairs each allowed value with its meaning (empty: any value of the kind);
    ``by_origin`` says what the key means where that differs with ``meta.origin``.
    """

    name: str
    kind: str  # "string" | "boolean" | "integer" | "strings" | "lines" | "cluster" | "mutants"
    description: str
    values: tuple[tuple[str, str], ...] = ()
    by_origin: tuple[tuple[str, str], ...] = ()

    def __post_init__(self) -> None:
        if self.kind not in _KINDS:
            raise ValueError(f"meta key {self.name!r}: unknown kind {self.kind!r}")

    def allowing(self, *values: str) -> MetaKey:
        """The same key, allowing only ``values`` (a task's subset of the declared ones)."""
        known = dict(self.values)
        missing = [v for v in values if v not in known]
        if missing:
            raise ValueError(f"meta key {self.name!r} declares no value {missing}")
        return replace(self, values=tuple((v, known[v]) for v in values))

    def problem(self, value: Any) -> str | None:
        """Why ``value`` cannot be this key's value, or None."""
        ok = {
            "string": isinstance(value, str) and bool(value),
            "boolean": isinstance(value, bool),
            "integer": _is_int(value),
            "strings": isinstance(value, list) and all(isinstance(v, str) for v in value),
            "lines": isinstance(value, list)
            and len(value) == 2
            and all(isinstance(n, int) and not isinstance(n, bool) for n in value)
            and 1 <= value[0] <= value[1],
            "cluster": isinstance(value, dict)
            and set(value) == {"id", "size"}
            and isinstance(value["id"], str)
            and isinstance(value["size"], int)
            and value["size"] >= 2,
            "mutants": _mutants_ok(value),
        }[self.kind]
        if not ok:
            return f"meta.{self.name} is not {_SAYS[self.kind]}"
        allowed = dict(self.values)
        if allowed and self.kind == "strings":
            wrong = [v for v in value if v not in allowed]
            if wrong:
                return f"meta.{self.name} {wrong!r} are none of {', '.join(allowed)}"
        elif allowed and value not in allowed:
            return f"meta.{self.name} {value!r} is none of {', '.join(allowed)}"
        return None

    def schema(self) -> dict[str, Any]:
        """The JSON Schema of this key, with its description (and its values' meanings)."""
        out = {**_KINDS[self.kind], "description": self.description}
        if self.values and self.kind == "strings":
            out["items"] = {"enum": [v for v, _ in self.values]}
        elif self.values:
            out["enum"] = [v for v, _ in self.values]
            out["description"] += " " + "; ".join(f"{v}: {m}" for v, m in self.values) + "."
        if self.by_origin:
            out["description"] += " By origin: " + "; ".join(f"{o}: {m}" for o, m in self.by_origin)
        return out


_SAYS = {
    "string": "a non-empty string",
    "boolean": "true or false",
    "integer": "an integer",
    "strings": "a list of strings",
    "lines": "[first, last] line numbers",
    "cluster": '{"id": <the smallest id of the cluster>, "size": <2 or more>}',
    "mutants": '{"killed": k, "total": n >= k, "draws": [[seed, rows], ...]}'
    ' (+ "aimed_at": [literal, ...], "survived": n, "capped": n)',
}


class MetaError(ValueError):
    """A ``meta`` value a task does not declare (a bug in the miner, never bad input)."""


def build(keys: tuple[MetaKey, ...], values: Mapping[str, Any]) -> dict[str, Any]:
    """The ``meta`` of an example: ``values`` in the order of ``keys``, None values left out."""
    declared = {key.name: key for key in keys}
    unknown = [name for name in values if name not in declared]
    if unknown:
        raise MetaError(f"undeclared meta keys: {', '.join(unknown)}")
    out: dict[str, Any] = {}
    for key in keys:
        value = values.get(key.name)
        if value is None:
            continue
        problem = key.problem(value)
        if problem:
            raise MetaError(problem)
        out[key.name] = value
    return out


def problems(keys: tuple[MetaKey, ...], meta: Mapping[str, Any]) -> list[str]:
    """What is wrong with a record's ``meta`` against ``keys`` (``validate``)."""
    declared = {key.name: key for key in keys}
    found = [f"meta.{name} is not declared for this task" for name in meta if name not in declared]
    found += [p for name, value in meta.items() if name in declared
              and (p := declared[name].problem(value))]  # fmt: skip
    return found


# The keys every example carries, in this order (before the task's own): where its text is,
# then where in the source it was found.
PATH = MetaKey("path", "string", "the file the example came from, relative to the source root")
LINES = MetaKey(
    "lines",
    "lines",
    "the first and last line of the example's text in the file",
    by_origin=(("notebook", "the first and last cell number"),),
)
REPO = MetaKey("repo", "string", "owner/name of the git repository the source is a checkout of")
COMMIT = MetaKey("commit", "string", "the commit the source was checked out at (40 hex digits)")
VERSION = MetaKey("version", "string", "the version of the installed package the source is")
ORIGIN = MetaKey(
    "origin",
    "string",
    "where in the source the example's text was found:",
    values=(
        ("doctest", "a >>> session in a docstring"),
        ("docstring", "a docstring and the definition it documents"),
        ("code", "plain code: a module's top level or a function body"),
        ("test", "a test function, its tables from ibis.table and pytest fixtures"),
        ("docs", "the code cells of a documentation page (.qmd, .md)"),
        ("notebook", "the code cells of a Jupyter notebook"),
        ("tpc_suite", "a TPC-H or TPC-DS query test of the Ibis suite, beside its query file"),
        ("executed", "a verified program with one mistake made in it, run to its real error"),
        ("git", "a fix commit of a git history: a function before and after (not executed)"),
        ("api_reference", "a public definition's docstring, read as answers to questions"),
        ("github", "an issue thread of a GitHub export and a maintainer's or confirmed reply"),
        ("stackexchange", "a question of a Stack Exchange dump and its accepted or best answer"),
    ),
)
SYMBOL = MetaKey(
    "symbol",
    "string",
    "the qualified name of the definition the text is in (a function, class or method)",
    by_origin=(
        ("code", "<module> for a module's top level"),
        ("docs", "absent: a page has none"),
        ("notebook", "absent: a notebook has none"),
    ),
)
CLUSTER = MetaKey(
    "cluster",
    "cluster",
    "the near-duplicate cluster this example was kept for (the others were dropped):"
    " the cluster's smallest example id and how many examples it held",
)
PATH_TO_VERSION: tuple[MetaKey, ...] = (PATH, LINES, REPO, COMMIT, VERSION)
# what a task without a miner yet accepts (records from elsewhere, any origin)
OPEN_PROVENANCE: tuple[MetaKey, ...] = (
    *PATH_TO_VERSION,
    replace(ORIGIN, values=()),
    SYMBOL,
    CLUSTER,
)
