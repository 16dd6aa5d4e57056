"""Run peerlog commands in-process under a Python audit hook that records every file opened.

Used by test_hardening_hostile_files.py as a script (never imported by the tests):

    python hardening_audit_driver.py PLAN.json RESULTS.jsonl

PLAN.json holds an optional warm-up case and a list of cases, each with its environment, its
commands, the folders it may
read (`allowed`) and the space folder (`space`). For every case one JSON line is appended to
RESULTS.jsonl (flushed at once, so a hang still shows how far it got): each command's exit code
and output, and every `open`/`scandir`/`listdir` that reached a file outside the allowed folders
or followed a link out of the space.
"""

from __future__ import annotations

import json
import os
import signal
import site
import sys
import sysconfig
import time
import traceback
from pathlib import Path
from typing import Any

COMMAND_TIMEOUT = 30  # seconds; a command that blocks (on a FIFO, say) fails instead of hanging

_events: list[tuple[str, str, int, str]] = []  # event, path, flags, the command running
_recording = False
_command = ""
# peerlog writes by walking folders with descriptors (`open(name, dir_fd=…)`), and the audit
# event carries no dir_fd: a bare name is taken as opened in the folder opened just before it
# (peerlog opens no path relative to the working directory).
_folder = ""
_DIRECTORY = getattr(os, "O_DIRECTORY", 0)


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if not _recording:
        return
    if event == "open":
        path, flags = args[0], args[2] if len(args) > 2 else 0
    elif event in ("os.scandir", "os.listdir"):
        path, flags = args[0] if args else ".", 0
    elif event == "sqlite3.connect":  # the index: SQLite opens its files itself
        path, flags = args[0], 0
        if path == ":memory:":
            return
    else:
        return
    if isinstance(path, int) or path is None:
        return  # an already open file descriptor
    try:
        text = os.fsdecode(path)
    except TypeError:
        return
    global _folder
    if event == "open" and not os.path.isabs(text) and os.sep not in text and _folder:
        text = os.path.join(_folder, text)
    if event == "open" and isinstance(flags, int) and flags & _DIRECTORY:
        _folder = text
    _events.append((event, text, flags if isinstance(flags, int) else 0, _command))


def _within(path: str, roots: list[str]) -> bool:
    return any(path == root or path.startswith(root.rstrip("/") + "/") for root in roots)


def _effective(event: str, path: str, flags: int) -> str:
    """The file the call really reaches: links resolved, except a final O_NOFOLLOW one."""
    absolute = os.path.abspath(path)
    if event == "open" and flags & getattr(os, "O_NOFOLLOW", 0):
        return os.path.join(os.path.realpath(os.path.dirname(absolute)), os.path.basename(absolute))
    return os.path.realpath(absolute)


def _python_roots() -> list[str]:
    import peerlog

    roots = {sys.prefix, sys.base_prefix, sys.exec_prefix, sys.base_exec_prefix}
    roots.update(sysconfig.get_paths().values())
    roots.update(site.getsitepackages())
    roots.add(str(Path(peerlog.__file__).resolve().parent))
    roots.update(p for p in sys.path if p and os.path.isdir(p) and p != os.getcwd())
    return sorted(os.path.realpath(r) for r in roots if r)


SYSTEM_FILES = ["/etc/localtime", "/usr/share/zoneinfo", "/dev/null", "/dev/urandom"]


def _violations(case: dict[str, Any], python_roots: list[str]) -> list[str]:
    allowed = [os.path.realpath(p) for p in case["allowed"]] + python_roots + SYSTEM_FILES
    space = os.path.realpath(case["space"])
    found: dict[str, list[str]] = {}
    for event, path, flags, command in _events:
        absolute = os.path.abspath(path)
        reached = _effective(event, path, flags)
        if _within(absolute, [space]) and not _within(reached, [space]):
            problem = f"{event} {absolute} followed a link out of the space to {reached}"
        elif not _within(reached, allowed):
            problem = f"{event} {absolute} reaches {reached}, outside what peerlog may read"
        else:
            continue
        if command not in found.setdefault(problem, []):
            found[problem].append(command)
    return [f"{problem} (in `{'`, `'.join(by)}`)" for problem, by in sorted(found.items())]


def _on_alarm(signum: int, frame: object) -> None:
    raise TimeoutError(f"the command took longer than {COMMAND_TIMEOUT} s (blocked?)")


def main() -> None:
    global _recording, _command
    plan_path, results_path = sys.argv[1], sys.argv[2]
    with open(plan_path, encoding="utf-8") as handle:
        plan = json.load(handle)

    from typer.testing import CliRunner

    from peerlog.cli.app import app

    python_roots = _python_roots()
    signal.signal(signal.SIGALRM, _on_alarm)
    sys.addaudithook(_hook)
    runner = CliRunner()
    # Warm up on a clean pair: every lazily imported module is loaded before anything counts.
    warmup = plan.get("warmup")
    if warmup is not None:
        for args in warmup["commands"]:
            runner.invoke(app, args, env=warmup["env"])

    with open(results_path, "a", encoding="utf-8") as out:
        for case in plan["cases"]:
            _events.clear()
            results = []
            for args in case["commands"]:
                started = time.perf_counter()
                _command = " ".join(args)
                _recording = True
                signal.alarm(COMMAND_TIMEOUT)
                try:
                    result = runner.invoke(app, args, env=case["env"], catch_exceptions=True)
                    code, stdout, stderr = result.exit_code, result.stdout, result.stderr
                    if result.exception is not None and not isinstance(
                        result.exception, SystemExit
                    ):
                        stderr += "".join(
                            traceback.format_exception(
                                type(result.exception),
                                result.exception,
                                result.exception.__traceback__,
                            )
                        )
                except BaseException as exc:  # the runner itself failed: report, go on
                    code, stdout, stderr = -1, "", "Traceback (driver)\n" + repr(exc)
                finally:
                    signal.alarm(0)
                    _recording = False
                results.append(
                    {
                        "args": args,
                        "code": code,
                        "stdout": stdout,
                        "stderr": stderr,
                        "seconds": round(time.perf_counter() - started, 3),
                    }
                )
            line = {
                "name": case["name"],
                "results": results,
                "violations": _violations(case, python_roots),
            }
            out.write(json.dumps(line) + "\n")
            out.flush()


if __name__ == "__main__":
    main()
