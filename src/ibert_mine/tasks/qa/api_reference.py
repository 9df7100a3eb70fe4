"""Questions the API reference answers: a public definition's docstring, read as answers.

For each public definition (:mod:`.api_subjects`) with a docstring-parser reading, at most
four questions, each asked only when the docstring holds its answer:

- ``what_does``: what the function, method or class does; the answer is the summary and
  the description (sections left out);
- ``how_to``: the task its summary names, when the summary is an imperative sentence
  ("Transform a table from wider to longer." -> "How do I transform a table from wider
  to longer in Ibis?"); the answer leads with "Use `Table.pivot_longer`.";
- ``parameter``: documented parameters (in a stable hash order, filling the places the
  other questions leave), what each does or the values it accepts, its annotation and
  default from the signature as the lead;
- ``returns`` or ``raises``: what it returns, or when it raises, from those sections.

The code example is the definition's doctest session as runnable code.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from dataclasses import replace

import docstring_parser

from ibert_mine.core.config import Config
from ibert_mine.core.example import Example
from ibert_mine.core.reasons import Reason, Reject
from ibert_mine.sources.python import Definition, ModuleUnit, doctest_examples, parse_docstring
from ibert_mine.tasks.qa import phrasing
from ibert_mine.tasks.qa.api_subjects import (
    Subject,
    decorated,
    parameter_defaults,
    signature,
    subject,
)
from ibert_mine.tasks.qa.code_example import runnable_code
from ibert_mine.tasks.qa.markup import clean, paragraphs
from ibert_mine.tasks.qa.pairs import Pair, seed

ORIGIN = "api_reference"
MIN_WORDS = 4  # an answer shorter than this says nothing the name does not
MAX_PER_SYMBOL = 4

DEPRECATED = Reason("deprecated", "the docstring says the definition is deprecated")
NO_SUMMARY = Reason("no_summary", "the docstring has no summary sentence to answer with")
# deprecated as a whole: said in the summary, or by a deprecation directive or callout
_DEPRECATED = re.compile(
    r"(?im)^\s*(\.\. deprecated::|deprecated\b|::: \{\.callout-\w+ title=\"deprecated)"
)
_DEPRECATED_LINE = re.compile(r"(?im)^\W*deprecated\b")  # the summary's or description's
_QUOTED_VALUE = re.compile(r"[\"'][\w-]+[\"']")
_ONE_OF = re.compile(r"(?i)\b(one of|either|options are|must be|can be|supported)\b")
THIN_WORDS = 6  # a returns answer this short says no more than its type
_THIN = re.compile(r"(?i)^(whether|an? instance|an? (new )?\w+ expression|the result)\b")


def pairs(unit: ModuleUnit, config: Config) -> Iterator[tuple[list[Pair], str | None] | Reject]:
    """For each public documented definition of ``unit``: its pairs and its code example."""
    seen: set[str] = set()  # description paragraphs of the module's earlier definitions
    for d in unit.definitions:
        who = subject(unit.provenance.path, d, config.ibis_exports) if d.docstring else None
        if who is None or d.doc_node is None:
            continue
        parsed = parse_docstring(d.docstring or "")
        summary = clean(parsed.short_description or "") if parsed else ""
        described = parsed.long_description if parsed else ""
        if (
            decorated(d, "deprecated")
            or _DEPRECATED.search(d.docstring or "")
            or _DEPRECATED_LINE.search(f"{summary}\n{described or ''}")
        ):
            yield DEPRECATED()
            continue
        if len(summary.split()) < 3 or parsed is None:
            yield NO_SUMMARY()
            continue
        end = d.doc_node.end_lineno or d.start
        meta = {**unit.provenance.meta(lines=(d.start, end)), "origin": ORIGIN, "symbol": who.name}
        code = runnable_code(e.source for e in doctest_examples(d))
        found = list(_questions(unit, d, who, parsed, summary, meta, seen))
        yield [replace(p, code=code if _shows(code, p.uses) else None) for p in found], code


def _shows(code: str | None, name: str | None) -> bool:
    """True when ``code`` is there and uses ``name`` (any code, for no name): the doctest
    session answers an optional parameter's question only where it passes it."""
    return code is not None and (
        name is None or re.search(rf"\b{re.escape(name)}\b", code) is not None
    )


def _description(text: str, seen: set[str]) -> str:
    """A docstring's description, cleaned, without the doctest paragraphs some hold and
    without the paragraphs an earlier docstring of the module holds (a note pasted into
    every method of a backend is said once); ``seen`` gains this one's paragraphs."""
    found = [p for p in paragraphs(clean(text)) if not p.lstrip().startswith(">>>")]
    kept = [p for p in found if " ".join(p.split()) not in seen]
    seen.update(" ".join(p.split()) for p in found)
    return "\n\n".join(kept)


def _questions(
    unit: ModuleUnit, d: Definition, who: Subject, parsed: docstring_parser.Docstring,
    summary: str, meta: dict, seen: set[str],
) -> Iterator[Pair]:  # fmt: skip
    more = _description(parsed.long_description or "", seen)
    described = f"{summary}\n\n{more}" if more else summary
    key = f"{meta['path']}:{who.name}"
    task = phrasing.task_of(summary) if who.kind != "class" else None
    # the summary alone answers one of the two questions: asking both repeats one answer
    both = task is not None and bool(more)
    found: list[Pair] = []
    if task is None or both or seed(key) % 2:
        found.append(Pair(phrasing.what_does(who, key), described, "what_does", meta))
    if task is not None:
        called = signature(unit, d)
        lead = f"Use `{who.name}{f'({called})' if called is not None else ''}`{who.where()}."
        found.append(Pair(phrasing.how_to(task, who, key), described, "how_to", meta, lead))
    last = _returns(who, parsed, key, meta) or _raises(who, parsed, key, meta)
    room = MAX_PER_SYMBOL - len(found) - (last is not None)  # the parameters fill the rest
    found += _parameters(unit, d, who, parsed, key, meta, room)
    yield from found
    if last is not None:
        yield last


def _parameters(
    unit: ModuleUnit, d: Definition, who: Subject, parsed: docstring_parser.Docstring,
    key: str, meta: dict, room: int,
) -> Iterator[Pair]:  # fmt: skip
    """Questions about ``room`` of the documented parameters, chosen by a stable hash."""
    args = _signature(unit, d)
    documented = [
        p for p in parsed.params
        if p.arg_name in args and len(clean(p.description or "").split()) >= MIN_WORDS
    ]  # fmt: skip
    documented.sort(key=lambda p: seed(f"{key}#{p.arg_name}"))
    for param in documented[:room]:
        yield _parameter(param, args, who, f"{key}#{param.arg_name}", meta)


def _parameter(
    param: docstring_parser.DocstringParam,
    args: dict[str, tuple[str | None, str | None]],
    who: Subject,
    key: str,
    meta: dict,
) -> Pair:
    annotation, default = args[param.arg_name]
    described = clean(param.description or "")
    enumerable = "Literal[" in (annotation or "") or (
        bool(_ONE_OF.search(described)) and len(_QUOTED_VALUE.findall(described)) >= 2
    )
    question = phrasing.parameter(param.arg_name, who, enumerable, key)
    parts = [f"`{annotation}`"] if annotation else []
    parts += [f"default `{default}`"] if default else []
    lead = f"`{param.arg_name}`: {', '.join(parts)}." if parts else ""
    # every call passes a required parameter; an optional one only where it is named
    uses = param.arg_name if default is not None else None
    return Pair(question, described, "parameter", meta, lead, uses=uses)


def _signature(unit: ModuleUnit, d: Definition) -> dict[str, tuple[str | None, str | None]]:
    """Argument name -> (annotation, default) as written, for a function or a class's
    ``__init__``."""
    node = d.node
    if isinstance(node, ast.ClassDef):
        inits = [s for s in node.body if isinstance(s, ast.FunctionDef) and s.name == "__init__"]
        if not inits:
            return {}
        node = inits[0]
    if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
        return {}
    args = node.args
    positional = [*args.posonlyargs, *args.args]
    defaults = parameter_defaults(args)
    out = {}
    for a in [*positional, *args.kwonlyargs]:
        annotation = unit.node_text(a.annotation) if a.annotation else None
        default = unit.node_text(defaults[a.arg]) if a.arg in defaults else None
        if annotation and "\n" in annotation:
            annotation = None
        out[a.arg] = (annotation, default if default and "\n" not in default else None)
    return out


def _returns(who: Subject, parsed: docstring_parser.Docstring, key: str, meta: dict) -> Pair | None:
    returns = parsed.returns
    if returns is None or who.kind == "class":
        return None
    described = clean(returns.description or "")
    if len(described.split()) <= THIN_WORDS or _THIN.match(described):
        return None  # the type and a few words: the what_does answer says as much
    lead = f"`{returns.type_name}`." if returns.type_name else ""
    return Pair(phrasing.returns(who, key), described, "returns", meta, lead)


def _raises(who: Subject, parsed: docstring_parser.Docstring, key: str, meta: dict) -> Pair | None:
    for raised in parsed.raises:
        described = clean(raised.description or "")
        if raised.type_name and len(described.split()) >= MIN_WORDS:
            question = phrasing.raises(who, raised.type_name, key)
            return Pair(question, described, "raises", meta)
    return None


REASONS: tuple[Reason, ...] = (DEPRECATED, NO_SUMMARY)
SAME_ANSWER = Reason(
    "same_answer_elsewhere",
    "the same docstring answers the same question about a same-named method of another"
    " backend or class (the general one, else DuckDB's, is kept)",
)


SAME_QUESTION = Reason(
    "same_question", "the same question was asked of another definition (the general one kept)"
)


TEMPLATED = Reason(
    "templated_answer",
    "a what_does answer one of a family of one module's (the same sentence, a name changed):"
    " the first kept",
)
FAMILY_SIZE, FAMILY_KEPT = 3, 1
_TOKEN = re.compile(r"\w+|\S")


def select(found: list[Example]) -> list[Reject | None]:
    """For each example: None to keep it, or why it is left out: a same-named definition
    elsewhere answers the same question with the same quoted text (twelve backends'
    ``rename_table`` are one answer, not twelve), or the same question was asked of
    another definition (two answers to one question teach neither)."""
    out: list[Reject | None] = [None] * len(found)
    groups: dict[tuple[str, str, str], list[int]] = {}
    for i, example in enumerate(found):
        meta = example.meta
        if meta.get("origin") == ORIGIN:
            answer = example.target["answer"]
            quoted = answer.split("\n\n", 1)[-1] if meta.get("lead") else answer
            key = (meta["question_kind"], meta["symbol"].rsplit(".", 1)[-1], quoted)
            groups.setdefault(key, []).append(i)
    kept: list[int] = []
    for members in groups.values():
        ranked = sorted(members, key=lambda i: (_generality(found[i].meta["path"]), i))
        kept.append(ranked[0])
        for i in ranked[1:]:
            out[i] = SAME_ANSWER()
    asked: set[str] = set()
    for i in sorted(kept, key=lambda i: (_generality(found[i].meta["path"]), i)):
        question = found[i].input["question"]
        if question in asked:
            out[i] = SAME_QUESTION()
        asked.add(question)
    for members in _families(found, [i for i in kept if out[i] is None]):
        for i in members[FAMILY_KEPT:]:
            out[i] = TEMPLATED()
    return out


def _families(found: list[Example], kept: list[int]) -> list[list[int]]:
    """The what_does answers of one module that are one sentence with a name changed
    ("Return True if an instance of a Date type." for ``is_date``, ``is_binary``, ...),
    in groups of :data:`FAMILY_SIZE` or more."""
    groups: dict[tuple[str, str], list[int]] = {}
    for i in kept:
        meta = found[i].meta
        if meta.get("question_kind") != "what_does":
            continue
        name = meta["symbol"].rsplit(".", 1)[-1].lower().replace("_", "")
        words = _TOKEN.findall(found[i].target["answer"])
        shape = " ".join(w.lower() for w in words if len(w) < 2 or w.lower() not in name)
        groups.setdefault((meta["path"], shape), []).append(i)
    return [members for members in groups.values() if len(members) >= FAMILY_SIZE]


def _generality(path: str) -> int:
    """0 for a definition of no one backend, 1 for DuckDB's (the default), 2 for others'."""
    if not path.startswith("ibis/backends/") or path.count("/") == 2:
        return 0
    return 1 if path.startswith("ibis/backends/duckdb/") else 2
