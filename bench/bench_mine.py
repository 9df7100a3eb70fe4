"""Time the documentation and code_completion miners on the installed ibis package.

Compares with a bare ``ast.parse`` of the same files (read + parse, one process) and
prints the ratio. Run: ``python bench/bench_mine.py [--workers N] [--repeat K]``.
The figures of a run are appended to ``bench/results.md`` with ``--record``.
"""

from __future__ import annotations

import argparse
import ast
import platform
import statistics
import tempfile
import time
from pathlib import Path

from ibert_mine import api
from ibert_mine.pipeline.run import default_workers, plan
from ibert_mine.sources.files import read_text

TASKS = ("documentation", "code_completion")


def bare_parse(sources, config) -> tuple[float, int]:
    """Seconds to read and ``ast.parse`` every file the miners would read, in one process."""
    jobs, _ = plan(sources, config)
    start = time.perf_counter()
    for job in jobs:
        text = read_text(job.source.base, job.path)
        if hasattr(text, "text"):
            try:
                ast.parse(text.text)
            except SyntaxError:
                pass
    return time.perf_counter() - start, len(jobs)


def mine_once(sources, workers: int) -> tuple[float, dict[str, int]]:
    """Seconds for one full ``mine`` (walk, parse, both miners, dedup, write) and the counts."""
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        config = api.make_config(TASKS, output=Path(out), workers=workers)
        result = api.mine_to(sources, config)
        elapsed = time.perf_counter() - start
    return elapsed, {task: len(examples) for task, examples in result.examples.items()}


def main() -> None:
    """Run the benchmark and print (and optionally record) its figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--record", action="store_true", help="append to bench/results.md")
    args = parser.parse_args()
    sources = api.resolve_sources([])
    config = api.make_config(TASKS, workers=args.workers)
    parse_s, n_files = bare_parse(sources, config)
    runs = [mine_once(sources, args.workers) for _ in range(args.repeat)]
    best = min(t for t, _ in runs)
    counts = runs[0][1]
    line = (
        f"| {sources[0].name} {sources[0].version} | {n_files} | {args.workers} "
        f"| {parse_s:.2f} | {best:.2f} (median {statistics.median(t for t, _ in runs):.2f}) "
        f"| {best / parse_s:.1f}x | {counts['documentation']} | {counts['code_completion']} "
        f"| {platform.python_version()} |"
    )
    print("| source | files | workers | bare ast.parse s (1 proc) | mine s | ratio | doc | completion | python |")
    print(line)
    if args.record:
        results = Path(__file__).with_name("results.md")
        with results.open("a", encoding="utf-8") as handle:
            handle.write(line + "\n")


if __name__ == "__main__":
    main()
