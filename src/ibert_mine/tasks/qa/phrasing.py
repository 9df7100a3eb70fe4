"""How questions are phrased: a few natural forms per kind, one chosen by a stable hash.

``task_of`` turns an imperative summary into the task a user wants done ("Return the
number of rows." -> "get the number of rows"); sentences that do not start with a verb a
user would ask about give no task, and no ``how_to`` question is asked.
"""

from __future__ import annotations

import re

from ibert_mine.tasks.qa.api_subjects import Subject
from ibert_mine.tasks.qa.pairs import pick

# imperative verbs of Ibis's summaries; "return" and "retrieve" are asked as "get"
_VERBS_WORDS = (
    "accumulate add aggregate alter append apply attach begin bind bucket cache cast change "
    "check clip close coalesce collect combine compile compose compute concatenate connect "
    "construct convert count create decompile delete detach determine disconnect drop explain "
    "extract fill filter find flatten flip format generate get group infer insert install "
    "intersect join list load locate lowercase map mask match materialize merge negate "
    "normalize pad parse partition perform pivot position print project promote read register "
    "reload relocate remove rename reorder repeat replace reshape resolve retrieve return "
    "reverse round run sample select set simplify slice sort split strip subscribe substitute "
    "subtract sum take tell transform translate trim truncate try union unnest unpack unwrap "
    "update upsert uppercase validate visualize write zip"
)
VERBS = frozenset(_VERBS_WORDS.split())
_AS_GET = frozenset({"return", "retrieve"})
_FIRST_WORD = re.compile(r"^([A-Z][a-z]+)\s+(.+?)\.?$", re.S)


def task_of(summary: str) -> str | None:
    """The task an imperative summary names, lower-cased, or None.

    >>> task_of("Transform a table from wider to longer.")
    'transform a table from wider to longer'
    >>> task_of("Return the number of rows in this table.")
    'get the number of rows in a table'
    >>> task_of("A column of strings.") is None
    True
    """
    match = _FIRST_WORD.match(summary.strip())
    if match is None or "\n" in summary.strip() or "`self`" in summary:
        return None
    verb, rest = match.group(1).lower(), match.group(2)
    if verb not in VERBS or len(rest.split()) < 2:
        return None
    if re.match(r"(?i)(true|false|whether|if)\b", rest):
        return None  # "Return True if ...": a test, not a task
    verb = "get" if verb in _AS_GET else verb
    if not re.search(r"\bthis\s+(is|was)\b", rest):  # "this string" -> "a string"
        rest = re.sub(
            r"\bthis (?=[aeiouAEIOU])", "an ", re.sub(r"\bthis (?![aeiouAEIOU])", "a ", rest)
        )
    if re.search(r"\b(self|the current)\b", rest) and " database" not in rest:
        return None
    return f"{verb} {rest}"


def what_does(who: Subject, key: str) -> str:
    """What a function, method or class does."""
    name, where = f"`{who.name}`", who.where() or " in Ibis"
    if who.kind == "class":
        forms = (f"What is {name}{where}?", f"What does the {name} class represent{where}?")
    else:
        forms = (
            f"What does {name} do{who.where()}?",
            f"What is {name} used for{where}?",
            f"What does {name} do{where}?",
        )
    return pick(forms, key + "#what")


def how_to(task: str, who: Subject, key: str) -> str:
    """How to do the task a definition's summary names ("Ibis" said once)."""
    if "ibis" in task.lower():  # "create an Ibis client ...": the task names Ibis already
        where = f" with the {who.backend} backend" if who.backend else ""
        forms = (f"How do I {task}{where}?", f"How can I {task}{where}?")
    elif who.backend:
        forms = (
            f"How do I {task} with Ibis's {who.backend} backend?",
            f"How can I {task} using the {who.backend} backend of Ibis?",
            f"With Ibis's {who.backend} backend, how do I {task}?",
        )
    else:
        forms = (
            f"How do I {task} in Ibis?",
            f"How can I {task} with Ibis?",
            f"In Ibis, how do I {task}?",
        )
    return pick(forms, key + "#how")


def parameter(param: str, who: Subject, enumerable: bool, key: str) -> str:
    """What one parameter does, or which values it accepts."""
    name, arg = f"`{who.name}`{who.where()}", f"`{param}`"
    if enumerable:
        forms = (f"What values does {arg} accept in {name}?",
                 f"Which values can I pass as {arg} to {name}?")  # fmt: skip
    else:
        forms = (f"What does the {arg} parameter of {name} do?",
                 f"What is the {arg} argument of {name} for?")  # fmt: skip
    return pick(forms, key + "#param")


def returns(who: Subject, key: str) -> str:
    """What a function or method returns."""
    name = f"`{who.name}`"
    forms = (
        f"What does {name} return{who.where()}?",
        f"What do I get back from {name}{who.where()}?",
    )
    return pick(forms, key + "#returns")


def raises(who: Subject, error: str, key: str) -> str:
    """When a function or method raises an error."""
    name = f"`{who.name}`{who.where()}"
    forms = (f"When does {name} raise `{error}`?", f"Why would {name} raise `{error}`?")
    return pick(forms, key + "#raises")
