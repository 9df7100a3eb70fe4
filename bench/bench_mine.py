"""Time the miners on the installed ibis package.

``--tasks static`` (default) times documentation + code_completion and compares with a
bare ``ast.parse`` of the same files (read + parse, one process). ``--tasks translation``
times ibis_to_sql + sql_to_ibis (extraction, then every distinct program compiled in all
dialects and executed in the sandbox). Run: ``python bench/bench_mine.py [--tasks T]
[--workers N] [--repeat K] [--record]``; ``--record`` appends to ``bench/results.md``.
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import platform
import statistics
import tempfile
import time
from pathlib import Path

from ibert_mine import api
from ibert_mine.pipeline.plan import plan
from ibert_mine.pipeline.run import default_workers
from ibert_mine.sources.files import read_text

TASK_SETS = {
    "static": ("documentation", "code_completion"),
    "translation": ("ibis_to_sql", "sql_to_ibis"),
}


def bare_parse(sources, config) -> tuple[float, int]:
    """Seconds to read and ``ast.parse`` every file the miners would read, in one process."""
    jobs = plan(sources, config).files
    start = time.perf_counter()
    for job in jobs:
        text = read_text(job.source.base, job.path)
        if hasattr(text, "text"):
            with contextlib.suppress(SyntaxError):
                ast.parse(text.text)
    return time.perf_counter() - start, len(jobs)


def mine_once(sources, workers: int, tasks: tuple[str, ...]) -> tuple[float, dict[str, int]]:
    """Seconds for one full ``mine`` (walk, parse, both miners, dedup, write) and the counts."""
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        config = api.make_config(tasks, output=Path(out), workers=workers)
        result = api.mine_to(sources, config)
        elapsed = time.perf_counter() - start
    return elapsed, {task: len(examples) for task, examples in result.examples.items()}


def main() -> None:
    """Run the benchmark and print (and optionally record) its figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--record", action="store_true", help="append to bench/results.md")
    parser.add_argument("--tasks", choices=sorted(TASK_SETS), default="static")
    args = parser.parse_args()
    tasks = TASK_SETS[args.tasks]
    sources = api.resolve_sources([])
    config = api.make_config(tasks, workers=args.workers)
    parse_s, n_files = bare_parse(sources, config)
    runs = [mine_once(sources, args.workers, tasks) for _ in range(args.repeat)]
    best = min(t for t, _ in runs)
    counts = ", ".join(f"{n} {t}" for t, n in runs[0][1].items())
    line = (
        f"| {sources[0].name} {sources[0].version} | {args.tasks} | {n_files} | {args.workers} "
        f"| {parse_s:.2f} | {best:.2f} (median {statistics.median(t for t, _ in runs):.2f}) "
        f"| {best / parse_s:.1f}x | {counts} | {platform.python_version()} |"
    )
    print(line)
    if args.record:
        results = Path(__file__).with_name("results.md")
        with results.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")


if __name__ == "__main__":
    main()
