"""Helpers for the goal tests: record builders for the pure fold, and members driving the CLI.

Plain functions and classes (no fixtures) so hypothesis strategies and fixtures can both use them.
"""

from __future__ import annotations

import dataclasses
import itertools
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any, TypeVar

import cli_driver
from peerlog.fold.goals import GoalView, fold_goals
from peerlog.records import Deletion, Record, new_record_id
from peerlog.records.goals import (
    GoalAccept,
    GoalAmend,
    GoalComplete,
    GoalDecline,
    GoalLog,
    GoalProposal,
    GoalReopen,
    GoalRest,
    GoalWithdraw,
)
from peerlog.store import decode_record

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)  # a Monday
DEVICES = {
    "sam": "aaaaaaaaaaaaaaaa",
    "alex": "bbbbbbbbbbbbbbbb",
    "kim": "cccccccccccccccc",
    "ria": "dddddddddddddddd",
    "jo": "eeeeeeeeeeeeeeee",
    "zed": "ffffffffffffffff",
}

_serial = itertools.count(1)
R = TypeVar("R", bound=Record)


def fresh_id(at: datetime = T0) -> str:
    """A valid record id, different on every call, sorting by `at`."""
    return new_record_id(at, next(_serial).to_bytes(10, "big"))


def envelope(
    author: str, clock: int, created: datetime, record_id: str | None = None
) -> dict[str, Any]:
    return {
        "id": record_id or fresh_id(created),
        "author": author,
        "device": DEVICES[author],
        "clock": clock,
        "created": created,
    }


def _id(value: Record | str) -> str:
    return value if isinstance(value, str) else value.id


@dataclass
class History:
    """A growing set of goal records with a Lamport-like clock: each record is one tick later.

    `created` defaults to T0 plus one minute per tick; pass `at=` to place a record in time.
    """

    records: list[Record] = field(default_factory=list)
    clock: int = 0

    def _env(self, author: str, at: datetime | None, clock: int | None) -> dict[str, Any]:
        if clock is None:
            self.clock += 1
            clock = self.clock
        else:
            self.clock = max(self.clock, clock)
        created = at or T0 + timedelta(minutes=clock)
        return envelope(author, clock, created)

    def _add(self, record: R) -> R:
        self.records.append(record)
        return record

    def propose(
        self,
        author: str,
        participants: Sequence[str],
        *,
        title: str = "Walk together",
        target: str = "",
        why: str = "",
        at: datetime | None = None,
        clock: int | None = None,
    ) -> GoalProposal:
        return self._add(
            GoalProposal(
                **self._env(author, at, clock),
                title=title,
                why=why,
                target=target,
                participants=tuple(sorted(set(participants))),
            )
        )

    def amend(
        self,
        author: str,
        goal: Record | str,
        *,
        title: str = "Walk together",
        target: str = "",
        why: str = "",
        at: datetime | None = None,
        clock: int | None = None,
    ) -> GoalAmend:
        return self._add(
            GoalAmend(
                **self._env(author, at, clock), goal=_id(goal), title=title, why=why, target=target
            )
        )

    def accept(
        self,
        author: str,
        goal: Record | str,
        terms: Record | str | None = None,
        *,
        at: datetime | None = None,
        clock: int | None = None,
    ) -> GoalAccept:
        return self._add(
            GoalAccept(**self._env(author, at, clock), goal=_id(goal), terms=_id(terms or goal))
        )

    def decline(
        self,
        author: str,
        goal: Record | str,
        terms: Record | str | None = None,
        *,
        reason: str = "",
        at: datetime | None = None,
        clock: int | None = None,
    ) -> GoalDecline:
        return self._add(
            GoalDecline(
                **self._env(author, at, clock),
                goal=_id(goal),
                terms=_id(terms or goal),
                body=reason,
            )
        )

    def log(
        self,
        author: str,
        goal: Record | str,
        amount: float = 1.0,
        *,
        when: datetime | None = None,
        note: str = "",
        at: datetime | None = None,
        clock: int | None = None,
    ) -> GoalLog:
        env = self._env(author, at, clock)
        return self._add(
            GoalLog(**env, goal=_id(goal), amount=amount, when=when or env["created"], body=note)
        )

    def rest(
        self,
        author: str,
        goal: Record | str,
        start: date,
        until: date,
        *,
        at: datetime | None = None,
        clock: int | None = None,
    ) -> GoalRest:
        return self._add(
            GoalRest(**self._env(author, at, clock), goal=_id(goal), start=start, until=until)
        )

    def complete(
        self,
        author: str,
        goal: Record | str,
        *,
        at: datetime | None = None,
        clock: int | None = None,
    ) -> GoalComplete:
        return self._add(GoalComplete(**self._env(author, at, clock), goal=_id(goal)))

    def reopen(
        self,
        author: str,
        goal: Record | str,
        *,
        at: datetime | None = None,
        clock: int | None = None,
    ) -> GoalReopen:
        return self._add(GoalReopen(**self._env(author, at, clock), goal=_id(goal)))

    def withdraw(
        self,
        author: str,
        goal: Record | str,
        *,
        at: datetime | None = None,
        clock: int | None = None,
    ) -> GoalWithdraw:
        return self._add(GoalWithdraw(**self._env(author, at, clock), goal=_id(goal)))

    def delete(
        self,
        author: str,
        target: Record | str,
        *,
        at: datetime | None = None,
        clock: int | None = None,
    ) -> Deletion:
        return self._add(Deletion(**self._env(author, at, clock), target=_id(target)))

    def goals(self, records: Sequence[Record] | None = None) -> tuple[GoalView, ...]:
        return fold_goals(self.records if records is None else records)

    def view(self, goal: Record | str) -> GoalView:
        """The fold of every record so far, for one goal."""
        (found,) = [g for g in self.goals() if g.id == _id(goal)]
        return found


# --- the CLI, one member on one machine -----------------------------------------------------

CLI_NOW = cli_driver.FIXED_NOW  # a Saturday


class GoalMember(cli_driver.Person):
    """One person on one machine (the shared CLI driver), with the goal commands' shortcuts."""

    def propose(self, *args: str, now: datetime = CLI_NOW) -> str:
        """`goal propose ...`: the new goal's id."""
        return self.saved_goal("goal", "propose", *args, now=now)

    def show(self, goal: str, now: datetime = CLI_NOW) -> dict[str, Any]:
        data = self.json("goal", "show", goal, now=now)
        assert isinstance(data, dict)
        return data

    def list(self, *args: str, now: datetime = CLI_NOW) -> list[dict[str, Any]]:
        data = self.json("goal", "list", *args, now=now)
        assert isinstance(data, list)
        return data


def record_files(root: Path) -> dict[str, tuple[Path, Record]]:
    """Every record file under `root/members`, by record id, decoded."""
    found = {}
    for path in sorted((root / "members").rglob("*.md")):
        record = decode_record(path.read_bytes())
        found[record.id] = (path, record)
    return found


def owner_folder(root: Path, path: Path) -> tuple[str, str]:
    """(member, device) folder a record file sits in: members/<member>/<device>/yyyy/mm/id.md."""
    parts = path.relative_to(root / "members").parts
    assert len(parts) == 5, parts
    return parts[0], parts[1]


def without_logs(goal: GoalView) -> GoalView:
    """A goal as the goal-states view holds it: no logs, and none in its history."""
    return dataclasses.replace(
        goal,
        logs=(),
        history=tuple(e for e in goal.history if not isinstance(e, GoalLog)),
        refused=tuple(e for e in goal.refused if not isinstance(e, GoalLog)),
    )
