"""The Python API, mirroring the CLI: ``mine(...)`` runs, ``Mined.write()`` writes, ``load`` reads.

Every CLI option is a keyword argument with the CLI's default, checked at the call (a
``ValueError`` with the CLI's message):

>>> import pathlib, tempfile
>>> import ibert_mine
>>> folder = pathlib.Path(tempfile.mkdtemp())
>>> code = 'def area(w, h):\\n    "Return the area of a w by h rectangle."\\n    return w * h\\n'
>>> _ = (folder / "shapes.py").write_text(code)
>>> mined = ibert_mine.mine(folder, tasks="documentation", workers=1)
>>> [example.target["docstring"] for example in mined.examples["documentation"]]
['Return the area of a w by h rectangle.']
>>> out = mined.write(folder / "out")
>>> sorted(path.name for path in out.iterdir())
['documentation_mined.jsonl', 'manifest.json', 'timings.json']
>>> [example.id for example in ibert_mine.load(out)] == [example.id for example in mined]
True
>>> ibert_mine.mine(folder, workers=0)
Traceback (most recent call last):
...
ibert_mine.api.options.UsageError: --workers must be a whole number of at least 1, not 0
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

from ibert_mine import tasks as task_registry
from ibert_mine.api.options import (
    PathLike,
    UsageError,
    check_config,
    check_output,
    make_config,
    resolve_sources,
    walk_rules,
)
from ibert_mine.core.config import DEFAULT_MAX_BYTES, DEFAULT_OUTPUT, Config
from ibert_mine.core.example import Example
from ibert_mine.core.layout import (
    MANIFEST,
    TIMINGS,
    excluded_path,
    mined_path,
    read_manifest,
    task_files,
)
from ibert_mine.pipeline import manifest
from ibert_mine.pipeline.counts import RejectCounts
from ibert_mine.pipeline.dedup import Dropped
from ibert_mine.pipeline.progress import Progress
from ibert_mine.pipeline.run import NothingToMine, RunResult, run
from ibert_mine.pipeline.write import write_examples, write_json_atomic, write_lines_atomic
from ibert_mine.sources.resolve import Source

__all__ = ["Mined", "NothingToMine", "UsageError", "load", "make_config", "mine", "mine_to"]


@dataclass(slots=True)
class Mined:
    """What :func:`mine` gave: examples per task, rejects, files, seconds per stage.

    Iterating it gives every example, task by task; :meth:`write` puts the files where the
    CLI does.
    """

    sources: list[Source]
    config: Config
    run: RunResult
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def examples(self) -> dict[str, list[Example]]:
        """Examples per task, in output order."""
        return self.run.examples

    @property
    def rejects(self) -> RejectCounts:
        """Rejected candidates per task and job stage, by reason."""
        return self.run.rejects

    @property
    def files_mined(self) -> int:
        """How many files were read and mined."""
        return self.run.files_mined

    @property
    def files_skipped(self) -> dict[str, int]:
        """Skipped files, by reason (each one is in ``run.skipped_paths``)."""
        return self.run.files_skipped

    def __iter__(self) -> Iterator[Example]:
        for examples in self.run.examples.values():
            yield from examples

    def write(self, output: PathLike | None = None) -> Path:
        """Write ``<task>_mined.jsonl`` for the mined tasks (other tasks' files are left as
        they are), ``manifest.json`` (merged with the previous one) and ``timings.json``
        under ``output`` (default: the config's, ``data/mining/multitask``)."""
        folder = check_output(self.config.output if output is None else output)
        clock = time.perf_counter()
        for task, examples in self.run.examples.items():
            write_examples(mined_path(folder, task), examples)
            if self.config.keep_excluded:
                lines = (
                    json.dumps(_excluded(d), ensure_ascii=False) for d in self.run.excluded[task]
                )
                write_lines_atomic(excluded_path(folder, task), lines)
        previous = read_manifest(folder)
        built = manifest.build(previous, self.sources, self.config, self.run)
        write_json_atomic(folder / MANIFEST, built)
        self.seconds = {**self.run.seconds, "write": time.perf_counter() - clock}
        write_json_atomic(folder / TIMINGS, {k: round(v, 3) for k, v in self.seconds.items()})
        return folder


def _excluded(dropped: Dropped) -> dict[str, object]:
    """An excluded example's line: the record, and why it was left out for which other."""
    why = {"reason": dropped.reject.key, "kept": dropped.kept}
    return {**dropped.example.to_dict(), "excluded": why}


def mine(
    sources: PathLike | Sequence[PathLike] = (),
    *,
    tasks: str | Sequence[str] = (),
    workers: int | None = None,
    dialects: str | Sequence[str] = (),
    include: str | Sequence[str] = (),
    exclude: str | Sequence[str] = (),
    max_bytes: int = DEFAULT_MAX_BYTES,
    schema: PathLike | Sequence[PathLike] = (),
    output: PathLike = DEFAULT_OUTPUT,
    keep_excluded: bool = False,
    config: Config | None = None,
    progress: Progress | None = None,
) -> Mined:
    """Mine ``sources`` (a folder, a git checkout, a file, an installed package's name, or a
    list of them; default: the installed ``ibis``) as ``ibert-mine mine`` does.

    The options are the CLI's, with its defaults (``workers``: every core). A ready
    :class:`~ibert_mine.Config` may be given instead of them. Raises ``UsageError`` or
    ``SourceError`` (both ``ValueError``) for bad arguments before any work, and
    :class:`NothingToMine` when the sources hold no file to mine.
    """
    chosen = resolve_sources(sources)
    if config is None:
        schema_files = [schema] if isinstance(schema, str | Path) else list(schema)
        rules = walk_rules(include, exclude, max_bytes)
        config = make_config(tasks, output, workers, rules, dialects, schema_files)
        config = replace(config, keep_excluded=keep_excluded)
    else:
        config = check_config(config)
    return Mined(chosen, config, run(chosen, config, progress=progress))


def mine_to(
    sources: Sequence[Source], config: Config, progress: Progress | None = None
) -> RunResult:
    """Mine already resolved ``sources`` with ``config`` and write under ``config.output``."""
    mined = Mined(list(sources), config, run(sources, config, progress=progress))
    mined.write()
    return mined.run


def load(folder: PathLike = DEFAULT_OUTPUT) -> Iterator[Example]:
    """The examples of a mined folder's ``<task>_mined.jsonl`` files, task by task."""
    for path in task_files(Path(folder), task_registry.names()):
        with path.open(encoding="utf-8") as handle:
            for line in handle:
                if line.strip():
                    yield Example.from_dict(json.loads(line))
