"""The CLI's output: plain lines, errors, progress bars (on a terminal only)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, NoReturn

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)

CORES = "all cores"
console = Console()
err_console = Console(stderr=True)


def say(text: str) -> None:
    """Print a plain line: no markup, no highlighting, never wrapped."""
    console.print(text, markup=False, highlight=False, soft_wrap=True)


def fail(message: str, code: int = 2) -> NoReturn:
    """Print ``ibert-mine: error: message`` on stderr and exit with ``code``."""
    err_console.print(
        f"ibert-mine: error: {message}", markup=False, highlight=False, soft_wrap=True
    )
    raise typer.Exit(code)


def progress(stream: Iterable[Any], total: int, label: str) -> Iterator[Any]:
    """A rich progress bar with an ETA on a terminal; nothing when piped or in CI."""
    with Progress(
        TextColumn(label),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("eta"),
        TimeRemainingColumn(),
        console=err_console,
        disable=not err_console.is_terminal,
        transient=True,
    ) as bar:
        task = bar.add_task(label, total=total)
        for result in stream:
            bar.advance(task)
            yield result
