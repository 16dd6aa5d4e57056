"""The goal fold does no I/O and reads no clock (DESIGN §2.7; peerlog.fold's own promise).

Checked three ways: the source of peerlog/fold/goals.py and peerlog/fold/progress.py (no imports
of file, process, network or clock modules, no open(), no datetime.now/today/utcnow), a fresh
interpreter (importing them does not import peerlog.store, Typer or Rich), and an audit hook
that sees no file, process or network event while a whole history is folded.
"""

from __future__ import annotations

import ast
import importlib.util
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from goal_support import T0, History

from peerlog.fold.goals import fold_goals
from peerlog.fold.progress import goal_progress

FOLD_MODULES = ("peerlog.fold.goals", "peerlog.fold.progress")
FORBIDDEN_MODULES = {
    "os",
    "pathlib",
    "io",
    "time",
    "subprocess",
    "socket",
    "shutil",
    "tempfile",
    "glob",
    "sys",
    "random",
    "secrets",
    "urllib",
    "http",
    "zoneinfo",
    "importlib",
    "peerlog.store",
    "peerlog.cli",
    "peerlog.actions",
    "peerlog.render",
    "typer",
    "rich",
}
FORBIDDEN_CALLS = {"open", "print", "input", "exec", "eval", "__import__", "breakpoint"}
CLOCK_READS = {"now", "today", "utcnow", "time", "time_ns", "monotonic", "perf_counter"}
FILE_METHODS = {"read_text", "read_bytes", "write_text", "write_bytes", "open", "mkdir", "unlink"}


def source_of(module: str) -> tuple[Path, ast.Module]:
    spec = importlib.util.find_spec(module)
    assert spec is not None and spec.origin is not None
    path = Path(spec.origin)
    return path, ast.parse(path.read_text(encoding="utf-8"), filename=str(path))


def _forbidden(name: str) -> bool:
    return any(name == m or name.startswith(m + ".") for m in FORBIDDEN_MODULES)


@pytest.mark.parametrize("module", FOLD_MODULES)
def test_the_fold_imports_nothing_that_touches_the_world(module: str) -> None:
    path, tree = source_of(module)
    imported = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            imported += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, f"{path}:{node.lineno}: relative import"
            imported.append(node.module or "")
    assert imported, "the parse found the imports"
    bad = sorted(name for name in imported if _forbidden(name))
    assert bad == [], f"{path} imports {bad}"


@pytest.mark.parametrize("module", FOLD_MODULES)
def test_the_fold_opens_no_file_and_reads_no_clock(module: str) -> None:
    path, tree = source_of(module)
    problems = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        if isinstance(func, ast.Name) and func.id in FORBIDDEN_CALLS:
            problems.append(f"{path}:{node.lineno}: {func.id}()")
        if isinstance(func, ast.Attribute):
            if func.attr in CLOCK_READS:
                problems.append(f"{path}:{node.lineno}: .{func.attr}() reads the clock")
            if func.attr in FILE_METHODS:
                problems.append(f"{path}:{node.lineno}: .{func.attr}() touches files")
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    assert not names & {"__builtins__", "globals", "environ"}, names
    assert problems == []


def test_the_checks_above_would_catch_a_clock_read() -> None:
    """The detectors work: a made-up module doing what the fold must not is caught."""
    tree = ast.parse(
        "import os\nfrom datetime import datetime, date\n"
        "def f():\n    open('x')\n    return datetime.now(), date.today()\n"
    )
    calls = [n for n in ast.walk(tree) if isinstance(n, ast.Call)]
    found = {n.func.id for n in calls if isinstance(n.func, ast.Name)}
    found |= {n.func.attr for n in calls if isinstance(n.func, ast.Attribute)}
    assert {"open", "now", "today"} <= found
    assert _forbidden("os") and _forbidden("peerlog.store.codec") and not _forbidden("ossify")


def test_importing_the_fold_does_not_import_storage_or_the_terminal() -> None:
    code = (
        "import sys\n"
        "import peerlog.fold.goals, peerlog.fold.progress\n"
        "bad = sorted(m for m in sys.modules if m.split('.')[0] in ('typer', 'rich')\n"
        "             or m == 'peerlog.store' or m.startswith('peerlog.store.')\n"
        "             or m.startswith(('peerlog.cli', 'peerlog.actions', 'peerlog.render')))\n"
        "print(','.join(bad))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""


class _Audit:
    """Records file, process and network events while `watching` (audit hooks cannot be removed,
    so the hook stays installed and simply ignores everything outside a test)."""

    watching = False
    events: list[tuple[str, str]] = []  # noqa: RUF012 (class-level on purpose: one hook)
    installed = False

    @classmethod
    def hook(cls, event: str, args: tuple[object, ...]) -> None:
        if cls.watching and event.split(".")[0] in {"open", "os", "socket", "subprocess", "shutil"}:
            cls.events.append((event, repr(args)[:120]))


@pytest.fixture
def audit() -> Iterator[type[_Audit]]:
    if not _Audit.installed:
        sys.addaudithook(_Audit.hook)
        _Audit.installed = True
    _Audit.events.clear()
    yield _Audit
    _Audit.watching = False


def test_folding_a_whole_history_touches_no_file(audit: type[_Audit], tmp_path: Path) -> None:
    h = History()
    goal = h.propose("sam", ("sam", "alex", "kim"), target="3/week", at=T0)
    h.accept("alex", goal, at=T0)
    h.decline("kim", goal, reason="later", at=T0)
    h.accept("kim", goal, at=T0 + timedelta(days=1))
    amend = h.amend("alex", goal, target="2/week")
    h.accept("sam", goal, terms=amend)
    for day in range(30):
        log = h.log(("sam", "alex", "kim")[day % 3], goal, 1, when=T0 + timedelta(days=day))
        if day % 7 == 0:
            h.delete(log.author, log)
    h.rest("kim", goal, (T0 + timedelta(days=10)).date(), (T0 + timedelta(days=12)).date())
    h.withdraw("kim", goal)
    h.complete("sam", goal)
    h.log("zed", goal, 5)
    records = list(h.records)
    now = datetime(2026, 12, 10, 9, 0, tzinfo=UTC)
    audit.watching = True
    try:
        goals = fold_goals(records, space="pair")
        progress = [goal_progress(g, now) for g in goals]
    finally:
        audit.watching = False
    assert audit.events == []
    assert goals[0].space == "pair"
    assert progress[0].kind == "cadence"
    # and the hook does see a file being opened
    audit.watching = True
    (tmp_path / "probe.txt").write_text("x")
    audit.watching = False
    assert any(event == "open" for event, _ in audit.events)
