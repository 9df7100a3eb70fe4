"""What makes a completion worth predicting; the reasons a cut is not.

The missing span holds a call, an operator or a subscript (not a lone name or literal), at
most ``MAX_COMPLETION`` characters, after a prefix with a full line of context or
``MIN_PREFIX`` characters.
"""

from __future__ import annotations

from ibert_mine.core.reasons import Reason
from ibert_mine.tasks.code_completion.cuts import holds_code, trivial

MAX_COMPLETION = 400  # characters of a completion or a middle
MIN_PREFIX = 40  # characters of a prefix without a full line of context before the cut

TRIVIAL_COMPLETION = Reason(
    "trivial_completion", "the completion is punctuation or under 3 characters"
)
COMPLETION_TOO_LONG = Reason(
    "completion_too_long", f"the completion is over {MAX_COMPLETION} characters"
)
NO_CUT_POINT = Reason("no_cut_point", "no node of the statement is worth cutting at")
LONE_NAME_OR_LITERAL = Reason(
    "lone_name_or_literal", "the missing span is one name or literal: no call, operator or args"
)
SHORT_PREFIX = Reason(
    "short_prefix", f"the prefix has no full line of context and under {MIN_PREFIX} characters"
)
BOILERPLATE = Reason("boilerplate", "the statement is an import or an option setting")
NO_CONTEXT = Reason(
    "no_context", "a whole first statement after only its signature: nothing tells it"
)


def unusable(prefix: str, span: str) -> Reason | None:
    """Why ``span`` after ``prefix`` is no completion worth predicting, or None."""
    if trivial(span):
        return TRIVIAL_COMPLETION
    if len(span) > MAX_COMPLETION:
        return COMPLETION_TOO_LONG
    if not holds_code(span):
        return LONE_NAME_OR_LITERAL
    before = prefix[: prefix.rfind("\n")] if "\n" in prefix else ""
    if not before.strip() and len(prefix) < MIN_PREFIX:
        return SHORT_PREFIX
    return None
