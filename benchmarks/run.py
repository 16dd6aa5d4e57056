"""peerlog against jrnl 4.6 on ten years of history: DESIGN §5, measured on whole processes.

    .venv/bin/python benchmarks/run.py              # full: 7 timed runs each, writes RESULTS.md
    .venv/bin/python benchmarks/run.py --quick      # smoke: one year of data, 2 runs, no file
    .venv/bin/python benchmarks/run.py --runs 11    # more runs

Run it with the Python that has peerlog installed. Everything happens under benchmarks/.work/
(or --work): a venv with jrnl 4.6 and jrnl's own config (XDG_CONFIG_HOME), the generated data
(generate.py, reused while it is recent), and a scratch copy for the commands that write. Every
command runs as a real process with stdin and stdout on /dev/null and HOME/XDG folders inside the
work folder, so the user's own peerlog home, cache and jrnl are never read or written.

Reads run on the generated data, warm (after one untimed warm-up round) or cold (the cache folder
deleted before each run). Writes (`write`, `goal log`, `checkin`) run on a fresh scratch copy, so
they never add records to the data the reads measure; its cache is first warmed by a few reads
once its folders have settled, as the cache of a home in use is. One read (`summary`) runs among
the writes, to show a warm read right after the space changed. Commands are run round-robin
within each group, so a burst of load on the machine spreads across them instead of landing on
one.
Peak memory is the child's max RSS from wait4().
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from common import (
    GENERATOR_VERSION,
    JRNL_VERSION,
    SEALED_SPACE,
    SPACE,
    Layout,
    default_peerlog,
    jrnl_env,
    peerlog_env,
    write_jrnl_config,
)

HERE = Path(__file__).resolve().parent
DEFAULT_WORK = HERE / ".work"
RESULTS = HERE / "RESULTS.md"
SEED = 2026
DATA_MAX_AGE_DAYS = 7  # older data is regenerated: `due` and `summary` look at recent weeks
RACY_SECONDS = 3.5  # peerlog trusts a cached folder once it is 3 s older than the scan
FLOOR = [sys.executable, "-c", "import typer"]  # DESIGN §5's floor, measured in the same run
EVERYDAY_MS = 100  # DESIGN §5's budget for everyday commands (or 2x the floor, if more)
WRITE_TEXT = ["Benchmark entry: walked along the river before work."]


@dataclass
class Bench:
    """One command to time."""

    key: str
    label: str
    argv: list[str]
    env: dict[str, str]
    budget_ms: float | None = None  # DESIGN §5, where it names this command
    budget_note: str = ""  # "" when the budget applies as written; else why it is indicative
    prepare: Callable[[], None] | None = None  # before every run (cold: delete the cache)
    times: list[float] = field(default_factory=list)  # wall seconds, timed runs only
    cpu: list[float] = field(default_factory=list)  # user + system seconds of the child
    rss: list[int] = field(default_factory=list)  # bytes

    @property
    def median_ms(self) -> float:
        return statistics.median(self.times) * 1000

    @property
    def min_ms(self) -> float:
        return min(self.times) * 1000

    @property
    def cpu_ms(self) -> float:
        return statistics.median(self.cpu) * 1000

    @property
    def peak_mb(self) -> float:
        return max(self.rss) / 2**20

    def verdict(self) -> str:
        if self.budget_ms is None:
            return ""
        return "pass" if self.median_ms <= self.budget_ms else "FAIL"


class CommandFailed(RuntimeError):
    pass


def log(message: str) -> None:
    print(message, file=sys.stderr, flush=True)


# --- running one process ----------------------------------------------------------------------


def run_once(argv: Sequence[str], env: dict[str, str], cwd: Path) -> tuple[float, float, int]:
    """Run one whole process with stdout on /dev/null: (wall seconds, CPU seconds, max RSS in
    bytes)."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(
            argv,
            env=env,
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=errors,
        )
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode != 0:
            errors.seek(0)
            message = errors.read().decode("utf-8", "replace").strip()
            raise CommandFailed(
                f"`{' '.join(argv)}` exited {process.returncode}:\n{message[-2000:]}"
            )
    cpu = usage.ru_utime + usage.ru_stime
    return elapsed, cpu, usage.ru_maxrss * 1024  # Linux reports kilobytes


def run_checked(argv: Sequence[str], env: dict[str, str], what: str) -> str:
    result = subprocess.run(
        list(argv),
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"{what} failed (exit {result.returncode}):\n{result.stderr.strip()}")
    return result.stdout


def measure(group: str, benches: Sequence[Bench], runs: int, cwd: Path) -> None:
    """One untimed warm-up round, then `runs` timed rounds, round-robin over `benches`."""
    for round_number in range(runs + 1):
        for bench in benches:
            if bench.prepare is not None:
                bench.prepare()
            elapsed, cpu, rss = run_once(bench.argv, bench.env, cwd)
            if round_number > 0:
                bench.times.append(elapsed)
                bench.cpu.append(cpu)
                bench.rss.append(rss)
        what = "warm-up" if round_number == 0 else f"run {round_number}/{runs}"
        log(f"  {group}: {what} done")


# --- setting up -------------------------------------------------------------------------------


def ensure_jrnl(work: Path) -> Path:
    """jrnl 4.6 in its own venv under the work folder (installed once with pip)."""
    venv = work / "jrnl-venv"
    jrnl = venv / "bin" / "jrnl"
    sandbox = work / "sandbox"
    if jrnl.exists():
        version = subprocess.run(
            [str(jrnl), "--version"],
            env=jrnl_env(sandbox, sandbox / "config"),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            check=False,
        ).stdout
        if f"v{JRNL_VERSION}" in version.split():
            return jrnl
    log(f"installing jrnl {JRNL_VERSION} into {venv} …")
    run_checked([sys.executable, "-m", "venv", "--clear", str(venv)], dict(os.environ), "venv")
    pip = [str(venv / "bin" / "python"), "-m", "pip", "install", "-q"]
    run_checked([*pip, f"jrnl=={JRNL_VERSION}"], dict(os.environ), "pip install jrnl")
    return jrnl


def ensure_data(
    folder: Path, *, years: int, jrnl: Path, peerlog: Path, regenerate: bool
) -> tuple[dict[str, Any], float | None]:
    """The generated data set (reused when it is recent and of this generator): (manifest,
    seconds generation took in this run, or None when reused)."""
    layout = Layout(folder)
    if layout.manifest.exists() and not regenerate:
        manifest = json.loads(layout.manifest.read_text(encoding="utf-8"))
        age = (date.today() - date.fromisoformat(manifest["end"])).days
        if (
            manifest.get("generator_version") == GENERATOR_VERSION
            and manifest.get("years") == years
            and manifest.get("seed") == SEED
            and 0 <= age <= DATA_MAX_AGE_DAYS
        ):
            log(f"reusing the data in {folder} (made {manifest['generated_at']})")
            return manifest, None
    if folder.exists():
        shutil.rmtree(folder)
    log(f"generating {years} years of data into {folder} …")
    start = time.perf_counter()
    command = [sys.executable, str(HERE / "generate.py"), str(folder), "--years", str(years)]
    command += ["--seed", str(SEED), "--jrnl", str(jrnl), "--peerlog", str(peerlog)]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, stdin=subprocess.DEVNULL)
    seconds = time.perf_counter() - start
    manifest = json.loads(layout.manifest.read_text(encoding="utf-8"))
    log(f"generated in {seconds:.1f} s")
    return manifest, seconds


def link_copy(source: Path, target: Path) -> None:
    """Copy a tree with hard links: records are never rewritten (DESIGN §2), config and cache
    files are replaced by rename, so the original data stays as it was."""
    shutil.copytree(source, target, copy_function=os.link, symlinks=True)


@dataclass(frozen=True)
class Scratch:
    """A throwaway copy for the commands that write."""

    root: Path
    sam_home: Path
    sam_cache: Path
    empty_home: Path
    empty_cache: Path
    sealed_home: Path  # Sam's home on the device that uses the sealed space
    sealed_cache: Path
    jrnl_full: Path  # config home of jrnl on a copy of the 7,300-entry journal
    jrnl_empty: Path  # config home of jrnl on an empty journal


def make_scratch(work: Path, data: Layout, peerlog: Path) -> Scratch:
    root = work / "scratch"
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    sandbox = root / "sandbox"
    scratch = Scratch(
        root=root,
        sam_home=root / "sam",
        sam_cache=root / "cache-sam",
        empty_home=root / "empty",
        empty_cache=root / "cache-empty",
        sealed_home=root / "sam-sealed",
        sealed_cache=root / "cache-sam-sealed",
        jrnl_full=root / "jrnl-full",
        jrnl_empty=root / "jrnl-empty",
    )
    # Sam's home and the spaces, with the home pointing at the copies of the spaces.
    space = root / "shared" / SPACE
    sealed_space = root / "shared" / SEALED_SPACE
    link_copy(data.sam_home, scratch.sam_home)
    link_copy(data.space, space)
    link_copy(data.sealed_homes[0], scratch.sealed_home)
    link_copy(data.sealed_space, sealed_space)
    for home, old, new in (
        (scratch.sam_home, data.space, space),
        (scratch.sealed_home, data.sealed_space, sealed_space),
    ):
        config = home / "config.toml"
        text = config.read_text(encoding="utf-8").replace(str(old), str(new))
        config.unlink()  # a new file, not a write through the hard link
        config.write_text(text, encoding="utf-8")
        os.chmod(config, 0o600)
    # An empty home with an empty space of its own.
    empty = peerlog_env(sandbox, scratch.empty_home, scratch.empty_cache)
    run_checked([str(peerlog), "init", "--name", "Empty"], empty, "peerlog init")
    empty_space = root / "shared" / "empty-space"
    create = [str(peerlog), "space", "create", str(empty_space), "--name", "empty"]
    run_checked(create, empty, "peerlog space create")
    sealed = [str(peerlog), "space", "create", str(root / "shared" / "empty-sealed"), "--sealed"]
    run_checked([*sealed, "--name", "empty-sealed"], empty, "peerlog space create --sealed")
    # jrnl writes to its own copies (it rewrites the whole file on every entry).
    journals = root / "jrnl"
    journals.mkdir()
    shutil.copyfile(data.journal_txt, journals / "journal.txt")
    (journals / "empty.txt").touch()
    write_jrnl_config(scratch.jrnl_full, {"default": journals / "journal.txt"})
    write_jrnl_config(scratch.jrnl_empty, {"default": journals / "empty.txt"})
    return scratch


def warm_scratch_cache(scratch: Scratch, data: Layout, peerlog: Path) -> None:
    """Read the scratch copy once, its folders settled, as a home in daily use has been: the
    index and the views the writes' commands use are then in its cache."""
    env = peerlog_env(data.root.parent / "sandbox", scratch.sam_home, scratch.sam_cache)
    for words in (["goal", "list"], ["due"], ["summary", "--space", SPACE]):
        run_checked([str(peerlog), *words], env, f"peerlog {' '.join(words)}")
    sealed = peerlog_env(data.root.parent / "sandbox", scratch.sealed_home, scratch.sealed_cache)
    run_checked([str(peerlog), "summary", "--space", SEALED_SPACE], sealed, "peerlog summary")


def wait_out_racy_window(*folders: Path) -> None:
    """Wait until the newest change under `folders` is old enough for peerlog's cache to trust
    it, so warm runs measure a settled cache rather than a re-listing."""
    newest = 0.0
    for folder in folders:
        for dirpath, _, _ in os.walk(folder):
            newest = max(newest, os.stat(dirpath).st_mtime)
    pause = newest + RACY_SECONDS - time.time()
    if pause > 0:
        time.sleep(pause)


# --- the benchmark plan -----------------------------------------------------------------------


def plan(
    data: Layout, scratch: Scratch, manifest: dict[str, Any], peerlog: Path, jrnl: Path
) -> dict[str, list[Bench]]:
    pl = str(peerlog)
    word = manifest["search_word"]
    sandbox = data.root.parent / "sandbox"
    sam = peerlog_env(sandbox, data.sam_home, data.sam_cache)
    scratch_sam = peerlog_env(sandbox, scratch.sam_home, scratch.sam_cache)
    empty = peerlog_env(sandbox, scratch.empty_home, scratch.empty_cache)
    sealed_sam = peerlog_env(sandbox, data.sealed_homes[0], data.sealed_caches[0])
    scratch_sealed = peerlog_env(sandbox, scratch.sealed_home, scratch.sealed_cache)
    jr = jrnl_env(sandbox, data.jrnl_config_home)

    def drop_cache() -> None:
        shutil.rmtree(data.sam_cache, ignore_errors=True)

    def drop_sealed_cache() -> None:
        shutil.rmtree(data.sealed_caches[0], ignore_errors=True)

    space = ["--space", SPACE]
    entries = f"{manifest['journal_entries']:,}"
    years = f"{manifest['years']}-year"
    all_note = f"§5 names the space; --all adds the {entries}-entry journal"
    entry = _some_entry_id(data.sam_home / "journal")
    warm = [
        Bench("floor", 'the floor: `python -c "import typer"`', FLOOR, sam),
        Bench("start", "start-up: `--version`", [pl, "--version"], sam),
        Bench("search", f"`search {word}`", [pl, "search", word], sam),
        Bench("list", "`list -n 10`", [pl, "list", "-n", "10"], sam, 100),
        Bench("list_tag", "`list --tag sleep`", [pl, "list", "--tag", "sleep"], sam, 100),
        Bench("list_since", "`list --since WHEN`", [pl, "list", "--since", "last month"], sam, 100),
        Bench("show", "`show ID`", [pl, "show", entry], sam, 100),
        Bench("tags", "`tags`", [pl, "tags"], sam),
        Bench("export", "`export --format json`", [pl, "export", "--format", "json"], sam),
        Bench("list_space", "`list -n 10 --space`", [pl, "list", "-n", "10", *space], sam, 100),
        Bench("search_space", f"`search {word} --space`", [pl, "search", word, *space], sam),
        Bench("summary_space", "`summary --space` warm", [pl, "summary", *space], sam, 300),
        Bench("summary_all", "`summary --all` warm", [pl, "summary", "--all"], sam, 300, all_note),
        Bench("due", "`due`", [pl, "due"], sam, 100),
    ]
    sealed_space = ["--space", SEALED_SPACE]
    warm.append(
        Bench(
            "list_sealed",
            "`list -n 10 --space` (sealed)",
            [pl, "list", "-n", "10", *sealed_space],
            sealed_sam,
            100,
        )
    )
    cold = [
        Bench(
            "summary_sealed_cold",
            f"`summary --space` cold ({years} sealed space)",
            [pl, "summary", *sealed_space],
            sealed_sam,
            4000,
            prepare=drop_sealed_cache,
        ),
        Bench(
            "summary_space_cold",
            "`summary --space` cold",
            [pl, "summary", *space],
            sam,
            3000,
            prepare=drop_cache,
        ),
        Bench(
            "summary_all_cold",
            "`summary --all` cold",
            [pl, "summary", "--all"],
            sam,
            3000,
            all_note,
            prepare=drop_cache,
        ),
    ]
    goal = manifest["walk_goal"]
    checkin = [pl, "checkin", *space, "--mood", "3", "--win", "benchmarked", "--need", "sleep"]
    writes = [
        # Timed among the writes, so that they are held to the floor of their own rounds
        Bench("floor_writes", "the floor, timed among the writes", FLOOR, scratch_sam),
        Bench(
            "write_space",
            f"`write --space` ({years} space)",
            [pl, "write", *space, *WRITE_TEXT],
            scratch_sam,
            100,
        ),
        Bench(
            "write_space_empty",
            "`write --space` (empty space)",
            [pl, "write", "--space", "empty", *WRITE_TEXT],
            empty,
            100,
        ),
        Bench(
            "write_sealed",
            f"`write --space` ({years} sealed space)",
            [pl, "write", *sealed_space, *WRITE_TEXT],
            scratch_sealed,
            100,
        ),
        Bench(
            "write_sealed_empty",
            "`write --space` (empty sealed space)",
            [pl, "write", "--space", "empty-sealed", *WRITE_TEXT],
            empty,
            100,
        ),
        Bench(
            "write_private",
            f"`write` ({entries}-entry journal)",
            [pl, "write", *WRITE_TEXT],
            scratch_sam,
            100,
        ),
        Bench(
            "write_private_empty", "`write` (empty journal)", [pl, "write", *WRITE_TEXT], empty, 100
        ),
        Bench("goal_log", "`goal log G`", [pl, "goal", "log", goal], scratch_sam, 100),
        Bench("checkin", "`checkin --space` with flags", checkin, scratch_sam, 100),
    ]
    jrnl_reads = [
        Bench("j_start", "`jrnl --version`", [str(jrnl), "--version"], jr),
        Bench("j_list", "`jrnl -n 10`", [str(jrnl), "-n", "10"], jr),
        Bench("j_search", f"`jrnl -contains {word}`", [str(jrnl), "-contains", word], jr),
        Bench("j_tags", "`jrnl --tags`", [str(jrnl), "--tags"], jr),
        Bench("j_export", "`jrnl --format json`", [str(jrnl), "--format", "json"], jr),
    ]
    after_write = Bench(
        "summary_after_write",
        "`summary --space` just after a write",
        [pl, "summary", *space],
        scratch_sam,
        300,
        "warm, but the space changed since the last read, as it does in everyday use",
    )
    jrnl_writes = [
        Bench(
            "j_write",
            f"`jrnl TEXT` ({entries} entries)",
            [str(jrnl), *WRITE_TEXT],
            jrnl_env(sandbox, scratch.jrnl_full),
        ),
        Bench(
            "j_write_empty",
            "`jrnl TEXT` (empty journal)",
            [str(jrnl), *WRITE_TEXT],
            jrnl_env(sandbox, scratch.jrnl_empty),
        ),
    ]
    return {
        "warm reads": warm + jrnl_reads,
        "cold reads": cold,
        "writes": [*writes, after_write, *jrnl_writes],
    }


def _some_entry_id(journal: Path) -> str:
    """The id of one entry from the middle of the journal (for `show ID`)."""
    names = sorted(p.stem for p in journal.rglob("*.md"))
    if not names:
        raise SystemExit(f"No entries under {journal}.")
    return names[len(names) // 2]


# --- reporting --------------------------------------------------------------------------------

# (peerlog bench, jrnl bench or None, target for jrnl ÷ peerlog or None)
ROWS: list[tuple[str, str | None, float | None]] = [
    ("floor", None, None),
    ("start", "j_start", None),
    ("list", "j_list", 3),
    ("list_tag", None, None),
    ("list_since", None, None),
    ("show", None, None),
    ("search", "j_search", 20),
    ("tags", "j_tags", 20),
    ("export", "j_export", 20),
    ("write_private", "j_write", None),
    ("write_private_empty", "j_write_empty", None),
    ("list_space", None, None),
    ("search_space", None, None),
    ("summary_space", None, None),
    ("summary_space_cold", None, None),
    ("list_sealed", None, None),
    ("summary_sealed_cold", None, None),
    ("summary_all", None, None),
    ("summary_all_cold", None, None),
    ("due", None, None),
    ("floor_writes", None, None),
    ("write_space", None, None),
    ("write_space_empty", None, None),
    ("write_sealed", None, None),
    ("write_sealed_empty", None, None),
    ("goal_log", None, None),
    ("checkin", None, None),
    ("summary_after_write", None, None),
]
MEMORY_BUDGET_MB = 150


def ms(value: float) -> str:
    return f"{value:,.0f} ms"


def mark(ok: bool) -> str:
    return "pass" if ok else "FAIL"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text(encoding="utf-8").splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def package_version(name: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(name)
    except PackageNotFoundError:
        return "not installed here"


def own_work_ms(command: Bench, start: Bench) -> float:
    """What `command` takes beyond start-up: the median of its time less `start`'s in each round.
    They run one after the other in every round, so a burst of load weighs on both of a pair;
    a difference of two medians would set one run's slow moment against another's quiet one."""
    if len(command.times) != len(start.times):
        raise SystemExit(f"`{command.label}` and `{start.label}` must be timed in the same rounds")
    return statistics.median(a - b for a, b in zip(command.times, start.times, strict=True)) * 1000


def report(
    benches: dict[str, Bench],
    *,
    manifest: dict[str, Any],
    runs: int,
    quick: bool,
    facts: dict[str, str],
) -> str:
    """The results as Markdown: the side-by-side table, the ratio targets, memory, machine."""
    lines = [
        "# peerlog benchmarks: ten years of history, against jrnl",
        "",
        f"Measured {facts['date']} with `{facts['command']}`"
        + (" (**quick smoke run: one year of data, not the real measurement**)" if quick else "")
        + ".",
        "",
        f"Data (benchmarks/generate.py, seed {manifest['seed']}): the pair space "
        f"`{manifest['space']}` holds {manifest['space_records']:,} records over "
        f"{manifest['years']} year(s) ({manifest['first_day']} to {manifest['end']}: "
        + ", ".join(f"{n:,} {k}" for k, n in manifest["space_counts"].items())
        + f"); Sam's private journal holds the same {manifest['journal_entries']:,} entries as "
        f"the jrnl {manifest['jrnl_version']} journal (a jrnl text journal of "
        f"{manifest['journal_bytes'] / 1e6:.1f} MB, exported with "
        "`jrnl --format json`, brought in with `peerlog import jrnl`).",
        "",
        f"Every number is the median of {runs} whole-process runs after one untimed warm-up, "
        "stdin and stdout on /dev/null; **cold** means peerlog's cache folder was deleted before "
        "each run. The commands that write run on a copy whose cache was warmed by reading it "
        "once, as the cache of a home in daily use is; each then runs right after the others, "
        "so it finds the folders just changed. *min* is the fastest run and *CPU* the median "
        "user + system time of the process, both less sensitive than the median to other work "
        "on the machine. Peak RSS is the largest max-RSS of the child over the runs. Budgets are "
        "DESIGN §5's (everyday commands 100 ms, or 2× the floor when that is more, the floor "
        "timed in the same rounds: the reads' or the writes'; summary "
        "300 ms warm, 3 s cold; search 50 ms of its own work beyond start-up, under Targets); "
        "a budget in parentheses is indicative, "
        "for a wider scope than §5 names.",
        "",
        "| command | peerlog median | min | CPU | §5 budget | | peak RSS | jrnl | jrnl median"
        " | jrnl ÷ peerlog |",
        "| --- | ---: | ---: | ---: | ---: | --- | ---: | --- | ---: | ---: |",
    ]
    for key, jrnl_key, _target in ROWS:
        bench = benches[key]
        budget, verdict = "", ""
        if bench.budget_ms is not None:
            budget = ms(bench.budget_ms)
            verdict = bench.verdict()
            if bench.budget_note:
                budget, verdict = f"({budget})", f"({verdict})"
        jrnl_cells = ["", "", ""]
        if jrnl_key is not None:
            other = benches[jrnl_key]
            ratio = other.median_ms / bench.median_ms
            jrnl_cells = [other.label, ms(other.median_ms), f"{ratio:.2f}×"]
        cells = [
            bench.label,
            ms(bench.median_ms),
            ms(bench.min_ms),
            ms(bench.cpu_ms),
            budget,
            verdict,
            f"{bench.peak_mb:.0f} MB",
            *jrnl_cells,
        ]
        lines.append("| " + " | ".join(cells) + " |")
    lines += ["", "## Targets", "", "| measure | value | target | |", "| --- | ---: | ---: | --- |"]
    for key, jrnl_key, target in ROWS:
        if jrnl_key is None or target is None:
            continue
        ratio = benches[jrnl_key].median_ms / benches[key].median_ms
        label = benches[key].label
        lines.append(
            f"| jrnl ÷ peerlog, {label} | {ratio:.2f}× | ≥ {target}× | {mark(ratio >= target)} |"
        )
    for key in ("search", "search_space"):  # its own work: beyond start-up, in the same run
        own = own_work_ms(benches[key], benches["start"])
        label = f"{benches[key].label}: its own work (median of each round's − `--version`'s)"
        lines.append(f"| {label} | {ms(own)} | ≤ 50 ms | {mark(own <= 50)} |")
    entries, years = f"{manifest['journal_entries']:,}", f"{manifest['years']}-year"
    for mine, empty, what in (
        ("write_space", "write_space_empty", f"`write --space`: {years} space ÷ empty space"),
        ("write_private", "write_private_empty", f"`write`: {entries}-entry journal ÷ empty"),
    ):
        ratio = benches[mine].median_ms / benches[empty].median_ms
        lines.append(f"| {what} | {ratio:.2f} | ≤ 1.2 | {mark(ratio <= 1.2)} |")
    for sealed, plain, what in (
        ("write_sealed", "write_space", f"`write --space`: sealed ÷ unsealed ({years} space)"),
        ("write_sealed_empty", "write_space_empty", "`write --space`: sealed ÷ unsealed (empty)"),
    ):
        ratio = benches[sealed].median_ms / benches[plain].median_ms
        lines.append(f"| {what} | {ratio:.2f} | ≤ 1.3 | {mark(ratio <= 1.3)} |")
    jrnl_growth = benches["j_write"].median_ms / benches["j_write_empty"].median_ms
    lines.append(
        f"| (for contrast) jrnl write: {entries} entries ÷ empty | {jrnl_growth:.2f} | | |"
    )
    memory = ("summary_space", "summary_space_cold", "summary_sealed_cold", "summary_all")
    for key in (*memory, "summary_all_cold"):
        bench = benches[key]
        peak = bench.peak_mb
        verdict = mark(peak <= MEMORY_BUDGET_MB)
        if bench.budget_note:
            verdict = f"({verdict})"
        lines.append(
            f"| peak memory, {bench.label} | {peak:.0f} MB | ≤ {MEMORY_BUDGET_MB} MB | {verdict} |"
        )
    lines += [
        "",
        "## Machine and run",
        "",
        *(f"- {name}: {value}" for name, value in facts.items() if name not in ("date", "command")),
        "",
    ]
    return "\n".join(lines)


# --- main -------------------------------------------------------------------------------------


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="peerlog against jrnl on ten years of history.")
    parser.add_argument("--runs", type=int, help="timed runs per command (default 7; quick: 2)")
    parser.add_argument("--quick", action="store_true", help="smoke run: 1 year of data, 2 runs")
    parser.add_argument("--work", type=Path, default=DEFAULT_WORK, help="the work folder")
    parser.add_argument("--regenerate", action="store_true", help="make the data anew")
    parser.add_argument("--peerlog", type=Path, help="the peerlog executable to measure")
    parser.add_argument(
        "--out", type=Path, help=f"where to write the results (default {RESULTS}; quick: none)"
    )
    args = parser.parse_args(argv)
    runs = args.runs or (2 if args.quick else 7)
    if runs < 1:
        parser.error("--runs must be at least 1")
    if importlib.util.find_spec("peerlog") is None:
        raise SystemExit(
            "Run this with the Python that has peerlog installed, e.g. "
            ".venv/bin/python benchmarks/run.py"
        )
    started = time.perf_counter()
    load_before = os.getloadavg()
    work = args.work.absolute()
    work.mkdir(parents=True, exist_ok=True)
    peerlog = (args.peerlog or default_peerlog()).absolute()
    jrnl = ensure_jrnl(work)
    years = 1 if args.quick else 10
    folder = work / ("data-quick" if args.quick else "data")
    manifest, generated = ensure_data(
        folder, years=years, jrnl=jrnl, peerlog=peerlog, regenerate=args.regenerate
    )
    data = Layout(folder)
    scratch = make_scratch(work, data, peerlog)
    wait_out_racy_window(data.root, scratch.root)
    warm_scratch_cache(scratch, data, peerlog)
    groups = plan(data, scratch, manifest, peerlog, jrnl)
    for name, group in groups.items():
        log(f"{name}: {len(group)} commands × ({runs} runs + 1 warm-up)")
        try:
            measure(name, group, runs, scratch.root)
        except CommandFailed as exc:
            raise SystemExit(f"benchmark failed: {exc}") from None
    benches = {b.key: b for group in groups.values() for b in group}
    # DESIGN §5: an everyday command within 100 ms here, or within 2x the floor of this run,
    # timed in the same rounds as the command (a burst of load then weighs on both).
    for group in groups.values():
        floors = [b for b in group if b.argv == FLOOR]
        for bench in group:
            if bench.budget_ms == EVERYDAY_MS:
                if not floors:
                    raise SystemExit(f"`{bench.label}` has a floor budget but no floor beside it")
                bench.budget_ms = max(EVERYDAY_MS, 2 * floors[0].median_ms)
    elapsed = time.perf_counter() - started
    load_after = os.getloadavg()
    peerlog_version = run_checked([str(peerlog), "--version"], dict(os.environ), "version")
    command = "python benchmarks/run.py" + (" --quick" if args.quick else "")
    if args.runs:
        command += f" --runs {args.runs}"
    generation = (
        f"{generated:.1f} s in this run"
        if generated is not None
        else f"reused (it took {manifest['seconds']['total']} s when made)"
    )
    facts = {
        "date": datetime.now().astimezone().strftime("%Y-%m-%d %H:%M %Z"),
        "command": command,
        "CPU": f"{os.cpu_count()} × {cpu_model()}",
        "OS": platform.platform(),
        "Python": f"{platform.python_version()} ({sys.executable})",
        "peerlog": f"{peerlog_version.strip()} ({peerlog}); Typer {package_version('typer')}",
        "jrnl": f"{JRNL_VERSION} ({jrnl})",
        "load average (1 min) before / after": f"{load_before[0]:.2f} / {load_after[0]:.2f}",
        "data generation": generation,
        "whole benchmark run": f"{elapsed:.0f} s",
    }
    text = report(benches, manifest=manifest, runs=runs, quick=args.quick, facts=facts)
    print(text)
    out = args.out or (None if args.quick else RESULTS)
    if out is not None:
        out.write_text(text, encoding="utf-8")
        log(f"wrote {out}")


if __name__ == "__main__":
    main()
