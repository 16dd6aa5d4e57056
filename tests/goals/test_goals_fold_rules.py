"""The rules of the goal fold, one at a time (DESIGN §4 "Shared power", peerlog.fold.goals)."""

from __future__ import annotations

import dataclasses
import itertools

from goal_support import T0, History

from peerlog.fold.goals import GoalView, fold_goals
from peerlog.records.goals import GoalProposal

PAIR = ("sam", "alex")
TRIO = ("sam", "alex", "kim")


def without_refused(view: GoalView) -> GoalView:
    return dataclasses.replace(view, refused=())


# --- agreeing to a proposal ----------------------------------------------------------------


def test_a_proposal_is_active_only_when_every_participant_accepts() -> None:
    h = History()
    goal = h.propose("sam", TRIO, target="3/week")
    view = h.view(goal)
    assert view.state == "proposed"
    assert view.terms is None
    assert view.active_since is None
    (newest,) = view.pending
    assert newest.id == goal.id
    assert newest.accepted_by == ("sam",)  # proposing is the proposer's yes
    assert view.waiting_for == ("alex", "kim")
    assert view.title == "Walk together"

    h.accept("alex", goal)
    view = h.view(goal)
    assert view.state == "proposed"
    assert view.waiting_for == ("kim",)

    kim_yes = h.accept("kim", goal)
    view = h.view(goal)
    assert view.state == "active"
    assert view.terms is not None and view.terms.id == goal.id
    assert view.terms.agreed
    assert set(view.terms.accepted_by) == set(TRIO)
    assert view.terms.agreed_at == kim_yes.created
    assert view.active_since == kim_yes.created
    assert view.pending == ()
    assert view.waiting_for == ()
    assert view.participants == ("alex", "kim", "sam")
    assert view.active == ("alex", "kim", "sam")


def test_the_proposers_own_proposal_counts_as_their_acceptance() -> None:
    h = History()
    goal = h.propose("sam", PAIR)
    h.accept("alex", goal)
    assert h.view(goal).state == "active"  # no separate "accept" by sam was needed


def test_the_proposer_takes_part_even_when_not_listed() -> None:
    h = History()
    goal = h.propose("sam", ("alex",))
    view = h.view(goal)
    assert view.participants == ("alex", "sam")
    assert view.waiting_for == ("alex",)
    h.accept("alex", goal)
    assert h.view(goal).state == "active"


def test_a_goal_for_one_person_is_active_at_once() -> None:
    h = History()
    goal = h.propose("sam", ("sam",))
    view = h.view(goal)
    assert view.state == "active"
    assert view.active_since == goal.created
    assert view.waiting_for == ()


def test_accepting_other_terms_or_another_goals_terms_does_not_count() -> None:
    h = History()
    walk = h.propose("sam", PAIR, title="Walk")
    read = h.propose("sam", PAIR, title="Read")
    h.accept("alex", walk, terms=read)  # names the walk, answers the reading goal's terms
    assert h.view(walk).state == "proposed"
    assert h.view(read).state == "proposed"


# --- amendments ----------------------------------------------------------------------------


def _active_pair(target: str = "3/week") -> tuple[History, GoalProposal]:
    h = History()
    goal = h.propose("sam", PAIR, target=target)
    h.accept("alex", goal)
    return h, goal


def test_an_amendment_leaves_the_old_terms_in_force_until_everyone_accepts() -> None:
    h, goal = _active_pair()
    amend = h.amend("alex", goal, title="Walk further", target="2/week")
    view = h.view(goal)
    assert view.state == "active"
    assert view.terms is not None
    assert view.terms.id == goal.id
    assert view.terms.target_text == "3/week"
    assert view.title == "Walk together"
    (pending,) = view.pending
    assert pending.id == amend.id
    assert pending.accepted_by == ("alex",)  # the author of new terms accepts them
    assert not pending.agreed
    assert pending.target_text == "2/week"
    assert view.waiting_for == ("sam",)

    h.accept("sam", goal, terms=amend)
    view = h.view(goal)
    assert view.terms is not None and view.terms.id == amend.id
    assert view.terms.target is not None and view.terms.target.amount == 2
    assert view.title == "Walk further"
    assert view.pending == ()
    assert view.waiting_for == ()
    assert view.state == "active"


def test_a_declined_amendment_changes_nothing_in_force() -> None:
    h, goal = _active_pair()
    amend = h.amend("alex", goal, target="7/week")
    h.decline("sam", goal, terms=amend, reason="too much for me")
    view = h.view(goal)
    assert view.state == "active"  # the goal is not "declined": its agreed terms stand
    assert view.terms is not None and view.terms.target_text == "3/week"
    (pending,) = view.pending
    assert pending.declined_by == (("sam", "too much for me"),)
    assert view.waiting_for == ("sam",)


def test_two_concurrent_amendments() -> None:
    h, goal = _active_pair()
    # Both write new terms at the same logical time, not having seen each other's.
    first = h.amend("sam", goal, target="2/week", clock=10)
    second = h.amend("alex", goal, target="4/week", clock=10)
    older, newer = sorted((first, second), key=lambda r: r.order_key())
    view = h.view(goal)
    assert view.terms is not None and view.terms.id == goal.id
    assert [t.id for t in view.pending] == [older.id, newer.id]  # merge order, oldest first
    assert view.waiting_for == tuple(m for m in view.active if m != newer.author)

    # Both agree to the newer: it comes into force and the older is no longer pending.
    other = older.author
    h.accept(other, goal, terms=newer, clock=11)
    view = h.view(goal)
    assert view.terms is not None and view.terms.id == newer.id
    assert view.pending == ()


def test_two_concurrent_amendments_agreeing_the_older_keeps_the_newer_pending() -> None:
    h, goal = _active_pair()
    first = h.amend("sam", goal, target="2/week", clock=10)
    second = h.amend("alex", goal, target="4/week", clock=10)
    older, newer = sorted((first, second), key=lambda r: r.order_key())
    h.accept(newer.author, goal, terms=older, clock=11)
    view = h.view(goal)
    assert view.terms is not None and view.terms.id == older.id
    assert [t.id for t in view.pending] == [newer.id]
    assert view.waiting_for == (older.author,)


def test_an_answer_that_arrives_before_its_amendment_counts_when_it_arrives() -> None:
    h, goal = _active_pair()
    amend = h.amend("alex", goal, target="2/week")
    yes = h.accept("sam", goal, terms=amend)
    early = [r for r in h.records if r is not amend]
    view = h.goals(early)[0]
    assert view.terms is not None and view.terms.id == goal.id
    assert view.pending == ()
    assert yes in view.history  # kept, waiting for the terms it answers
    agreed = h.view(goal).terms
    assert agreed is not None and agreed.id == amend.id


# --- declining -----------------------------------------------------------------------------


def test_a_decline_makes_a_proposed_goal_declined_and_a_later_accept_overrides_it() -> None:
    h = History()
    goal = h.propose("sam", PAIR)
    h.decline("alex", goal, reason="not this month")
    view = h.view(goal)
    assert view.state == "declined"
    assert view.pending[-1].declined_by == (("alex", "not this month"),)
    assert view.waiting_for == ("alex",)

    h.accept("alex", goal)
    view = h.view(goal)
    assert view.state == "active"
    assert view.pending == ()
    assert view.terms is not None and view.terms.declined_by == ()


def test_the_latest_answer_is_by_merge_order_not_arrival_order() -> None:
    h = History()
    goal = h.propose("sam", PAIR, clock=1)
    no = h.decline("alex", goal, clock=2)
    yes = h.accept("alex", goal, clock=3)
    for order in itertools.permutations([goal, no, yes]):
        assert fold_goals(order)[0].state == "active"


def test_an_amendment_after_a_decline_is_proposed_again() -> None:
    h = History()
    goal = h.propose("sam", PAIR, target="5/week")
    h.decline("alex", goal, reason="too many")
    amend = h.amend("sam", goal, target="2/week")
    view = h.view(goal)
    assert view.state == "proposed"
    assert [t.id for t in view.pending] == [goal.id, amend.id]
    assert view.waiting_for == ("alex",)
    h.accept("alex", goal, terms=amend)
    view = h.view(goal)
    assert view.state == "active"
    assert view.terms is not None and view.terms.id == amend.id
    assert view.pending == ()


# --- withdrawing ---------------------------------------------------------------------------


def test_withdrawing_removes_a_member_from_those_whose_yes_is_needed() -> None:
    h = History()
    goal = h.propose("sam", TRIO)
    h.accept("alex", goal)
    h.withdraw("kim", goal)
    view = h.view(goal)
    assert view.state == "active"
    assert view.active == ("alex", "sam")
    assert view.withdrawn == ("kim",)
    assert view.waiting_for == ()

    h.accept("kim", goal)  # accepting again rejoins
    view = h.view(goal)
    assert view.withdrawn == ()
    assert view.active == ("alex", "kim", "sam")
    assert view.state == "active"


def test_withdrawing_can_make_pending_terms_agreed() -> None:
    h = History()
    goal = h.propose("sam", TRIO, target="3/week")
    h.accept("alex", goal)
    h.accept("kim", goal)
    amend = h.amend("sam", goal, target="1/week")
    h.accept("alex", goal, terms=amend)
    view = h.view(goal)
    assert view.terms is not None and view.terms.id == goal.id
    assert view.waiting_for == ("kim",)

    h.withdraw("kim", goal)
    view = h.view(goal)
    assert view.terms is not None and view.terms.id == amend.id
    assert view.pending == ()

    h.accept("kim", goal, terms=amend)  # rejoining by saying yes to the terms in force
    view = h.view(goal)
    assert view.active == ("alex", "kim", "sam")
    assert view.terms is not None and view.terms.id == amend.id


def test_rejoining_keeps_the_terms_agreed_while_away() -> None:
    """kim steps back; sam and alex agree 2/week; alex proposes 1/week; kim rejoins by saying yes
    to the newest terms (what `goal accept` does). The group's 2/week must stay in force: kim
    alone must not bring back the 3/week that sam and alex replaced."""
    h = History()
    goal = h.propose("sam", TRIO, target="3/week")
    h.accept("alex", goal)
    h.accept("kim", goal)
    h.withdraw("kim", goal)
    two = h.amend("sam", goal, target="2/week")
    h.accept("alex", goal, terms=two)
    agreed = h.view(goal).terms
    assert agreed is not None and agreed.target_text == "2/week"
    one = h.amend("alex", goal, target="1/week")
    h.accept("kim", goal, terms=one)
    view = h.view(goal)
    assert view.active == ("alex", "kim", "sam")
    assert view.terms is not None
    assert view.terms.target_text == "2/week"
    assert [t.id for t in view.pending] == [one.id]


def test_when_everyone_withdraws_the_goal_is_withdrawn() -> None:
    h, goal = _active_pair()
    h.withdraw("sam", goal)
    assert h.view(goal).state == "active"
    h.withdraw("alex", goal)
    view = h.view(goal)
    assert view.state == "withdrawn"
    assert view.active == ()
    assert view.withdrawn == ("alex", "sam")
    assert view.waiting_for == ()


def test_a_withdrawal_older_than_the_latest_accept_does_not_count() -> None:
    h = History()
    goal = h.propose("sam", PAIR, clock=1)
    early_withdraw = h.withdraw("alex", goal, clock=2)
    accept = h.accept("alex", goal, clock=3)
    for order in itertools.permutations([goal, early_withdraw, accept]):
        view = fold_goals(order)[0]
        assert view.withdrawn == ()
        assert view.state == "active"


# --- completing ----------------------------------------------------------------------------


def test_completion_needs_every_active_participant_after_the_latest_reopen() -> None:
    h, goal = _active_pair()
    h.complete("sam", goal)
    view = h.view(goal)
    assert view.state == "active"
    assert view.completion_votes == ("sam",)
    h.complete("alex", goal)
    assert h.view(goal).state == "done"

    h.reopen("alex", goal)
    view = h.view(goal)
    assert view.state == "active"
    assert view.completion_votes == ()

    h.complete("sam", goal)
    view = h.view(goal)
    assert view.state == "active"  # alex's vote was before the reopening
    assert view.completion_votes == ("sam",)
    h.complete("alex", goal)
    assert h.view(goal).state == "done"


def test_a_vote_older_than_a_reopen_does_not_count_whenever_it_arrives() -> None:
    h, goal = _active_pair()
    h.complete("sam", goal, clock=10)
    late_vote = h.complete("alex", goal, clock=11)
    h.reopen("sam", goal, clock=12)
    records = [r for r in h.records if r is not late_vote]
    # alex's vote arrives last, but it was written before the reopening
    view = fold_goals([*records, late_vote])[0]
    assert view.state == "active"
    assert view.completion_votes == ()


def test_a_withdrawn_member_is_not_needed_to_complete() -> None:
    h = History()
    goal = h.propose("sam", TRIO)
    h.accept("alex", goal)
    h.accept("kim", goal)
    h.complete("sam", goal)
    h.complete("alex", goal)
    assert h.view(goal).state == "active"
    h.withdraw("kim", goal)
    view = h.view(goal)
    assert view.state == "done"
    assert view.completion_votes == ("alex", "sam")


def test_a_goal_not_agreed_cannot_be_done() -> None:
    h = History()
    goal = h.propose("sam", PAIR)
    h.complete("sam", goal)
    h.complete("alex", goal)
    assert h.view(goal).state == "proposed"


# --- logs and retractions ------------------------------------------------------------------


def test_logs_deleted_by_their_author_do_not_count_deletions_by_others_are_ignored() -> None:
    h, goal = _active_pair()
    kept = h.log("sam", goal, 2)
    retracted = h.log("alex", goal, 5)
    h.delete("alex", retracted)
    defended = h.log("alex", goal, 1)
    h.delete("sam", defended)  # sam cannot take back what alex wrote
    view = h.view(goal)
    assert [log.id for log in view.logs] == [kept.id, defended.id]
    assert retracted.id not in {e.id for e in view.history}


def test_a_retraction_that_arrives_before_its_log_applies_when_the_log_arrives() -> None:
    h, goal = _active_pair()
    log = h.log("alex", goal, 3)
    undo = h.delete("alex", log)
    before = fold_goals([r for r in h.records if r is not log])[0]
    assert before.logs == ()
    for order in itertools.permutations([log, undo]):
        view = fold_goals([*[r for r in h.records if r not in (log, undo)], *order])[0]
        assert view.logs == ()


# --- who may act ---------------------------------------------------------------------------


def test_events_by_non_participants_are_refused_and_change_nothing() -> None:
    h = History()
    goal = h.propose("sam", PAIR, target="3/week")
    h.accept("alex", goal)
    h.log("sam", goal, 1)
    baseline = h.view(goal)
    outsider = [
        h.accept("kim", goal),
        h.decline("kim", goal, reason="no"),
        h.amend("kim", goal, target="9/week"),
        h.log("kim", goal, 4),
        h.rest("kim", goal, T0.date(), T0.date()),
        h.complete("kim", goal),
        h.reopen("kim", goal),
        h.withdraw("kim", goal),
    ]
    h.accept("kim", goal, terms=outsider[2])  # and an answer to the outsider's terms
    view = h.view(goal)
    assert {e.id for e in view.refused} >= {e.id for e in outsider}
    assert all(e.author == "kim" for e in view.refused)
    assert without_refused(view) == without_refused(baseline)


def test_a_non_participant_cannot_complete_or_reopen_for_the_group() -> None:
    h, goal = _active_pair()
    h.complete("sam", goal)
    h.complete("kim", goal)
    assert h.view(goal).state == "active"
    h.complete("alex", goal)
    h.reopen("kim", goal)
    assert h.view(goal).state == "done"


# --- arrival ---------------------------------------------------------------------------------


def test_events_whose_goal_has_not_arrived_take_effect_when_it_arrives() -> None:
    h = History()
    goal = h.propose("sam", PAIR, target="10")
    h.accept("alex", goal)
    h.log("alex", goal, 4)
    h.complete("alex", goal)
    without = [r for r in h.records if r is not goal]
    assert fold_goals(without) == ()  # nothing to show yet, nothing lost
    view = fold_goals([*without, goal])[0]
    assert view.state == "active"
    assert len(view.logs) == 1
    assert view.completion_votes == ("alex",)
    assert view == h.view(goal)


def test_goals_are_listed_newest_proposal_first_and_kept_apart() -> None:
    h = History()
    older = h.propose("sam", PAIR, title="Walk", at=T0)
    newer = h.propose("alex", PAIR, title="Read", at=T0.replace(hour=12))
    h.accept("alex", older)
    h.log("alex", older, 2)
    goals = h.goals()
    assert [g.id for g in goals] == [newer.id, older.id]
    assert goals[0].state == "proposed" and goals[0].logs == ()
    assert goals[1].state == "active" and len(goals[1].logs) == 1


def test_history_is_in_merge_order_with_the_proposal_first() -> None:
    h, goal = _active_pair()
    h.log("sam", goal, 1, clock=20)
    h.log("alex", goal, 1, clock=15)
    view = h.view(goal)
    assert view.history[0] == goal
    keys = [e.order_key() for e in view.history[1:]]
    assert keys == sorted(keys)
