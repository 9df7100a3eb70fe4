"""The ``ibert-mine`` command line: parses options, calls the pipeline, prints with rich."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

from ibert_mine import api
from ibert_mine.core.config import DEFAULT_INCLUDE, DEFAULT_MAX_BYTES, DEFAULT_OUTPUT, WalkRules
from ibert_mine.pipeline import stats as stats_module
from ibert_mine.pipeline.concat import ConcatError, concat
from ibert_mine.pipeline.run import default_workers
from ibert_mine.sources.resolve import SourceError
from ibert_mine.tasks.record_schema import json_schema
from ibert_mine.validate import validate_files

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Mine verified training examples for iBERT from code that uses Ibis.",
)
console = Console()
err_console = Console(stderr=True)


def _say(text: str) -> None:
    """Print a plain line: no markup, no highlighting, never wrapped."""
    console.print(text, markup=False, highlight=False, soft_wrap=True)


def _fail(message: str, code: int = 2) -> NoReturn:
    err_console.print(
        f"ibert-mine: error: {message}", markup=False, highlight=False, soft_wrap=True
    )
    raise typer.Exit(code)


def _progress(stream: Iterable[Any], total: int, label: str) -> Iterator[Any]:
    """A rich progress bar on a terminal; nothing at all when output is piped or in CI."""
    with Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err_console,
        disable=not err_console.is_terminal,
        transient=True,
    ) as bar:
        task = bar.add_task("files", total=total)
        for result in stream:
            bar.advance(task)
            yield result


@app.command()
def mine(
    source: Annotated[
        list[str] | None,
        typer.Option(
            "--source", "-s", help="Folder, git checkout or installed package [default: ibis]."
        ),
    ] = None,
    task: Annotated[
        list[str] | None,
        typer.Option("--task", "-t", help="Task to mine (repeatable) [default: all]."),
    ] = None,
    output: Annotated[Path, typer.Option("--output", "-o", help="Output folder.")] = DEFAULT_OUTPUT,
    workers: Annotated[
        int | None, typer.Option("--workers", "-w", min=1, help="Processes [default: cores].")
    ] = None,
    dialect: Annotated[
        list[str] | None, typer.Option("--dialect", help="SQL dialect for translation tasks.")
    ] = None,
    include: Annotated[
        list[str] | None, typer.Option("--include", help="Glob of files to read (repeatable).")
    ] = None,
    exclude: Annotated[
        list[str] | None, typer.Option("--exclude", help="Glob of files to skip (repeatable).")
    ] = None,
    max_bytes: Annotated[
        int, typer.Option("--max-bytes", min=1, help="Skip files larger than this.")
    ] = DEFAULT_MAX_BYTES,
    schema: Annotated[
        list[Path] | None,
        typer.Option(
            "--schema",
            help="SQL DDL file (CREATE TABLE ...) with schemas of tables the sources read"
            " but do not define, e.g. TPC-DS's tools/tpcds.sql (repeatable).",
        ),
    ] = None,
) -> None:
    """Mine examples and write <task>_mined.jsonl files and manifest.json."""
    try:
        sources = api.resolve_sources(source or [])
        rules = WalkRules(tuple(include or DEFAULT_INCLUDE), tuple(exclude or ()), max_bytes)
        config = api.make_config(
            task or [], output, workers or default_workers(), rules, dialect or [], schema or []
        )
    except (SourceError, api.UsageError) as err:
        _fail(str(err))
    result = api.mine_to(sources, config, progress=_progress)
    names = ", ".join(s.name for s in sources)
    counts = ", ".join(f"{len(v)} {k}" for k, v in result.examples.items())
    skipped = sum(result.files_skipped.values())
    _say(
        f"mined {counts} from {result.files_mined} files of {names}"
        f" ({skipped} skipped, {result.rejects.total()} candidates rejected) -> {output}"
    )


@app.command()
def validate(
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders.")] = None,
    execute: Annotated[
        bool, typer.Option("--execute", help="Recompile and re-execute translation pairs.")
    ] = False,
    sample: Annotated[
        int | None, typer.Option("--sample", min=1, help="With --execute: re-run N records only.")
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", "-w", min=1, help="Sandbox processes [default: cores]."),
    ] = None,
) -> None:
    """Check records against the schema and the per-task rules; exit 1 on any invalid record."""
    targets = paths or [DEFAULT_OUTPUT]
    for path in targets:
        if not path.exists():
            _fail(f"no such file or folder: {path}")
    report = validate_files(targets, execute, sample, workers or default_workers())
    for problem in report.problems:
        _say(problem)
    per_task = ", ".join(f"{n} {t}" for t, n in sorted(report.per_task.items()))
    executed = f"; {report.executed} translation records re-executed" if execute else ""
    _say(
        f"{report.records} records ({per_task}): {len(report.problems)} problems;"
        f" provenance unchecked for {report.unchecked_provenance}{executed}"
    )
    if not report.ok:
        raise typer.Exit(1)


@app.command("concat")
def concat_command(
    input: Annotated[
        Path, typer.Option("--input", "-i", help="Folder of mined files.")
    ] = DEFAULT_OUTPUT,
    extra: Annotated[
        list[Path] | None, typer.Option("--extra", help="More JSONL to merge (repeatable).")
    ] = None,
    output: Annotated[Path, typer.Option("--output", "-o")] = Path("data/train_complete.jsonl"),
    split: Annotated[
        bool, typer.Option("--split", help="Also write split/{train,valid,test}.jsonl.")
    ] = False,
) -> None:
    """Merge the mined files and any --extra JSONL into one training file."""
    for path in [input, *(extra or [])]:
        if not path.exists():
            _fail(f"no such file or folder: {path}")
    try:
        result = concat(input, list(extra or []), output, split=split)
    except ConcatError as err:
        _fail(str(err), code=1)
    _say(f"wrote {result.written} records to {output} ({result.duplicates} duplicate ids skipped)")
    for name, count in result.per_split.items():
        _say(f"  {name}: {count}")


@app.command()
def stats(
    directory: Annotated[Path, typer.Argument(help="Folder of mined files.")] = DEFAULT_OUTPUT,
    explain: Annotated[
        bool, typer.Option("--explain", help="Print what each reject and skip reason means.")
    ] = False,
) -> None:
    """Counts per task, origin and dialect; rejected candidates and skipped files by reason."""
    if not directory.is_dir():
        _fail(f"no such folder: {directory}")
    for table in stats_module.tables(stats_module.collect(directory), explain=explain):
        console.print(table)


@app.command()
def schema() -> None:
    """Print the JSON Schema of one example record."""
    console.print_json(json.dumps(json_schema()))


if __name__ == "__main__":
    app()
