"""The delivery commands: ``concat`` (merge, check, split, decontaminate) and ``export``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from ibert_mine import api
from ibert_mine.api.options import check_output
from ibert_mine.cli import console as screen
from ibert_mine.core.config import DEFAULT_OUTPUT
from ibert_mine.pipeline.concat import ConcatError, ConcatResult, concat
from ibert_mine.pipeline.export import FORMATS, export
from ibert_mine.pipeline.report import build as build_report
from ibert_mine.pipeline.split import SPLIT_NAMES, parse_sizes
from ibert_mine.pipeline.write import write_lines_atomic
from ibert_mine.tasks.tags import TAGS
from ibert_mine.validate import check_record


def concat_command(
    input: Annotated[
        Path, typer.Option("--input", "-i", help="Folder of mined files.")
    ] = DEFAULT_OUTPUT,
    extra: Annotated[
        list[Path] | None,
        typer.Option("--extra", help="More JSONL to merge (repeatable).", show_default="none"),
    ] = None,
    output: Annotated[Path, typer.Option("--output", "-o")] = Path("data/train_complete.jsonl"),
    split: Annotated[
        bool,
        typer.Option("--split", help="Also write {train,valid,test}.jsonl beside --output."),
    ] = False,
    exclude: Annotated[
        list[Path] | None,
        typer.Option(
            "--exclude",
            help="An evaluation set (JSONL of records, or text): leave out every example"
            " sharing a token 10-gram or 50 characters with it (repeatable).",
            show_default="none",
        ),
    ] = None,
    split_sizes: Annotated[
        str, typer.Option("--split-sizes", help="Shares of train/valid/test, in examples.")
    ] = "90/5/5",
    exclude_tag: Annotated[
        list[str] | None,
        typer.Option(
            "--exclude-tag",
            help="Leave out records tagged TAG in meta.tags (repeatable), e.g. test_code.",
            show_default="none",
        ),
    ] = None,
) -> None:
    """Merge the mined files and any --extra JSONL into one training file."""
    for path in [input, *(extra or []), *(exclude or [])]:
        if not path.exists():
            screen.fail(f"no such file or folder: {path}")
    try:
        if output.is_dir():
            raise api.UsageError(f"--output {output} is a folder, not a file")
        check_output(output.parent)
        if split and output.stem in SPLIT_NAMES:
            raise api.UsageError(f"--output {output.name} is the name of a split's file")
        try:
            sizes = parse_sizes(split_sizes)
        except ValueError as err:
            raise api.UsageError(str(err)) from None
        tags = frozenset(exclude_tag or ())
        unknown = sorted(tags - set(dict(TAGS.values)))
        if unknown:
            raise api.UsageError(
                f"unknown tag {unknown[0]!r}; the tags are: {', '.join(dict(TAGS.values))}"
            )
        result = concat(
            input, list(extra or []), output, split=split, exclude_tags=tags,
            check=check_record, sizes=sizes, exclude=tuple(exclude or ()),
        )  # fmt: skip
    except api.UsageError as err:
        screen.fail(str(err))
    except ConcatError as err:
        screen.fail(str(err), code=1)
    _say_concat(result, output)


def _say_concat(result: ConcatResult, output: Path) -> None:
    """What concat left out and wrote; exit 1 when some lines were not valid records."""
    for line in [*result.problems, *result.duplicate_ids]:
        screen.say(line)
    left_out = ", ".join(f"{n} {t}" for t, n in sorted(result.excluded_by_tag.items()))
    tagged = f"; left out by tag: {left_out}" if left_out else ""
    screen.say(
        f"wrote {result.written} records to {output}"
        f" ({result.duplicates} duplicate ids skipped{tagged})"
    )
    for (task, source), count in sorted(result.decontaminated.items()):
        screen.say(f"  left out {count} {task}: they share text with {source}")
    for name, count in result.per_split.items():
        screen.say(f"  {name}: {count}")
    if result.bad:
        screen.fail(f"{result.bad} lines left out: not valid records (listed above)", code=1)


def export_command(
    directory: Annotated[Path, typer.Argument(help="Folder of mined files.")] = DEFAULT_OUTPUT,
    fmt: Annotated[str, typer.Option("--format", help="parquet, hf or chat.")] = "hf",
    output: Annotated[Path, typer.Option("--output", "-o")] = Path("data/export"),
    split_sizes: Annotated[str, typer.Option("--split-sizes")] = "90/5/5",
) -> None:
    """Write the mined files, split, as Parquet, a Hugging Face dataset folder, or chat."""
    if fmt not in FORMATS:
        screen.fail(f"unknown --format {fmt!r}; the formats are: {', '.join(FORMATS)}")
    if not directory.is_dir():
        screen.fail(f"no such folder: {directory}")
    try:
        check_output(output)
        counts = export(directory, fmt, output, parse_sizes(split_sizes))
    except (api.UsageError, ValueError) as err:
        screen.fail(str(err))
    screen.say(f"wrote {sum(counts.values())} examples to {output}/ as {fmt}")


def report_command(
    directory: Annotated[Path, typer.Argument(help="Folder of mined files.")] = DEFAULT_OUTPUT,
    output: Annotated[Path, typer.Option("--output", "-o")] = Path("report.html"),
) -> None:
    """Write one static HTML page showing the mined folder: counts, drops, lengths, examples."""
    if not directory.is_dir():
        screen.fail(f"no such folder: {directory}")
    try:
        check_output(output.parent)
    except api.UsageError as err:
        screen.fail(str(err))
    write_lines_atomic(output, [build_report(directory)])
    screen.say(f"wrote {output}")
