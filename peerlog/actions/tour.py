"""The tour's sandbox: two partners, Sam and Alex, and a believable year in a shared space.

Everything lives in one temporary folder: two homes, their caches and the space. The user's own
home and cache are never touched. Records are written without fsync (a sandbox loses nothing of
value in a crash) so a year builds in a moment; the history is the same every time (seeded).
"""

from __future__ import annotations

import random
import shutil
import tempfile
from datetime import datetime, timedelta
from pathlib import Path

from peerlog.actions import dialogue, goals
from peerlog.actions.journal import (
    JournalSession,
    open_private_journal,
    publish_as_me,
    write_entry,
)
from peerlog.actions.spaces import create_space, join_space, open_space
from peerlog.classes import dataclass
from peerlog.fold.goals import GoalView, fold_goals
from peerlog.records import Reply
from peerlog.store import Home, initialise

SPACE = "sam-and-alex"
DAYS = 365
_PRIVATE = [
    ("Slept badly again, but a short walk before work helped a bit. #sleep", 2),
    ("Said out loud the thing I had been carrying. Lighter now. #peers", 4),
    ("Tried box breathing on the bus: four in, hold, four out. #coping", 3),
    ("Small win: answered the email I had been avoiding all week. #wins", 4),
    ("Tired and flat today. Not every day has to be a good one.", 2),
    ("Cooked a proper meal for the first time in ages. #food #wins", 4),
    ("Morning pages: three lines is still pages. #writing", 3),
    ("Sat in the park for twenty minutes with no phone. #outside", 5),
    ("Hard day at work. Wrote it down here instead of letting it spin. #work", 2),
]
_SHARED = [
    "Thank you for listening on Tuesday. It helped more than I said.",
    "Found a quiet route along the canal for our walks. #outside",
    "Rough week. Not asking for fixing, just letting you know.",
    "Tried your tip about writing three lines before bed. It works for me too. #sleep",
    "Proud of us for keeping the walks going through the rain.",
]
_WINS = [
    "walked twice",
    "called my sister",
    "went to bed before midnight",
    "cooked dinner",
    "finished a book",
    "asked for help at work",
    "took a proper lunch break",
]
_STRUGGLES = ["sleep", "a deadline", "feeling flat", "too much screen time", "a hard phone call"]
_REPLIES = [
    "That sounds hard. I'm here.",
    "Well done, really.",
    "Same here this week.",
    "Thank you for sharing this.",
    "Walk on Saturday?",
]
_RESOURCES = [
    (
        "Box breathing",
        "https://example.org/box-breathing",
        "4 in, 4 hold, 4 out, 4 hold.",
        "coping",
    ),
    ("Three lines before bed", "", "Write three lines, however small.", "sleep"),
    ("Canal walk route", "", "Starts at the lock, 40 minutes loop.", "outside"),
]


@dataclass(frozen=True, slots=True)
class Sandbox:
    """A finished tour sandbox."""

    folder: Path
    home: Home  # Sam's
    space: Path

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def build_tour(now: datetime, folder: Path | None = None) -> Sandbox:
    """Create the sandbox under `folder` (default: a new temporary folder) and fill a year."""
    root = folder if folder is not None else Path(tempfile.mkdtemp(prefix="peerlog-tour-"))
    sam_home = Home(root=root / "sam", cache_root=root / "cache", durable=False)
    alex_home = Home(root=root / "alex", cache_root=root / "cache-alex", durable=False)
    start = now - timedelta(days=DAYS)
    initialise(sam_home, "sam", "Sam")
    initialise(alex_home, "alex", "Alex")
    space = root / "shared" / SPACE
    create_space(sam_home, space, SPACE, now=start)
    join_space(alex_home, space, now=start + timedelta(hours=2))
    _Year(sam_home, alex_home, start, random.Random(2026)).play(now)  # noqa: S311 (sample data)
    return Sandbox(folder=root, home=sam_home, space=space)


class _Year:
    """Plays a year of two partners' history, day by day."""

    def __init__(self, sam: Home, alex: Home, start: datetime, rng: random.Random) -> None:
        self.rng = rng
        self.start = start
        self.private = open_private_journal(sam)
        self.shared = {"sam": open_space(sam, SPACE), "alex": open_space(alex, SPACE)}
        self.posts: list[tuple[str, str]] = []  # (author, id) of posts waiting for replies
        self.walks: dict[str, GoalView] = {}
        self.sleep: dict[str, GoalView] = {}

    def goal(self, who: str, title: str) -> GoalView:
        """The goal as `who` sees it now (a full read: only after goal events)."""
        records = self.shared[who].store.load().records
        return next(g for g in fold_goals(records, SPACE) if g.title == title)

    def refresh_walks(self) -> None:
        self.walks = {who: self.goal(who, "Walk together") for who in self.shared}

    def play(self, now: datetime) -> None:
        rng, sam, alex = self.rng, self.shared["sam"], self.shared["alex"]
        at = self.start + timedelta(days=1, hours=9)
        dialogue.agree(sam, "cadence", "2d", now=at)
        dialogue.agree(alex, "cadence", "2d", now=at + timedelta(hours=5))
        goals.propose_goal(sam, "Walk together", now=at, target="2/week", why="fresh air, talk")
        goals.accept_goal(alex, self.goal("alex", "Walk together"), now=at + timedelta(hours=3))
        self.refresh_walks()
        for who, (title, url, note, tag) in zip(("sam", "alex", "sam"), _RESOURCES, strict=True):
            dialogue.add_resource(self.shared[who], title, now=at, url=url, note=note, tags=[tag])
        day = 2
        while (moment := self.start + timedelta(days=day, hours=rng.choice([8, 12, 19, 21]))) < now:
            self.one_day(day, moment)
            day += 1
        self.milestones(now)

    def one_day(self, day: int, moment: datetime) -> None:
        rng = self.rng
        if rng.random() < 0.45:
            text, mood = rng.choice(_PRIVATE)
            mood = max(1, min(5, mood + rng.choice([-1, 0, 0, 1])))
            write_entry(self.private, text, now=moment, mood=mood)
        for who, session in self.shared.items():
            if rng.random() < 0.42:
                self.checkin(session, moment + timedelta(minutes=rng.randrange(90)))
            if rng.random() < 0.08:
                entry = write_entry(
                    session, rng.choice(_SHARED), now=moment, mood=rng.randint(2, 5)
                )
                self.posts.append((who, entry.id))
            if moment.weekday() in (2, 5, 6) and rng.random() < 0.75:
                goals.log_progress(session, self.walks[who], now=moment, amount=1)
            if who in self.sleep and rng.random() < 0.45:
                goals.log_progress(session, self.sleep[who], now=moment, amount=1)
        self.replies(moment + timedelta(hours=3))
        if day == 120:
            self.amend_walks(moment)
        if day == 150:
            self.reading(moment)
        if day == 200:
            self.sleep_goal(moment)

    def checkin(self, session: JournalSession, moment: datetime) -> None:
        rng = self.rng
        record = dialogue.write_checkin(
            session,
            now=moment,
            mood=rng.choices([2, 3, 4, 5], weights=[2, 4, 4, 2])[0],
            wins=rng.sample(_WINS, rng.choice([0, 1, 1, 2])),
            struggles=rng.sample(_STRUGGLES, rng.choice([0, 0, 1])),
        )
        self.posts.append((session.identity.member, record.id))

    def replies(self, moment: datetime) -> None:
        for author, post_id in self.posts:
            other = self.shared["alex" if author == "sam" else "sam"]
            if self.rng.random() < 0.55:
                text = self.rng.choice(_REPLIES)
                publish_as_me(other, Reply, now=moment, target=post_id, target_by=author, body=text)
        self.posts.clear()

    def amend_walks(self, moment: datetime) -> None:
        sam, alex = self.shared["sam"], self.shared["alex"]
        goals.amend_goal(alex, self.goal("alex", "Walk together"), now=moment, target="3/week")
        later = moment + timedelta(days=2)
        walks = self.goal("sam", "Walk together")  # accepting it changes nothing a rest needs
        goals.accept_goal(sam, walks, now=later)
        holiday = (later + timedelta(days=40)).date()
        goals.rest_goal(sam, walks, now=later, start=holiday, until=holiday + timedelta(days=7))
        self.refresh_walks()

    def reading(self, moment: datetime) -> None:
        sam, alex = self.shared["sam"], self.shared["alex"]
        goals.propose_goal(alex, "Read 6 books", now=moment, target="6 books", why="less screen")
        goals.accept_goal(sam, self.goal("sam", "Read 6 books"), now=moment + timedelta(hours=8))
        reading = {who: self.goal(who, "Read 6 books") for who in ("sam", "alex")}
        for month in range(1, 7):
            for who, goal in reading.items():
                later = moment + timedelta(days=30 * month)
                goals.log_progress(self.shared[who], goal, now=later, amount=1, note="finished one")

    def sleep_goal(self, moment: datetime) -> None:
        sam, alex = self.shared["sam"], self.shared["alex"]
        bed = "In bed before midnight"
        goals.propose_goal(sam, bed, now=moment, target="5/week")
        goals.decline_goal(
            alex,
            self.goal("alex", bed),
            now=moment + timedelta(hours=4),
            reason="five is too many with my shifts",
        )
        goals.amend_goal(
            sam, self.goal("sam", bed), now=moment + timedelta(days=1), target="3/week"
        )
        goals.accept_goal(alex, self.goal("alex", bed), now=moment + timedelta(days=1, hours=2))
        self.sleep = {who: self.goal(who, bed) for who in self.shared}

    def milestones(self, now: datetime) -> None:
        for who in ("alex", "sam"):
            reading = self.goal(who, "Read 6 books")
            if reading.state == "active":
                goals.complete_goal(self.shared[who], reading, now=now - timedelta(days=3))
