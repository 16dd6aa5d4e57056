"""A transient progress bar for long imports, shown only on a terminal."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn


@contextmanager
def import_progress() -> Iterator[Callable[[int, int], None]]:
    """Yield an update(done, total) function driving a bar that disappears when done."""
    columns = (TextColumn("importing"), BarColumn(), MofNCompleteColumn())
    with Progress(*columns, transient=True) as progress:
        task = progress.add_task("import", total=None)

        def update(done: int, total: int) -> None:
            progress.update(task, completed=done, total=total)

        yield update
