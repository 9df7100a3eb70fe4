"""Time the history phase alone: walk a checkout's whole history and mine its fix commits.

Run: ``python bench/history.py CHECKOUT [--workers N] [--output FILE]``. Prints the
seconds of the walk (one ``git log`` process) and of mining the commits (worker
processes, blobs through ``git cat-file --batch``), the commits walked and mined, the git
examples (before dedup) and the reasons commits and functions were left out for.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path

from ibert_mine.core.config import Config
from ibert_mine.pipeline.counts import RejectCounts, declared_reasons
from ibert_mine.pipeline.history import mine_history
from ibert_mine.pipeline.run import default_workers
from ibert_mine.sources.resolve import resolve
from ibert_mine.tasks import selected

TASK = "error_resolution"


def main() -> None:
    """Run the history phase once on the checkout and print what it took and gave."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("checkout")
    parser.add_argument("--workers", type=int, default=default_workers())
    parser.add_argument("--output", type=Path, help="also write the examples here (JSONL)")
    args = parser.parse_args()
    config = Config(tasks=(TASK,), workers=args.workers)
    tasks = selected(config.tasks)
    rejects = RejectCounts(declared_reasons(tasks))
    start = time.perf_counter()
    found = mine_history([resolve(args.checkout)], tasks, config, rejects)
    total = time.perf_counter() - start
    examples = found.examples.get(TASK, [])
    print(f"{total:.1f} s with {args.workers} workers (stages: {found.seconds})")
    print(f"{found.walked} commits walked, {found.mined} mined, {len(examples)} git examples")
    print(json.dumps({"commits": found.skipped.of("commits"), TASK: rejects.of(TASK)}, indent=1))
    if args.output:
        with args.output.open("w", encoding="utf-8") as out:
            out.writelines(example.to_json() + "\n" for example in examples)


if __name__ == "__main__":
    main()
