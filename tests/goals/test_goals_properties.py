"""The goal fold is a function of the set of records (DESIGN §2.7), checked with hypothesis.

Arbitrary histories over 2–5 members and 1–3 goals: proposals for some of the members, amendments,
answers to terms that exist, will arrive later, or never will, logs (with amounts that do not add
up the same in every order), rests, completion votes, reopenings, withdrawals, deletions by a log's
author or by someone else, and events by people who are not participants. Clocks and ids are
random. Whatever order the records arrive in, however they are split across two syncs, and however
often one is delivered, `fold_goals` and `goal_progress` give the same answer.
"""

from __future__ import annotations

import dataclasses
import json
import math
from datetime import UTC, datetime, timedelta, timezone

import pytest
from goal_support import T0, envelope, without_logs
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from peerlog.fold.goals import GoalView, fold_goals
from peerlog.fold.progress import Earlier, detail_edge, exact_sum, goal_progress, sums_before
from peerlog.records import Deletion, Record, is_record_id, new_record_id
from peerlog.records.goals import (
    GoalAccept,
    GoalAmend,
    GoalComplete,
    GoalDecline,
    GoalEvent,
    GoalLog,
    GoalProposal,
    GoalReopen,
    GoalRest,
    GoalWithdraw,
)
from peerlog.render.json import goal_json
from peerlog.store import decode_record, encode_record

MEMBERS = ("sam", "alex", "kim", "ria", "jo")
KINDS = (
    "amend",
    "amend",
    "accept",
    "accept",
    "accept",
    "accept",
    "decline",
    "log",
    "log",
    "log",
    "rest",
    "complete",
    "complete",
    "reopen",
    "withdraw",
    "withdraw",
    "delete",
    "delete",
)
TARGETS = ("", "10", "10 sessions", "3/week", "1/day", "2/month", "2 walks per week", "???")
AMOUNTS = (1.0, 2.0, 0.1, 0.2, 0.3, 0.7, 2.5, -1.0, 1e-9, 1000.0)
ZONES = (UTC, timezone(timedelta(hours=5, minutes=30)), timezone(timedelta(hours=-8)))
NOWS = (
    datetime(2026, 12, 20, 12, 0, tzinfo=UTC),
    datetime(2027, 1, 31, 23, 30, tzinfo=timezone(timedelta(hours=-8))),
    datetime(2026, 11, 9, 0, 15, tzinfo=timezone(timedelta(hours=5, minutes=30))),
)
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)

moments = st.builds(
    lambda minutes, zone: (T0 + timedelta(minutes=minutes)).astimezone(zone),
    st.integers(min_value=-3 * 24 * 60, max_value=80 * 24 * 60),
    st.sampled_from(ZONES),
)


@st.composite
def histories(draw: st.DrawFn) -> list[Record]:
    """A set of goal records, each with a unique valid id, in no particular order."""
    members = MEMBERS[: draw(st.integers(min_value=2, max_value=5))]
    n_goals = draw(st.integers(min_value=1, max_value=3))
    kinds = draw(st.lists(st.sampled_from(KINDS), max_size=28))
    seeds = draw(
        st.lists(
            st.binary(min_size=10, max_size=10),
            min_size=n_goals + len(kinds) + 1,
            max_size=n_goals + len(kinds) + 1,
            unique=True,
        )
    )
    stamps = [draw(moments) for _ in seeds]
    ids = [new_record_id(at, seed) for at, seed in zip(stamps, seeds, strict=True)]
    assert len(set(ids)) == len(ids) and all(is_record_id(i) for i in ids)
    clocks = st.integers(min_value=0, max_value=40)

    records: list[Record] = []
    goal_ids = ids[:n_goals]
    named: dict[str, list[str]] = {}
    proposal_authors: dict[str, str] = {}
    for goal_id, at in zip(goal_ids, stamps, strict=False):
        author = draw(st.sampled_from(members))
        participants = draw(st.lists(st.sampled_from(members), min_size=1, unique=True))
        named[goal_id] = sorted({author, *participants})
        proposal_authors[goal_id] = author
        records.append(
            GoalProposal(
                **envelope(author, draw(clocks), at, goal_id),
                title=draw(st.sampled_from(("Walk", "Read", "Call"))),
                target=draw(st.sampled_from(TARGETS)),
                participants=tuple(sorted(participants)),
            )
        )
    # First who writes what about which goal, so that answers can name amendments written later
    # (in clock order or in arrival order) and events can come from outsiders.
    never = ids[-1]  # an id no record has: events about something that never arrives
    planned = []
    for record_id, kind, at in zip(ids[n_goals:-1], kinds, stamps[n_goals:], strict=False):
        goal = draw(st.sampled_from(goal_ids)) if draw(st.integers(0, 9)) else never
        insiders = named.get(goal, list(members))
        outsider = draw(st.integers(0, 7)) == 0
        author = draw(st.sampled_from(members if outsider else insiders))
        planned.append((record_id, kind, at, goal, author))
    authors = {p[0]: p[4] for p in planned}
    terms_of = {g: [g] for g in goal_ids}
    for record_id, kind, _, goal, _ in planned:
        if kind == "amend" and goal in terms_of:
            terms_of[goal].append(record_id)
    every_terms = [t for ts in terms_of.values() for t in ts]
    log_ids = [p[0] for p in planned if p[1] == "log"]
    for record_id, kind, at, goal, author in planned:
        env = envelope(author, draw(clocks), at, record_id)
        if kind == "amend":
            records.append(
                GoalAmend(
                    **env,
                    goal=goal,
                    title=draw(st.sampled_from(("Walk more", "Read", "Rest"))),
                    target=draw(st.sampled_from(TARGETS)),
                )
            )
        elif kind in ("accept", "decline"):
            cls = GoalAccept if kind == "accept" else GoalDecline
            body = "" if kind == "accept" else draw(st.sampled_from(("", "too much", "not now")))
            own = terms_of.get(goal, [])
            pick = draw(st.integers(0, 9))
            terms = draw(st.sampled_from(own)) if own and pick < 8 else never
            if pick == 8:
                terms = draw(st.sampled_from(every_terms))  # another goal's terms
            records.append(cls(**env, goal=goal, terms=terms, body=body))
        elif kind == "log":
            when = draw(moments)
            amount = draw(st.sampled_from(AMOUNTS))
            records.append(GoalLog(**env, goal=goal, amount=amount, when=when, body="note"))
        elif kind == "rest":
            start = T0.date() + timedelta(days=draw(st.integers(min_value=-3, max_value=80)))
            until = start + timedelta(days=draw(st.integers(min_value=0, max_value=10)))
            records.append(GoalRest(**env, goal=goal, start=start, until=until))
        elif kind == "complete":
            records.append(GoalComplete(**env, goal=goal))
        elif kind == "reopen":
            records.append(GoalReopen(**env, goal=goal))
        elif kind == "withdraw":
            records.append(GoalWithdraw(**env, goal=goal, body="stepping back"))
        else:  # a deletion: of a log (by its author, or by someone else), or of anything
            anything = [*goal_ids, *(p[0] for p in planned)]
            mostly_logs = bool(log_ids) and draw(st.integers(0, 3)) > 0
            pool = log_ids if mostly_logs else anything
            target = draw(st.sampled_from([*pool, never]))
            if target in authors and draw(st.booleans()):
                env = envelope(authors[target], env["clock"], at, record_id)
            elif target in proposal_authors and draw(st.booleans()):
                env = envelope(proposal_authors[target], env["clock"], at, record_id)
            records.append(Deletion(**env, target=target))
    return records


def progress_of(goals: tuple[GoalView, ...], now: datetime) -> list[object]:
    return [goal_progress(goal, now) for goal in goals]


def as_json(goals: tuple[GoalView, ...], now: datetime) -> str:
    return json.dumps([goal_json(g, goal_progress(g, now)) for g in goals], sort_keys=True)


def copy_of(record: Record) -> Record:
    """The same record as a distinct object, as if read from a second copy of its file."""
    return dataclasses.replace(record)


@SETTINGS
@given(records=histories(), data=st.data())
def test_fold_is_the_same_in_every_arrival_order(
    records: list[Record], data: st.DataObject
) -> None:
    expected = fold_goals(records)
    for _ in range(3):
        shuffled = data.draw(st.permutations(records), label="arrival order")
        assert fold_goals(shuffled) == expected
        assert fold_goals(list(reversed(shuffled))) == expected


@SETTINGS
@given(records=histories(), data=st.data())
def test_fold_is_a_function_of_the_set_across_syncs(
    records: list[Record], data: st.DataObject
) -> None:
    expected = fold_goals(records)
    in_a = data.draw(st.lists(st.booleans(), min_size=len(records), max_size=len(records)))
    first = [r for r, a in zip(records, in_a, strict=True) if a]
    second = [r for r, a in zip(records, in_a, strict=True) if not a]
    partial = fold_goals(first)  # what one machine shows before the rest has synced
    assert fold_goals(first + second) == expected
    assert fold_goals(second + first) == expected
    assert fold_goals([*first, *second, *first]) == expected  # A again after A ∪ B: nothing new
    # what the first machine showed never leaks into the later fold
    assert fold_goals(first) == partial


@SETTINGS
@given(records=histories(), data=st.data())
def test_duplicates_change_nothing(records: list[Record], data: st.DataObject) -> None:
    expected = fold_goals(records)
    again = data.draw(st.lists(st.sampled_from(records), max_size=len(records)), label="again")
    delivered = data.draw(st.permutations([*records, *map(copy_of, again), *again]))
    assert fold_goals(delivered) == expected
    assert fold_goals([*records, *records]) == expected


@settings(SETTINGS, max_examples=100)
@given(records=histories(), data=st.data())
def test_a_copy_read_back_from_its_file_is_the_same_record(
    records: list[Record], data: st.DataObject
) -> None:
    """A second device delivers the same file: decoded, it changes nothing, in any order."""
    expected = fold_goals(records)
    again = data.draw(st.lists(st.sampled_from(records), max_size=len(records)), label="again")
    from_files = [decode_record(encode_record(r)) for r in again]
    assert from_files == again
    delivered = data.draw(st.permutations([*records, *from_files]))
    assert fold_goals(delivered) == expected
    assert fold_goals([*from_files, *records]) == expected
    # and what `goal show --json` prints is the same text
    now = NOWS[0]
    assert as_json(fold_goals(delivered), now) == as_json(expected, now)


@SETTINGS
@given(records=histories(), now=st.sampled_from(NOWS), data=st.data())
def test_progress_is_the_same_in_every_order_split_and_with_duplicates(
    records: list[Record], now: datetime, data: st.DataObject
) -> None:
    expected = progress_of(fold_goals(records), now)
    shuffled = data.draw(st.permutations(records), label="arrival order")
    assert progress_of(fold_goals(shuffled), now) == expected
    assert as_json(fold_goals(shuffled), now) == as_json(fold_goals(records), now)
    cut = data.draw(st.integers(min_value=0, max_value=len(shuffled)))
    first, second = shuffled[:cut], shuffled[cut:]
    fold_goals(first)
    assert progress_of(fold_goals(second + first), now) == expected
    assert progress_of(fold_goals([*shuffled, *map(copy_of, first)]), now) == expected
    # the same `now` seen from another zone is the same instant but other local days: still
    # a function of the set
    elsewhere = now.astimezone(timezone(timedelta(hours=9)))
    assert progress_of(fold_goals(shuffled), elsewhere) == progress_of(
        fold_goals(records), elsewhere
    )


@SETTINGS
@given(records=histories())
def test_who_counts_and_who_is_refused(records: list[Record]) -> None:
    """Structural facts that hold for every history, whatever arrived."""
    by_id = {r.id: r for r in records}
    proposals = {r.id: r for r in records if isinstance(r, GoalProposal)}
    for goal in fold_goals(records):
        proposal = proposals[goal.id]  # only proposals that arrived make goals
        named = {*proposal.participants, proposal.author}
        assert set(goal.participants) == named
        assert set(goal.active) | set(goal.withdrawn) == named
        assert not set(goal.active) & set(goal.withdrawn)
        assert all(e.author not in named for e in goal.refused)
        assert all(e.author in named for e in goal.history)
        assert {e.id for e in goal.history}.isdisjoint({e.id for e in goal.refused})
        assert set(goal.waiting_for) <= set(goal.active)
        assert set(goal.completion_votes) <= set(goal.active)
        assert goal.state in ("proposed", "declined", "active", "done", "withdrawn")
        assert (goal.state == "withdrawn") == (not goal.active)
        if goal.state in ("active", "done"):
            # Agreed by everyone present when they came into force; a member who rejoined
            # since need not have answered them (rejoining never undoes an agreement).
            assert goal.terms is not None and goal.terms.agreed
            assert set(goal.terms.accepted_by) <= set(goal.active)
        if goal.state in ("proposed", "declined"):
            assert goal.terms is None
        assert all(not t.agreed for t in goal.pending)
        for log in goal.logs:
            deleted_by_author = any(
                isinstance(d, Deletion) and d.target == log.id and d.author == log.author
                for d in records
            )
            assert not deleted_by_author
            assert by_id[log.id] == log
            assert log.author in goal.participants
        # every log by a participant that its author did not delete counts
        expected_logs = {
            r.id
            for r in records
            if isinstance(r, GoalLog)
            and r.goal == goal.id
            and r.author in named
            and not any(
                isinstance(d, Deletion) and d.target == r.id and d.author == r.author
                for d in records
            )
        }
        assert {log.id for log in goal.logs} == expected_logs


def _kinds_of(records: list[Record]) -> set[str]:
    """What a history contains that the properties above are about."""
    kinds = set()
    for goal in fold_goals(records):
        kinds.add(goal.state)
        if goal.refused:
            kinds.add("refused")
        if goal.terms and goal.pending:
            kinds.add("amendment pending")
        if goal.withdrawn and goal.active:
            kinds.add("some withdrawn")
    by_id = {r.id: r for r in records}
    for record in records:
        target = by_id.get(record.target) if isinstance(record, Deletion) else None
        if isinstance(target, GoalLog):
            kinds.add("own deletion" if target.author == record.author else "foreign deletion")
    return kinds


def test_the_generator_reaches_every_kind_of_history() -> None:
    """A check on the generator itself (derandomized, so it is stable)."""
    seen: set[str] = set()

    @settings(
        max_examples=600,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(records=histories())
    def collect(records: list[Record]) -> None:
        seen.update(_kinds_of(records))

    collect()
    wanted = {
        "proposed",
        "declined",
        "active",
        "done",
        "withdrawn",
        "refused",
        "amendment pending",
        "some withdrawn",
        "own deletion",
        "foreign deletion",
    }
    assert wanted <= seen, wanted - seen


@SETTINGS
@given(records=histories(), now=st.sampled_from(NOWS))
def test_each_period_holds_the_logs_whose_local_day_falls_in_it(
    records: list[Record], now: datetime
) -> None:
    """Progress by its definition: a period's amount is the sum of the counted logs dated, in
    the reader's time zone, on one of its days; the total is every counted log."""
    for goal in fold_goals(records):
        progress = goal_progress(goal, now)
        days = [(log.when.astimezone(now.tzinfo).date(), log.amount) for log in goal.logs]
        assert progress.total == pytest.approx(sum(a for _, a in days))
        for period in progress.periods:
            inside = sum(a for day, a in days if period.start <= day < period.end)
            assert period.amount == pytest.approx(inside, abs=1e-9)
        if progress.periods:
            assert progress.this_period == progress.periods[-1]
            assert progress.periods[-1].start <= now.astimezone(now.tzinfo).date()


@SETTINGS
@given(records=histories())
def test_logs_never_change_a_goals_terms_state_or_people(records: list[Record]) -> None:
    """What acting on a goal reads (the goals folded without any log, GOAL_STATES) is the full
    fold less its logs: logging progress can never change terms, state or who takes part."""
    full = fold_goals(records)
    states = fold_goals([r for r in records if not isinstance(r, GoalLog)])
    assert list(states) == [without_logs(g) for g in full]


@SETTINGS
@given(records=histories())
def test_terms_in_force_were_accepted_by_everyone_who_stayed(records: list[Record]) -> None:
    """Whatever the clocks say: terms in force have a yes (their proposal, or an accept naming
    them) from every participant who is in the goal and never stepped out of it."""
    for goal in fold_goals(records):
        if goal.terms is None:
            continue
        withdrew = {e.author for e in goal.history if isinstance(e, GoalWithdraw)}
        said_yes = {
            e.author
            for e in goal.history
            if (isinstance(e, GoalAccept) and e.terms == goal.terms.id)
            or (e.id == goal.terms.id and not isinstance(e, GoalAccept))
        }
        assert set(goal.active) - withdrew <= said_yes, goal.id


@SETTINGS
@given(records=histories(), data=st.data())
def test_copies_of_ids_by_an_outsider_change_no_ones_goals(
    records: list[Record], data: st.DataObject
) -> None:
    """An outsider re-publishes any records under their own name, ids kept and contents
    changed, at any clock: every goal of the others folds exactly as before (its events name
    the goal's and the terms' authors, as peerlog writes them)."""
    records = qualified(records)
    chosen = data.draw(st.lists(st.sampled_from(records), max_size=8, unique_by=id))
    copies = [
        dataclasses.replace(
            r,
            author="mallory",
            clock=data.draw(st.integers(min_value=0, max_value=10**6)),
            body="forged",
        )
        for r in chosen
    ]
    before = {
        (g.proposed_by, g.id): dataclasses.replace(g, refused=()) for g in fold_goals(records)
    }
    after = {
        (g.proposed_by, g.id): dataclasses.replace(g, refused=())
        for g in fold_goals([*copies, *records])
        if g.proposed_by != "mallory"
    }
    assert after == before


def qualified(records: list[Record]) -> list[Record]:
    """The records with their pointers naming the author of what they point at."""
    author_of = {r.id: r.author for r in records}
    out: list[Record] = []
    for r in records:
        if isinstance(r, GoalAccept | GoalDecline):
            r = dataclasses.replace(r, terms_by=author_of.get(r.terms, "sam"))
        if isinstance(r, GoalAmend | GoalEvent):
            r = dataclasses.replace(r, goal_by=author_of.get(r.goal, "sam"))
        out.append(r)
    return out


@SETTINGS
@given(
    before=st.lists(st.sampled_from(AMOUNTS), min_size=1),
    after=st.lists(st.sampled_from(AMOUNTS)),
)
def test_a_sum_kept_exactly_and_added_to_later_is_the_sum_of_everything(
    before: list[float], after: list[float]
) -> None:
    assert repr(math.fsum((*exact_sum(before), *after))) == repr(math.fsum(before + after))


@SETTINGS
@given(records=histories(), now=st.sampled_from(NOWS), edge=moments, data=st.data())
def test_a_goal_read_from_an_edge_with_the_sum_before_it_shows_the_same_progress(
    records: list[Record], now: datetime, edge: datetime, data: st.DataObject
) -> None:
    """What a summary reads (actions/summary.py): the logs dated before an edge are left out,
    unless a record not among them claims the same id (the fold decides between the two), and
    each goal's logs before the edge count by their sum, kept from the fold of everything.
    Its total is the whole fold's, exactly; and so is all of its progress, when every period
    shown starts on or after the edge, as `detail_edge` makes sure of."""
    logs = [r for r in records if isinstance(r, GoalLog)]
    for log in data.draw(st.lists(st.sampled_from(logs), max_size=3)) if logs else ():
        # the author's own muddle: a second file for the log, with another amount and day
        records.append(
            dataclasses.replace(
                log, amount=data.draw(st.sampled_from(AMOUNTS)), when=data.draw(moments)
            )
        )
    whole = {(g.proposed_by, g.id): g for g in fold_goals(records)}
    sums = sums_before(whole.values(), edge)

    def old(record: Record) -> bool:
        return isinstance(record, GoalLog) and record.when < edge

    claims: dict[str, list[Record]] = {}
    for record in records:
        claims.setdefault(record.id, []).append(record)
    read = [r for r in records if not all(old(c) for c in claims[r.id])]
    for goal in fold_goals(read):
        key = (goal.proposed_by, goal.id)
        full = goal_progress(whole[key], now)
        split = goal_progress(goal, now, Earlier(edge, sums.get(key, ())))
        assert repr(split.total) == repr(full.total)
        starts = [datetime.combine(p.start, datetime.min.time(), now.tzinfo) for p in full.periods]
        if all(edge <= start for start in starts):
            assert split == full
        assert all(detail_edge(now) <= start for start in starts)
