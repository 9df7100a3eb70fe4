"""Tests of the code-completion miner on a small fixture module."""

from __future__ import annotations

import ast
import re

import pytest

from ibert_mine.core.config import Config
from ibert_mine.core.example import Example
from ibert_mine.core.reasons import Reject
from ibert_mine.sources.provenance import Provenance
from ibert_mine.sources.python import ModuleUnit, parse_module
from ibert_mine.tasks import code_completion
from ibert_mine.tasks.code_completion.cuts import make_region, statement_cuts

API = frozenset(
    {"filter", "select", "group_by", "aggregate", "mutate", "order_by", "sum", "cast", "limit"}
    | {"name", "get", "join", "ibis.table", "ibis.literal", "ibis.memtable", "ibis._"}
)
CONFIG = Config(tasks=("code_completion",), ibis_api=API)

FIXTURE = '''\
"""A fixture module."""

import ibis
from ibis import _


def clean(t):
    """Keep the rows with a positive ``a``.

    >>> import ibis
    >>> t = ibis.table(dict(a="int64", b="string"), name="t")
    >>> t.filter(t.a > 1).select("a")
    r0 := UnboundTable: t
    >>> t.group_by("b").aggregate(total=t.a.sum(), n=t.a.count())
    """
    t = t.mutate(label=ibis.literal("café ☕"), n=t.a + 1)
    expr = t.filter(t.a > 1).group_by("b").aggregate(total=t.a.sum())
    return expr.order_by(_.total).limit(10)


class Pipeline:
    def run(self, t, names):
        keys = ", ".join(names)
        if keys:
            t = t.select(*names).filter(t.a.cast("float64") > 0.5)
        try:
            result = t.limit(5).mutate(c=t.a * 2, d=t["b"])
        except ValueError:
            result = t
        return result.select("a", "c")
'''

PLAIN = """\
import os


def walk(root):
    out = []
    for name in os.listdir(root):
        path = os.path.join(root, name)
        out.append(path)
    total = sum(len(p) for p in out) + 1
    return sorted(out, key=len)
"""


def _unit(text: str, path: str = "pkg/mod.py") -> ModuleUnit:
    unit = parse_module(text, Provenance("fixture", path))
    assert isinstance(unit, ModuleUnit)
    return unit


def _mine(text: str, path: str = "pkg/mod.py") -> list[Example | Reject]:
    return list(code_completion.mine(_unit(text, path), CONFIG))


def _examples(text: str = FIXTURE) -> list[Example]:
    return [r for r in _mine(text) if isinstance(r, Example)]


def _char_offsets(code: str) -> list[int]:
    starts, pos = [], 0
    for line in code.splitlines(keepends=True):
        starts.append(pos)
        pos += len(line)
    return [*starts, pos]


def _spans(code: str) -> set[tuple[int, int]]:
    """(start, end) character offsets of every positioned node of ``code``, plus the
    method-name-and-call span of every method call."""
    lines = [*code.splitlines(keepends=True), ""]
    starts = _char_offsets(code)

    def off(lineno: int, col: int) -> int:
        return starts[lineno - 1] + len(lines[lineno - 1].encode()[:col].decode())

    spans = set()
    for node in ast.walk(ast.parse(code)):
        if getattr(node, "end_lineno", None) is None:
            continue
        end = off(node.end_lineno, node.end_col_offset)
        spans.add((off(node.lineno, node.col_offset), end))
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            attr_end = off(node.func.end_lineno, node.func.end_col_offset)
            spans.add((attr_end - len(node.func.attr), end))
    return spans


def test_yields_both_variants_and_all_origins() -> None:
    examples = _examples()
    assert examples
    assert {e.meta["variant"] for e in examples} == {"l2r", "fim"}
    assert {e.meta["origin"] for e in examples} == {"doctest", "code"}
    assert "method_chain" in {e.meta.get("statement") for e in examples}
    assert all(e.task == "code_completion" and e.source == "fixture" for e in examples)


def test_l2r_partial_is_strict_prefix_and_completed_parses() -> None:
    for e in _examples():
        if e.meta["variant"] != "l2r":
            continue
        partial, completed = e.input["partial_code"], e.target["completed_code"]
        assert set(e.input) == {"partial_code"} and set(e.target) == {"completed_code"}
        assert partial.strip() and completed.startswith(partial) and len(completed) > len(partial)
        ast.parse(completed)


def test_fim_middle_is_a_whole_node_of_the_concatenation() -> None:
    fims = [e for e in _examples() if e.meta["variant"] == "fim"]
    assert fims
    for e in fims:
        prefix, suffix, middle = e.input["prefix"], e.input["suffix"], e.target["middle"]
        assert prefix and middle.strip()
        code = prefix + middle + suffix
        ast.parse(code)
        assert (len(prefix), len(prefix) + len(middle)) in _spans(code), e.meta


def test_meta_and_ibis_tags() -> None:
    examples = _examples()
    for e in examples:
        meta = e.meta
        assert meta["path"] == "pkg/mod.py"
        assert meta["origin"] in {"doctest", "code"}
        assert meta.get("statement") in {None, "method_chain", "simple", "compound"}
        assert ("statement" in meta) == (meta["origin"] == "code")
        assert meta["variant"] in {"l2r", "fim"}
        assert meta["cut"] in {
            "attribute", "argument", "keyword", "subscript", "operator", "line", "block"
        }  # fmt: skip
        assert meta["ibis_api"] == sorted(meta["ibis_api"])
        assert 1 <= meta["lines"][0] <= meta["lines"][1]
    tags = [set(e.meta["ibis_api"]) for e in examples]
    assert any("filter" in t for t in tags)
    assert any("ibis._" in t for t in tags)  # `_.total` with `from ibis import _`
    assert {e.meta["symbol"] for e in examples} <= {"<module>", "clean", "Pipeline.run"}
    assert "Pipeline.run" in {e.meta["symbol"] for e in examples}
    # generic names alone (", ".join) do not make a statement Ibis code
    joins = [e for e in examples if '", ".join' in _target_text(e)]
    assert all(e.meta["ibis_api"] == [] for e in joins)


def _target_text(e: Example) -> str:
    return e.target.get("middle") or e.target["completed_code"][len(e.input["partial_code"]) :]


def test_lines_point_at_the_statement_in_the_file() -> None:
    lines = FIXTURE.splitlines()
    for e in _examples():
        first, last = e.meta["lines"]
        text = "\n".join(lines[first - 1 : last])
        if e.meta["origin"] == "doctest":
            assert lines[first - 1].lstrip().startswith(">>>")
            assert e.meta["symbol"] == "clean"
        target = _target_text(e).strip().splitlines()[0].strip()
        assert target in text


def test_doctest_context_is_earlier_examples() -> None:
    doctests = [e for e in _examples() if e.meta["origin"] == "doctest"]
    assert doctests
    for e in doctests:
        code = e.target.get("completed_code") or e.input["prefix"]
        if "filter" in e.meta["ibis_api"] and e.meta["lines"][0] == 12:
            assert code.startswith('import ibis\nt = ibis.table(dict(a="int64"')
        assert ">>>" not in code and "UnboundTable" not in code


def test_cuts_use_character_offsets_after_non_ascii_text() -> None:
    unit = _unit(FIXTURE)
    func = unit.tree.body[3]
    assert isinstance(func, ast.FunctionDef)
    stmt = func.body[1]  # t = t.mutate(label=ibis.literal("café ☕"), n=t.a + 1)
    region = make_region(unit.lines, stmt.lineno, stmt.end_lineno, "    ")
    spans = {region.text[c.start : c.end] for c in statement_cuts(stmt, region, API)}
    assert {'label=ibis.literal("café ☕")', '"café ☕"', "n=t.a + 1", "t.a + 1", "1"} <= spans
    assert 'mutate(label=ibis.literal("café ☕"), n=t.a + 1)' in spans


def test_deterministic() -> None:
    first = [r.to_json() if isinstance(r, Example) else r.key for r in _mine(FIXTURE)]
    second = [r.to_json() if isinstance(r, Example) else r.key for r in _mine(FIXTURE)]
    assert first == second


def test_code_without_ibis_gives_few_examples() -> None:
    results = _mine(PLAIN, "pkg/plain.py")
    examples = [r for r in results if isinstance(r, Example)]
    rejects = [r for r in results if isinstance(r, Reject)]
    assert len(examples) <= 2
    assert all(e.meta["ibis_api"] == [] and e.meta["cut"] == "line" for e in examples)
    assert "no_ibis_api" in {r.key for r in rejects}


def test_rejects_have_snake_case_reasons() -> None:
    text = (
        FIXTURE + "\n\ndef long(t):\n    return t.filter(\n" + "        t.a > 1,\n" * 40 + "    )\n"
    )
    reasons = {r.key for r in _mine(text) if isinstance(r, Reject)}
    assert "statement_too_long" in reasons
    assert all(re.fullmatch(r"[a-z]+(_[a-z]+)*", reason) for reason in reasons)


@pytest.mark.parametrize("context_lines", [0, 3, 20])
def test_context_lines_bound_the_context(context_lines: int) -> None:
    config = Config(tasks=("code_completion",), ibis_api=API, context_lines=context_lines)
    for e in code_completion.mine(_unit(FIXTURE), config):
        if isinstance(e, Example) and e.meta["origin"] != "doctest":
            code = e.target.get("completed_code") or e.input["prefix"] + e.target["middle"]
            statement_lines = e.meta["lines"][1] - e.meta["lines"][0] + 1
            assert code.count("\n") + 1 <= context_lines + statement_lines


def test_snapshot_of_fixture_package(tmp_path, snapshot) -> None:
    """The JSONL the miner gives for the shared fixture module, byte for byte."""
    from ibert_mine.core.config import Config as _Config
    from ibert_mine.pipeline.write import write_examples
    from ibert_mine.sources.ibis_api import ibis_api_names
    from tests.conftest import MODULE_DOC, reject_counts

    cfg = _Config(tasks=("code_completion",), ibis_api=ibis_api_names())
    unit = parse_module(MODULE_DOC, Provenance("fixture", "fixpkg/helpers.py"))
    items = list(code_completion.mine(unit, cfg))
    examples = [e for e in items if not isinstance(e, Reject)]
    out = tmp_path / "code_completion.jsonl"
    write_examples(out, examples)
    snapshot(reject_counts(items), "code_completion_helpers.rejects.json")
    snapshot(out.read_text(), "code_completion_helpers.jsonl")


def test_targets_are_the_file_text_after_a_form_feed() -> None:
    """Form feeds end no line for Python: the cuts must still be the file's own text."""
    text = (
        "import ibis\n\n# section \x0c break\n\n"
        "def f(t):\n    x = t.filter(t.a > 1).group_by('b').aggregate(n=t.a.count())\n"
        "    return x.order_by('b')\n"
    )
    unit = parse_module(text, Provenance("fixture", "ff.py"))
    cfg = Config(tasks=("code_completion",), ibis_api=frozenset({"filter", "group_by"}))
    found = [e for e in code_completion.mine(unit, cfg) if isinstance(e, Example)]
    assert found
    for example in found:
        first, last = example.meta["lines"]
        source = "".join(unit.lines[first - 1 : last])
        if example.meta["variant"] == "fim":
            assert example.target["middle"] in source
        else:
            completed = example.target["completed_code"]
            assert completed.splitlines()[-1].strip() in source
