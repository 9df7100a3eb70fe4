"""The documentation miner on the fixture package: styles, code, filters, cut rule, snapshot."""

from __future__ import annotations

import ast
from pathlib import Path

from ibert_mine.core.config import Config
from ibert_mine.core.example import Example
from ibert_mine.core.reasons import Reject
from ibert_mine.pipeline.write import write_examples
from ibert_mine.sources.provenance import Provenance
from ibert_mine.sources.python import parse_module
from ibert_mine.tasks import documentation
from ibert_mine.tasks.documentation import docstyle
from tests.conftest import LONG_FUNCTION, MODULE_DOC, reject_counts


def _mine(text: str, config: Config, path: str = "fixpkg/helpers.py") -> list[Example | Reject]:
    unit = parse_module(text, Provenance("fixture", path))
    assert not hasattr(unit, "reason")
    return list(documentation.mine(unit, config))


def _by_symbol(items: list[Example | Reject]) -> dict[str, Example]:
    found: dict[str, Example] = {}
    for e in items:
        if isinstance(e, Example):
            assert e.meta["symbol"] not in found, "one example per symbol"
            found[e.meta["symbol"]] = e
    return found


PARAMS = {
    "numpy_style": (
        "Parameters\n----------\ntable\n    The input table.\ncolumn\n"
        "    Name of the column to keep.\nlimit\n    How many rows to keep."
    ),
    "google_style": "Args:\n    x: The first number.\n    y: The second number.",
    "rest_style": ":param a: the left value\n:param b: the right value",
    "epydoc_style": "@param a: the numerator\n@param b: the denominator",
}


def _gets_parameters(symbol: str) -> bool:
    """Whether the hash gives ``symbol`` its parameters section alone (one in three)."""
    return documentation.seed_of(f"fixpkg/helpers.py:{symbol}") % documentation.PARAMS_EVERY == 0


def test_every_style_is_detected(config: Config) -> None:
    found = _by_symbol(_mine(MODULE_DOC, config))
    styles = {s: found[s].input["style"] for s in PARAMS}
    assert styles == {"numpy_style": "numpy", "google_style": "google", "rest_style": "rest",
                      "epydoc_style": "epydoc"}  # fmt: skip
    assert found["chains"].input["style"] == "plain"


def test_code_is_whole_definition_without_docstring(config: Config) -> None:
    found = _by_symbol(_mine(MODULE_DOC, config))
    decorated = found["Outer.decorated"]
    assert decorated.input["code"] == (
        "@functools.cache\ndef decorated(self, n: int) -> int:\n    return self.size * n\n"
    )
    assert decorated.meta["kind"] == "method"
    first = MODULE_DOC.splitlines().index("    @functools.cache") + 1
    assert decorated.meta["lines"] == [first, first + 9]
    module = found["fixpkg.helpers"]
    assert module.meta["kind"] == "module"
    assert module.input["code"].startswith("from __future__ import annotations\n")
    for example in found.values():
        ast.parse(example.input["code"])
        assert example.target["docstring"] not in example.input["code"]


def test_what_the_code_cannot_tell_is_dropped(config: Config) -> None:
    """A stub under a longer docstring, a class of attributes its docstring never names."""
    items = _mine(MODULE_DOC, config)
    found = _by_symbol(items)
    assert "plain_only" not in found  # def plain_only(): ... under a sentence
    assert "Outer.Inner" not in found  # class Inner: value = 1, "A nested class ..."
    documented = 'class Point:\n    """A point: x and y."""\n\n    x = 0\n    y = 0\n'
    assert "Point" in _by_symbol(_mine(documented, config))


def test_docstring_is_cleaned_of_indentation(config: Config) -> None:
    found = _by_symbol(_mine(MODULE_DOC, config))
    doc = found["Outer.label"].target["docstring"]
    assert doc == "A label made of the size of the object."


def test_one_example_per_symbol_the_parameters_alone_for_a_third(config: Config) -> None:
    found = _by_symbol(_mine(MODULE_DOC, config))
    for symbol, section in PARAMS.items():
        example = found[symbol]
        if _gets_parameters(symbol):
            assert example.input["section"] == "parameters"
            assert example.target["docstring"] == section
        else:
            assert "section" not in example.input
            assert section in example.target["docstring"]  # the whole docstring


def test_printed_doctest_output_is_cut_off(config: Config) -> None:
    text = (
        "def total(t):\n"
        '    """Sum the column a of a table.\n\n'
        "    Examples\n"
        "    --------\n"
        "    >>> total(t)\n"
        "    ┏━━━━━┓\n"
        "    ┃ sum ┃\n"
        '    """\n'
        "    return t.a.sum()\n"
    )
    (example,) = _by_symbol(_mine(text, config, path="fixpkg/total.py")).values()
    assert example.input["section"] == "description"
    assert example.target["docstring"] == "Sum the column a of a table."


def test_noise_is_dropped_under_its_reason(config: Config) -> None:
    items = _mine(MODULE_DOC, config)
    reasons = sorted(i.key for i in items if isinstance(i, Reject))
    assert reasons == [
        "autogenerated", "restates_name", "stub_body", "todo", "too_short",
        "undocumented_attributes", "unknown_params",
    ]  # fmt: skip
    symbols = {e.meta["symbol"] for e in items if isinstance(e, Example)}
    assert not symbols & {"get_value", "short", "generated", "unfinished", "wrong_params"}


def test_long_definitions_are_cut_by_whole_statements(config: Config) -> None:
    items = _mine(LONG_FUNCTION, config, path="fixpkg/longdef.py")
    (example,) = [e for e in items if isinstance(e, Example) and e.meta["kind"] == "function"]
    code = example.input["code"]
    assert example.meta["truncated"] is True
    lines = code.splitlines()
    assert len(lines) <= config.max_code_lines
    assert lines[-1] == "    ..."
    assert lines[-2] == f"    x = x + {len(lines) - 3}"
    ast.parse(code)


def test_noise_reason_rules() -> None:
    assert docstyle.noise_reason("Gets the value.", "get_value") == docstyle.RESTATES_NAME
    assert docstyle.noise_reason("Compute the median of a column.", "median") is None
    assert docstyle.noise_reason("FIXME: later on maybe", "f") == docstyle.TODO
    assert docstyle.noise_reason("Two words", "f") == docstyle.TOO_SHORT


def test_snapshot(fixture_package: Path, config: Config, tmp_path: Path, snapshot) -> None:
    text = (fixture_package / "helpers.py").read_text()
    items = _mine(text, config)
    examples = [e for e in items if isinstance(e, Example)]
    out = tmp_path / "documentation.jsonl"
    write_examples(out, examples)
    snapshot(reject_counts(items), "documentation_helpers.rejects.json")
    snapshot(out.read_text(), "documentation_helpers.jsonl")


def test_enormous_lines_are_dropped(config: Config) -> None:
    text = (
        'def f():\n    """Return a very long literal list."""\n    return [' + "1, " * 9000 + "]\n"
    )
    items = _mine(text, config, path="fixpkg/wide.py")
    assert [i.key for i in items if isinstance(i, Reject)] == ["code_too_long"]


def test_a_long_docstring_does_not_count_toward_the_cut(config: Config) -> None:
    doc_lines = "\n".join(
        f"    Line {n} of a long explanation." for n in range(config.max_code_lines)
    )
    text = (
        "def union(table, *rest):\n"
        f'    """Union the tables.\n\n{doc_lines}\n    """\n'
        "    return table.union(*rest) if rest else table\n"
    )
    (example,) = _by_symbol(_mine(text, config, path="fixpkg/union.py")).values()
    assert example.meta["truncated"] is False
    assert example.input["code"] == (
        "def union(table, *rest):\n    return table.union(*rest) if rest else table\n"
    )


def test_the_first_statement_stays_however_long(config: Config) -> None:
    body = "\n".join(f"            {n}," for n in range(config.max_code_lines + 5))
    text = (
        "class Big:\n"
        '    """A class whose first method is longer than the cut."""\n\n'
        f"    def values(self):\n        return [\n{body}\n        ]\n\n"
        "    def other(self):\n        return 1\n"
    )
    found = _by_symbol(_mine(text, config, path="fixpkg/big.py"))
    code = found["Big"].input["code"]
    assert found["Big"].meta["truncated"] is True
    assert "def values(self):" in code and "def other" not in code
    assert code.endswith("    ...\n")
