"""Questions documentation pages answer: each how-to, tutorial, concept or FAQ section.

A section (:mod:`.sections`) becomes a question from its heading, or from its lead
sentence when that says more ("Install" -> "Install Ibis and dependencies for the DuckDB
backend:"): an imperative heading asks how to do it, a question heading is asked as it
is, a gerund or a noun phrase asks how it works. The answer is the section's prose as
clean Markdown (:func:`~ibert_mine.tasks.qa.markup.clean`), shell and SQL blocks kept; the
code example is its Python code. Skipped with reasons: sections that are only
navigation, only code or only images, headings that name no topic ("Overview", "Next
steps"), release notes, and partial pages (``_tabsets/*.qmd``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from ibert_mine.core.config import Config
from ibert_mine.core.reasons import Reason, Reject
from ibert_mine.sources.pages import PageUnit
from ibert_mine.tasks.qa import phrasing
from ibert_mine.tasks.qa.code_example import runnable_code
from ibert_mine.tasks.qa.markup import IMAGE, clean, paragraphs
from ibert_mine.tasks.qa.pairs import Pair, pick
from ibert_mine.tasks.qa.sections import Section, page_title, sections

ORIGIN, NOTEBOOK = "docs", "notebook"
MIN_PROSE_WORDS = 15
MIN_WORDS_WITH_CODE = 8  # an instruction and the command it gives
MAX_ANSWER_WORDS = 400  # of a longer section, the paragraphs up to this many words
_GENERIC_WORDS = (
    "overview introduction intro next steps summary conclusion conclusions setup set up "
    "resources references acknowledgements acknowledgments wrapping wrap up prerequisites "
    "motivation takeaways contents table of final thoughts thanks background the end features "
    "bug fixes documentation refactors performance deprecations contributors support bugs api "
    "changes breaking new me where who what why how example examples demo tl;dr tldr appendix "
    "notes note faq"
)
GENERIC = frozenset(_GENERIC_WORDS.split())

NAVIGATION = Reason("navigation", "the section is links to other pages, not an answer")
ONLY_CODE = Reason("only_code", "the section is code with too little prose to answer with")
ONLY_IMAGES = Reason("only_images", "the section is images")
NO_PROSE = Reason("no_prose", "the section has too little prose to answer a question")
GENERIC_HEADING = Reason("generic_heading", "the heading names no topic (Overview, Next steps)")
RELEASE_NOTES = Reason("release_notes", "a release notes page: lists of changes, not answers")
PARTIAL_PAGE = Reason("partial_page", "a page included by others (_name), not read alone")
NO_QUESTION = Reason("no_question", "no question can be read from the heading")
NOT_A_GUIDE = Reason(
    "not_a_guide", "a blog post, slides or a contributor's page: not a how-to or a concept"
)
NOT_GUIDES = frozenset({"presentations", "slides", "contribute"})
POSTS = frozenset({"posts", "blog"})  # narrative: only the sections that name a task
NARRATIVE = Reason(
    "narrative_section", "a blog post's section whose heading names no task or question"
)
NOT_GUIDE_PAGES = frozenset({"code_of_conduct", "security", "404", "license", "changelog"})
GENERIC_PHRASES = frozenset(
    {
        "how it works",
        "expected output",
        "other companies",
        "what's next",
        "getting started",
        "use cases",
    }
)
REASONS = (NAVIGATION, ONLY_CODE, ONLY_IMAGES, NO_PROSE, GENERIC_HEADING, RELEASE_NOTES,
           PARTIAL_PAGE, NO_QUESTION, NOT_A_GUIDE, NARRATIVE)  # fmt: skip

_LINK_TEXT = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_WORD = re.compile(r"[A-Za-z][\w'-]*")
_ASKS_A_TASK = ("How do I", "How can I")  # what a blog post's section may be asked as
_BLOCK = re.compile(r"(?s)```.*?```")
_NOT_PROSE = ("```", "-", "*", "|", ">")  # code, lists, tables, quotes
_DOC_VERBS_WORDS = (
    "use query explore chain configure deploy build debug test migrate load save export "
    "import plot send stream define handle work bring move calculate analyze analyse "
    "interact port speed write install visualize sessionize reference contribute look clean"
)
DOC_VERBS = frozenset(_DOC_VERBS_WORDS.split())
# verbs that also head noun phrases ("Set membership", "Sample data")
_NOUNS_TOO_WORDS = (
    "set list map sample format cache count sum union zip match position project split "
    "slice pivot join round trim filter sort group order query use"
)
NOUNS_TOO = frozenset(_NOUNS_TOO_WORDS.split())
_ARTICLES_WORDS = (
    "a an the your my our its their each all with to from in on into over across by for"
)
_ARTICLES = frozenset(
    _ARTICLES_WORDS.split()
)  # and prepositions: what a gerund's object starts with
_PREPOSITIONS = frozenset({"in", "on", "of", "for", "vs", "vs.", "versus", "+", "&", "and"})
_DETERMINERS_WORDS = "a an the your my our multiple some all each two it them"
_DETERMINERS = frozenset(_DETERMINERS_WORDS.split())


def pairs(unit: PageUnit, config: Config) -> Iterator[tuple[list[Pair], str | None] | Reject]:
    """The pairs of every section of a page worth asking about, with its code example."""
    path = unit.provenance.path
    text, cell_of = unit.text, None
    if path.endswith(".ipynb"):
        if unit.markdown is None:  # a notebook that cannot be read
            return
        text, cell_of = unit.markdown
    if any(part.startswith("_") for part in path.split("/")):
        yield PARTIAL_PAGE()
        return
    if "release_notes" in path or "release-notes" in path or "changelog" in path.lower():
        yield RELEASE_NOTES()
        return
    stem = path.rsplit("/", 1)[-1].rsplit(".", 1)[0].lower()
    if any(part in NOT_GUIDES for part in path.split("/")[:-1]) or stem in NOT_GUIDE_PAGES:
        yield NOT_A_GUIDE()
        return
    post = any(part in POSTS for part in path.split("/")[:-1])
    backend = _backend_page(path, text)
    for section in sections(text):
        if not section.prose.strip() and not section.code:
            continue  # a heading its subsections follow at once: structure, not a candidate
        found = _pair(unit, section, cell_of, backend)
        if isinstance(found, Reject):
            yield found
        elif post and not found[0].question.startswith(_ASKS_A_TASK):
            yield NARRATIVE()
        else:
            yield [found[0]], found[1]


def _pair(
    unit: PageUnit, section: Section, cell_of: tuple[int, ...] | None, backend: str | None
) -> tuple[Pair, str | None] | Reject:
    """The pair of one section (``cell_of``: a notebook's cell number of each line;
    ``backend``: the backend the page is about)."""
    prose = clean(section.prose)
    reason = _not_an_answer(section, prose)
    if reason is not None:
        return reason()
    heading = _LINK_TEXT.sub(r"\1", clean(section.heading)).strip().rstrip(":").strip()
    if _is_generic(heading):
        return GENERIC_HEADING()
    key = f"{unit.provenance.path}:{section.start}"
    question = question_of(heading, _lead_sentence(prose), key)
    if question is None:
        return NO_QUESTION()
    if backend and backend.lower() not in question.lower():
        question = f"{question[:-1]} with the {backend} backend?"
    lines = (section.start, section.end)
    origin = ORIGIN
    if cell_of is not None:  # a notebook's sections are where its cells are
        lines, origin = (cell_of[section.start - 1], cell_of[section.end - 1]), NOTEBOOK
    meta = {**unit.provenance.meta(lines=lines), "origin": origin, "heading": heading}
    code = runnable_code(section.code)
    return Pair(question, _cap(prose), "section", meta, code=code), code


def _not_an_answer(section: Section, prose: str) -> Reason | None:
    """Why a section's cleaned ``prose`` answers nothing: its links (counted before
    cleaning turns links to site pages into text) are half its words, or it is too short
    (a short instruction with its command block is an answer)."""
    words = _WORD.findall(IMAGE.sub("", _BLOCK.sub("", prose)))
    has_block = bool(_BLOCK.search(prose))
    if len(words) >= MIN_PROSE_WORDS or (has_block and len(words) >= MIN_WORDS_WITH_CODE):
        raw = _BLOCK.sub("", section.prose)
        linked = sum(len(_WORD.findall(t)) for t in _LINK_TEXT.findall(raw))
        return NAVIGATION if linked * 2 >= len(words) else None
    if section.code or has_block:
        return ONLY_CODE
    if IMAGE.search(section.prose) or "<img" in section.prose:
        return ONLY_IMAGES
    return NO_PROSE


def _is_generic(heading: str) -> bool:
    words = [w.lower() for w in _WORD.findall(heading)]
    return not words or all(w in GENERIC for w in words) or " ".join(words) in GENERIC_PHRASES


def _backend_page(path: str, text: str) -> str | None:
    """The backend a page of ``docs/backends/`` is about (its title), else None."""
    if not re.fullmatch(r"docs/backends/[\w-]+\.qmd", path):
        return None
    title = page_title(text)
    return title if title and len(title.split()) <= 3 else None


def _lead_sentence(prose: str) -> str:
    prose_only = (p for p in paragraphs(prose) if not p.lstrip().startswith(_NOT_PROSE))
    first = " ".join(next(prose_only, "").split())
    return re.split(r"(?<=[.!?:])\s", first, maxsplit=1)[0]


def question_of(heading: str, lead: str, key: str) -> str | None:
    """The question a section's heading (or its lead sentence) asks.

    >>> question_of("Sessionize a log of events", "", "k")
    'How can I sessionize a log of events in Ibis?'
    >>> question_of("Install", "Install Ibis and dependencies for the DuckDB backend:", "k")
    'How can I install Ibis and dependencies for the DuckDB backend?'
    """
    heading = heading.strip()
    if heading.endswith("?"):
        return heading
    words = heading.split()
    if not words:
        return None
    first = words[0].lower()
    lead_words = lead.rstrip(":.").split()
    starts = lead_words and lead_words[0].lower() == first and 3 < len(lead_words) <= 14
    if len(words) <= 2 and starts and _imperative(lead_words):
        heading, words = " ".join(lead_words), lead_words  # the lead says what the heading names
    nxt = words[1] if len(words) > 1 else ""
    object_follows = (
        nxt.lower() in _ARTICLES
        or nxt in {"Ibis", "SQL"}
        or nxt.startswith("`")
        or (nxt.islower() and nxt.endswith("s"))
    )  # "Loading the data", "Splitting strings", "Using `pip`"; not "Streaming data backends"
    verb = _base_verb(first) if first.endswith("ing") and object_follows else None
    if verb is not None:
        words = [verb.capitalize(), *words[1:]]
    if _imperative(words):
        task = " ".join([words[0].lower(), *words[1:]])
        if "ibis" in task.lower():
            return pick((f"How do I {task}?", f"How can I {task}?"), key)
        return pick((f"How do I {task} with Ibis?", f"How can I {task} in Ibis?"), key)
    topic = _sentence_case(heading)
    where = "" if "ibis" in topic.lower() else " in Ibis"
    if first.endswith("ing") and len(words) > 1:  # a gerund is never a name: lower-cased
        return f"How does {heading[0].lower() + heading[1:]} work{where}?"
    if len(words) == 1 and heading.startswith("`"):
        return f"How do I use {heading}{where}?"
    forms = (
        f"What should I know about {topic}{where}?",
        f"What do I need to know about {topic}{where}?",
    )
    return pick(forms, key)


def _sentence_case(heading: str) -> str:
    """The heading inside a sentence: its first word lower-cased when it is an ordinary
    capitalised word and the words after it are lower-case (not a name like Apache Arrow)."""
    words = heading.split()
    first = words[0]
    ordinary = first[:1].isupper() and first[1:].islower() and first.isalpha()
    if ordinary and len(words) > 1 and all(not w[:1].isupper() for w in words[1:]):
        return first.lower() + heading[len(first) :]
    return heading


def _base_verb(gerund: str) -> str | None:
    """The verb of a gerund the verb lists know (loading -> load, running -> run)."""
    stem = gerund.lower()[:-3]
    for verb in (stem, stem + "e", stem[:-1]):
        if verb in phrasing.VERBS or verb in DOC_VERBS:
            return verb
    return None


def _imperative(words: list[str]) -> bool:
    first = words[0]
    if not first[:1].isupper() or not first.isalpha():
        return False
    verb = first.lower()
    if len(words) > 1 and words[1].lower() in _PREPOSITIONS:
        return False  # "Use in analytic subroutines", "Join + aggregation": not an order
    if verb in phrasing.VERBS or verb in DOC_VERBS:
        if verb in NOUNS_TOO and len(words) == 2:  # "Set membership", "Count distinct": nouns
            return words[1].lower() in _DETERMINERS or words[1].endswith("s")
        return len(words) > 1
    return len(words) > 2 and words[1].lower() in _DETERMINERS and not verb.endswith(("ing", "s"))


def _cap(prose: str) -> str:
    kept: list[str] = []
    words = 0
    for paragraph in paragraphs(prose):
        n = len(paragraph.split())
        if kept and words + n > MAX_ANSWER_WORDS:
            break
        kept.append(paragraph)
        words += n
    return "\n\n".join(kept)
