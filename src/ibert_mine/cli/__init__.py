"""The ``ibert-mine`` command line: parses options, calls the API, prints with rich.

Exit codes: 0 done; 1 the work found a problem (invalid records, nothing to mine, a bad
line in concat's input); 2 the command was wrong (an option, a path, an unwritable output)
and nothing was done.
"""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Annotated

import typer

from ibert_mine import api
from ibert_mine.api.options import check_output
from ibert_mine.cli import console as screen
from ibert_mine.cli import delivery
from ibert_mine.cli.console import CORES
from ibert_mine.core import VERSION
from ibert_mine.core.config import DEFAULT_MAX_BYTES, DEFAULT_OUTPUT
from ibert_mine.core.layout import MANIFEST
from ibert_mine.pipeline import stats as stats_module
from ibert_mine.pipeline.run import default_workers
from ibert_mine.sources.resolve import SourceError
from ibert_mine.tasks.record_schema import json_schema
from ibert_mine.validate import validate_files

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Mine verified training examples for iBERT from code that uses Ibis.",
)


def _version(value: bool) -> None:
    if value:
        screen.say(f"ibert-mine {VERSION}")
        raise typer.Exit()


@app.callback()
def main(
    version: Annotated[
        bool,
        typer.Option("--version", callback=_version, is_eager=True, help="Print the version."),
    ] = False,
) -> None:
    """Mine verified training examples for iBERT from code that uses Ibis."""


@app.command()
def mine(
    source: Annotated[
        list[str] | None,
        typer.Option(
            "--source",
            "-s",
            help="Folder, git checkout, single file or installed package (repeatable).",
            show_default="ibis, the installed package",
        ),
    ] = None,
    task: Annotated[
        list[str] | None,
        typer.Option(
            "--task", "-t", help="Task to mine (repeatable).", show_default="every mined task"
        ),
    ] = None,
    output: Annotated[
        Path, typer.Option("--output", "-o", help="Output folder, relative to the current one.")
    ] = DEFAULT_OUTPUT,
    workers: Annotated[
        int | None,
        typer.Option("--workers", "-w", min=1, help="Processes.", show_default=CORES),
    ] = None,
    dialect: Annotated[
        list[str] | None,
        typer.Option(
            "--dialect", help="SQL dialect of translation tasks.", show_default="12 dialects"
        ),
    ] = None,
    include: Annotated[
        list[str] | None,
        typer.Option(
            "--include",
            help="Glob of files to read (repeatable).",
            show_default="*.py, *.qmd, *.md, *.ipynb",
        ),
    ] = None,
    exclude: Annotated[
        list[str] | None,
        typer.Option("--exclude", help="Glob of files to skip (repeatable).", show_default="none"),
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
            show_default="none",
        ),
    ] = None,
    keep_excluded: Annotated[
        bool,
        typer.Option(
            "--keep-excluded",
            help="Also write every example dedup dropped, with its reason, to"
            " <output>/excluded/<task>.jsonl.",
        ),
    ] = False,
) -> None:
    """Mine examples; write <task>_mined.jsonl files, manifest.json and timings.json."""
    start = time.perf_counter()
    try:
        check_output(output)
        mined = api.mine(
            source or [], tasks=task or [], workers=workers, dialects=dialect or [],
            include=include or [], exclude=exclude or [], max_bytes=max_bytes,
            schema=schema or [], output=output, keep_excluded=keep_excluded,
            progress=screen.progress,
        )  # fmt: skip
    except (SourceError, api.UsageError) as err:
        screen.fail(str(err))
    except api.NothingToMine as err:
        screen.fail(f"{err}; nothing was written", code=1)
    folder = mined.write()
    names = ", ".join(s.name for s in mined.sources)
    counts = ", ".join(f"{len(v)} {k}" for k, v in mined.examples.items())
    skipped = sum(mined.files_skipped.values())
    threads = mined.run.exports.get("threads")
    screen.say(
        f"mined {counts} from {mined.files_mined} files"
        + (f" and {threads} threads of exports" if threads is not None else "")
        + f" of {names}"
        f" ({skipped} skipped, {mined.rejects.total()} candidates rejected)"
    )
    screen.say(f"wrote {folder}/ in {time.perf_counter() - start:.1f} s")


@app.command()
def validate(
    paths: Annotated[
        list[Path] | None,
        typer.Argument(help="Files or folders.", show_default=str(DEFAULT_OUTPUT)),
    ] = None,
    execute: Annotated[
        bool, typer.Option("--execute", help="Re-run translation pairs and executed mistakes.")
    ] = False,
    sample: Annotated[
        int | None,
        typer.Option(
            "--sample", min=1, help="With --execute: re-run N records only.", show_default="all"
        ),
    ] = None,
    workers: Annotated[
        int | None,
        typer.Option("--workers", "-w", min=1, help="Sandbox processes.", show_default=CORES),
    ] = None,
) -> None:
    """Check records against the schema and the per-task rules; exit 1 on any invalid record."""
    targets = paths or [DEFAULT_OUTPUT]
    for path in targets:
        if not path.exists():
            screen.fail(f"no such file or folder: {path}")
    report = validate_files(targets, execute, sample, workers or default_workers())
    if not report.records and not report.problems:
        screen.fail(f"no records found in {', '.join(map(str, targets))}", code=1)
    for problem in report.problems:
        screen.say(problem)
    per_task = ", ".join(f"{n} {t}" for t, n in sorted(report.per_task.items()))
    executed = f"; {report.executed} records re-run in the sandbox" if execute else ""
    screen.say(
        f"{report.records} records ({per_task}): {len(report.problems)} problems;"
        f" provenance unchecked for {report.unchecked_provenance}{executed}"
    )
    if not report.ok:
        raise typer.Exit(1)


app.command("concat")(delivery.concat_command)
app.command("export")(delivery.export_command)
app.command("report")(delivery.report_command)


@app.command()
def stats(
    directory: Annotated[Path, typer.Argument(help="Folder of mined files.")] = DEFAULT_OUTPUT,
    explain: Annotated[
        bool, typer.Option("--explain", help="Print what each reject and skip reason means.")
    ] = False,
    skipped: Annotated[
        bool, typer.Option("--skipped", help="List every skipped file with its reason.")
    ] = False,
) -> None:
    """Counts per task, origin and dialect; rejected candidates and skipped files by reason."""
    if not directory.is_dir():
        screen.fail(f"no such folder: {directory}")
    if not (directory / MANIFEST).is_file():
        screen.fail(f"no {MANIFEST} in {directory}: not a folder ibert-mine mine wrote")
    found = stats_module.collect(directory)
    for table in stats_module.tables(found, explain=explain):
        screen.console.print(table)
    if skipped:
        screen.console.print(stats_module.skipped_table(found))


@app.command()
def schema() -> None:
    """Print the JSON Schema of one example record, with every meta key explained."""
    screen.console.print_json(json.dumps(json_schema()))


if __name__ == "__main__":
    app()
