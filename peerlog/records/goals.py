"""Goal records and goal targets.

A goal is proposed once (`goal`); everything after is an event naming it in its `goal` field:
amendments (new terms, a full snapshot), acceptances and declines of a set of terms, progress
logs, rest periods, completion votes, reopenings and withdrawals. Undoing a log is a `deletion`
of it by its author. Pure: no I/O, no clock.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date, datetime
from typing import Any, ClassVar, TypeGuard

from peerlog.classes import dataclass
from peerlog.errors import UsageError
from peerlog.records.model import SHORT_MAX, InvalidRecord, Record
from peerlog.records.names import is_member_id

TITLE_MAX = SHORT_MAX  # what a record's reader accepts (records/model.py)
MAX_AMOUNT = 1_000_000


@dataclass(frozen=True, slots=True)
class Target:
    """What a goal aims at: a total (`10 sessions`) or a cadence (`3/week`). None: a milestone."""

    amount: float
    unit: str  # "" when not given
    period: str | None  # None for a total; "day", "week" or "month" for a cadence

    def __str__(self) -> str:
        amount = f"{self.amount:g}"
        unit = f" {self.unit}" if self.unit else ""
        return f"{amount}{unit}/{self.period}" if self.period else f"{amount}{unit}"


_TARGET_RE = re.compile(
    r"(?P<amount>\d{1,9}(?:\.\d{1,9})?)\s*(?P<unit>[^\W\d][\w -]*?)?\s*"
    r"(?:(?:/|\bper\b|\ba\b|\bevery\b)\s*(?P<period>day|week|month)s?)?",
    re.IGNORECASE,
)
_PERIOD_WORDS = {"daily": "day", "weekly": "week", "monthly": "month"}


def parse_target(text: str) -> Target:
    """`10`, `10 sessions`, `3/week`, `1/day`, `2 walks per week`, `3 weekly`. UsageError if not."""
    cleaned = " ".join(text.strip().split())
    period_word: str | None = None
    for word, named in _PERIOD_WORDS.items():
        if cleaned.lower().endswith(" " + word) or cleaned.lower() == word:
            period_word = named
            cleaned = cleaned[: -len(word)].strip()
    match = _TARGET_RE.fullmatch(cleaned)
    if not match:
        raise UsageError(
            f"Could not understand the target '{text}'.",
            hint="Use a total like 10 or '10 sessions', or a cadence like 3/week, 1/day, 2/month.",
        )
    amount = float(match["amount"])
    if not 0 < amount <= MAX_AMOUNT:
        raise UsageError(f"A target must be more than 0 and at most {MAX_AMOUNT:,}.")
    period = str(match["period"] or "").lower() or period_word
    if match["period"] and period_word:
        raise UsageError(f"The target '{text}' names two periods.")
    return Target(amount=amount, unit=(match["unit"] or "").strip(), period=period)


def check_title(title: str) -> str:
    cleaned = " ".join(title.split())
    if not cleaned:
        raise UsageError("A goal needs a title.", hint='For example: peerlog goal propose "Walk".')
    if len(cleaned) > TITLE_MAX:
        raise UsageError(f"A goal's title is at most {TITLE_MAX} characters.")
    return cleaned


@dataclass(frozen=True, slots=True, kw_only=True)
class GoalTerms(Record):
    """Fields shared by a proposal and an amendment: the terms everyone agrees to."""

    title: str
    why: str = ""
    target: str = ""  # as the member wrote it; parse_target reads it
    by: datetime | None = None


@dataclass(frozen=True, slots=True, kw_only=True)
class GoalProposal(GoalTerms):
    """A goal proposed for named participants (the proposer among them)."""

    TYPE: ClassVar[str] = "goal"
    PAYLOAD: ClassVar[tuple[str, ...]] = ("title", "why", "target", "by", "participants")

    participants: tuple[str, ...]


@dataclass(frozen=True, slots=True, kw_only=True)
class GoalEvent(Record):
    """Anything that happens to a goal after it is proposed.

    `goal_by` names the goal's proposer (a goal is known by its proposer and id together);
    records written before it existed leave it empty."""

    PAYLOAD: ClassVar[tuple[str, ...]] = ("goal", "goal_by")

    goal: str
    goal_by: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class GoalAmend(GoalTerms):
    """New terms for a goal; the old ones stand until every participant accepts these."""

    TYPE: ClassVar[str] = "goal-amend"
    PAYLOAD: ClassVar[tuple[str, ...]] = ("goal", "goal_by", "title", "why", "target", "by")

    goal: str
    goal_by: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class GoalAccept(GoalEvent):
    TYPE: ClassVar[str] = "goal-accept"
    PAYLOAD: ClassVar[tuple[str, ...]] = ("goal", "goal_by", "terms", "terms_by")

    terms: str  # the id of the proposal or amendment accepted
    terms_by: str = ""  # who proposed those terms


@dataclass(frozen=True, slots=True, kw_only=True)
class GoalDecline(GoalEvent):
    """A "no" to a set of terms; the body holds the reason, if one was given."""

    TYPE: ClassVar[str] = "goal-decline"
    PAYLOAD: ClassVar[tuple[str, ...]] = ("goal", "goal_by", "terms", "terms_by")

    terms: str
    terms_by: str = ""


@dataclass(frozen=True, slots=True, kw_only=True)
class GoalLog(GoalEvent):
    """Progress: an amount on a day; the body is the note."""

    TYPE: ClassVar[str] = "goal-log"
    PAYLOAD: ClassVar[tuple[str, ...]] = ("goal", "goal_by", "amount", "date")

    amount: float
    when: datetime


@dataclass(frozen=True, slots=True, kw_only=True)
class GoalRest(GoalEvent):
    """A rest: days from `start` to `until` (inclusive) never count as misses."""

    TYPE: ClassVar[str] = "goal-rest"
    PAYLOAD: ClassVar[tuple[str, ...]] = ("goal", "goal_by", "start", "until")

    start: date
    until: date


@dataclass(frozen=True, slots=True, kw_only=True)
class GoalComplete(GoalEvent):
    """A vote that the goal is done; it is done when every participant has voted."""

    TYPE: ClassVar[str] = "goal-complete"


@dataclass(frozen=True, slots=True, kw_only=True)
class GoalReopen(GoalEvent):
    """Not done after all: clears every completion vote before it."""

    TYPE: ClassVar[str] = "goal-reopen"


@dataclass(frozen=True, slots=True, kw_only=True)
class GoalWithdraw(GoalEvent):
    """Stepping back from a goal (accepting it again rejoins). The body is the reason."""

    TYPE: ClassVar[str] = "goal-withdraw"


GOAL_TYPES: tuple[type[Record], ...] = (
    GoalProposal,
    GoalAmend,
    GoalAccept,
    GoalDecline,
    GoalLog,
    GoalRest,
    GoalComplete,
    GoalReopen,
    GoalWithdraw,
)


def payload_of(cls: type[Record], fields: Mapping[str, Any]) -> dict[str, Any]:
    """Validated payload for a goal record class. Raises InvalidRecord."""
    from peerlog.records.model import read_datetime, read_id, read_optional_member, read_short

    payload: dict[str, Any] = {}
    if issubclass(cls, GoalEvent | GoalAmend):
        payload["goal"] = read_id(fields, "goal")
        payload["goal_by"] = read_optional_member(fields, "goal_by")
    if issubclass(cls, GoalTerms):
        payload["title"] = read_short(fields, "title")
        payload["why"] = _optional_str(fields, "why")
        payload["target"] = _optional_str(fields, "target")
        payload["by"] = read_datetime(fields, "by") if "by" in fields else None
    if cls is GoalProposal:
        people = fields.get("participants")
        if (
            not isinstance(people, list)
            or not people
            or not all(isinstance(p, str) and is_member_id(p) for p in people)
        ):
            raise InvalidRecord("'participants' must be a list of member ids")
        payload["participants"] = tuple(sorted(set(people)))
    if cls in (GoalAccept, GoalDecline):
        payload["terms"] = read_id(fields, "terms")
        payload["terms_by"] = read_optional_member(fields, "terms_by")
    if cls is GoalLog:
        amount = fields.get("amount")
        if not isinstance(amount, int | float) or isinstance(amount, bool):
            raise InvalidRecord("'amount' must be a number")
        if not -MAX_AMOUNT <= amount <= MAX_AMOUNT or amount != amount:
            raise InvalidRecord("'amount' is out of range")
        payload["amount"] = float(amount)
        payload["when"] = read_datetime(fields, "date")
    if cls is GoalRest:
        start, until = fields.get("start"), fields.get("until")
        if not (_is_date(start) and _is_date(until)):
            raise InvalidRecord("'start' and 'until' must be dates")
        if until < start:
            raise InvalidRecord("'until' is before 'start'")
        payload["start"], payload["until"] = start, until
    return payload


def _is_date(value: object) -> TypeGuard[date]:
    from peerlog.records.model import YEAR_MAX, YEAR_MIN

    return (
        isinstance(value, date)
        and not isinstance(value, datetime)
        and YEAR_MIN <= value.year <= YEAR_MAX
    )


def _optional_str(fields: Mapping[str, Any], key: str) -> str:
    value = fields.get(key, "")
    if not isinstance(value, str) or len(value) > 10_000:
        raise InvalidRecord(f"'{key}' must be text")
    return value


TYPE_NAMES = {cls.TYPE: cls for cls in GOAL_TYPES}
