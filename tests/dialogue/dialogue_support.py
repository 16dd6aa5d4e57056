"""Helpers for the dialogue tests (check-ins, replies, agreements, due, resources, help-now).

People on their own machines drive the CLI in-process (with a simulated terminal when asked);
record builders feed the pure folds. Deliberately not `conftest.py` and with a unique name, so
it never shadows another folder's helpers (pytest's default "prepend" import mode).
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

from typer.testing import Result

import cli_driver
from peerlog.records import Deletion, Profile, Record, Reply, new_record_id
from peerlog.records.dialogue import Agreement, Checkin, Helped, Resource
from peerlog.records.goals import GoalAccept, GoalAmend, GoalComplete, GoalLog, GoalProposal
from peerlog.store import decode_record

HOSTILE = cli_driver.HOSTILE
FIXED_NOW = cli_driver.FIXED_NOW  # Saturday 2026-11-21 10:15 UTC

ID = cli_driver.ID
assert_terminal_safe = cli_driver.assert_terminal_safe

R = TypeVar("R", bound=Record)


# --- people driving the CLI --------------------------------------------------------------------


class Person(cli_driver.Person):
    """One member on one machine (the shared CLI driver), with the dialogue's shortcuts."""

    def journal_folder(self) -> Path:
        return self.home / "journal"

    def device_folder(self, shared: Path) -> Path:
        """This person's device folder in the space at `shared`."""
        return shared / "members" / self.member / self.device

    # writing commands that report an id

    def checkin(self, *args: str, **kwargs: Any) -> str:
        return saved(self.ok("checkin", *args, **kwargs), "check-in")

    def reply(self, target: str, text: str, **kwargs: Any) -> str:
        return saved(self.ok("reply", target, text, **kwargs), "reply")

    def resource(self, *args: str, **kwargs: Any) -> str:
        return saved(self.ok("resource", "add", *args, **kwargs), "resource")

    def propose(self, *args: str, **kwargs: Any) -> str:
        return self.saved_goal("goal", "propose", *args, **kwargs)


def saved(result: Result, kind: str) -> str:
    """The id from a "Saved <kind> <id>" confirmation."""
    assert result.exit_code == 0, (result.exit_code, result.stdout, result.stderr)
    match = re.search(rf"Saved {kind} ({ID})\b", result.stdout)
    assert match, result.stdout
    return match.group(1)


# --- files on disk -----------------------------------------------------------------------------


def records_under(folder: Path) -> list[tuple[Path, Record]]:
    """Every record file under `folder` (decoded), sorted by path."""
    if not folder.exists():
        return []
    return [(p, decode_record(p.read_bytes())) for p in sorted(folder.rglob("*.md"))]


def of_type(folder: Path, kind: type[R]) -> list[R]:
    return [r for _, r in records_under(folder) if isinstance(r, kind)]


def path_of(folder: Path, record_id: str) -> Path:
    found = list(folder.rglob(f"{record_id}.md"))
    assert len(found) == 1, (record_id, found)
    return found[0]


# --- records for the pure folds -----------------------------------------------------------------

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # a Monday
DEVICES = {
    "sam": "aaaaaaaaaaaaaaaa",
    "alex": "bbbbbbbbbbbbbbbb",
    "kim": "cccccccccccccccc",
}
_serial = itertools.count(1)


@dataclass
class Script:
    """Records as members would write them: each one clock tick after the last.

    `created` is T0 plus one minute per tick unless `at=` places a record in time.
    """

    records: list[Record] = field(default_factory=list)
    clock: int = 0

    def _env(self, author: str, at: datetime | None) -> dict[str, Any]:
        self.clock += 1
        created = at or T0 + timedelta(minutes=self.clock)
        return {
            "id": new_record_id(created, next(_serial).to_bytes(10, "big")),
            "author": author,
            "device": DEVICES[author],
            "clock": self.clock,
            "created": created,
        }

    def add(self, record: R) -> R:
        self.records.append(record)
        return record

    def join(self, author: str, *, at: datetime | None = None) -> Profile:
        return self.add(Profile(**self._env(author, at), name=author.title()))

    def agree(self, author: str, value: str, *, at: datetime | None = None) -> Agreement:
        return self.add(Agreement(**self._env(author, at), topic="cadence", value=value))

    def checkin(self, author: str, *, at: datetime | None = None, **fields: Any) -> Checkin:
        fields.setdefault("mood", 3)
        return self.add(Checkin(**self._env(author, at), **fields))

    def reply(self, author: str, target: Record, *, at: datetime | None = None) -> Reply:
        return self.add(Reply(**self._env(author, at), target=target.id, body="thinking of you"))

    def propose(
        self,
        author: str,
        participants: tuple[str, ...],
        *,
        title: str = "Walk together",
        target: str = "",
        at: datetime | None = None,
    ) -> GoalProposal:
        return self.add(
            GoalProposal(
                **self._env(author, at),
                title=title,
                target=target,
                participants=tuple(sorted(set(participants))),
            )
        )

    def amend(
        self, author: str, goal: Record, *, title: str, target: str = "", at: datetime | None = None
    ) -> GoalAmend:
        return self.add(
            GoalAmend(**self._env(author, at), goal=goal.id, title=title, target=target)
        )

    def accept(
        self, author: str, goal: Record, terms: Record | None = None, *, at: datetime | None = None
    ) -> GoalAccept:
        return self.add(GoalAccept(**self._env(author, at), goal=goal.id, terms=(terms or goal).id))

    def log(
        self, author: str, goal: Record, amount: float = 1.0, *, at: datetime | None = None
    ) -> GoalLog:
        env = self._env(author, at)
        return self.add(GoalLog(**env, goal=goal.id, amount=amount, when=env["created"]))

    def complete(self, author: str, goal: Record, *, at: datetime | None = None) -> GoalComplete:
        return self.add(GoalComplete(**self._env(author, at), goal=goal.id))

    def resource(self, author: str, title: str, *, tags: tuple[str, ...] = ()) -> Resource:
        return self.add(Resource(**self._env(author, None), title=title, tags=tags))

    def helped(self, author: str, resource: Record) -> Helped:
        return self.add(Helped(**self._env(author, None), target=resource.id))

    def delete(self, author: str, target: Record) -> Deletion:
        return self.add(Deletion(**self._env(author, None), target=target.id))
