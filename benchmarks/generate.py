"""Generate the ten-year benchmark data set (DESIGN §5) into a folder given on the command line.

    python benchmarks/generate.py FOLDER [--years 10] [--seed 2026] [--jrnl PATH] [--force]

Run it with the Python that has peerlog installed (it uses peerlog's library). Everything it
makes is inside FOLDER; the user's own peerlog home, cache and jrnl are never used:

- `shared/sam-and-alex/`: a pair space where Sam and Alex each write an entry a day for ten
  years, check in, reply to each other, share resources, and keep several goals with thousands of
  progress logs: about 15,000 records, made with peerlog's actions in the order the days happened.
- `shared/sealed-pair/`: the same records in a sealed space (`space create --sealed`), used
  from Sam's and Alex's other devices (`sam-sealed/`, `alex-sealed/` and their caches), each
  record sealed with the space key and signed by that device, as it would have written it.
- `jrnl/journal.txt`: Sam's private journal as a jrnl 4.6 plain-text journal, 7,300 entries (two a
  day, one to four paragraphs each: about 5.5 MB, the size of journal the speed targets were set
  against) with two or three `@tags` an entry and a few stars. jrnl counts tags with one
  `list.count` per tag it meets, so its `--tags` and JSON export take time quadratic in the
  number of tags; at this density jrnl takes the times the targets quote for that journal (about
  0.4 s for `-n 10`, 4 s for `--tags` and for the export). `jrnl/export.json` is `jrnl --format
  json` of it, and that
  export is brought into Sam's private journal with `peerlog import jrnl`, so both tools hold the
  same 7,300 entries. (This runs alongside the space, on the second core.)
- `sam/`, `alex/` (homes), `cache-sam/`, `cache-alex/` (their caches), `jrnl/config/jrnl/jrnl.yaml`
  (jrnl's own config, found through XDG_CONFIG_HOME) and `manifest.json` (what was made).

The content is the same for the same seed, years and end date (record ids are random, as
always). The history ends the day before the end date (default: today), so nothing lies in the
future when the benchmarks run on the real clock.
"""

from __future__ import annotations

import argparse
import json
import random
import shutil
import subprocess
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from common import (
    GENERATOR_VERSION,
    JRNL_TIMEFORMAT,
    JRNL_VERSION,
    SEALED_SPACE,
    SEARCH_WORD,
    SPACE,
    WALK_GOAL,
    Layout,
    default_peerlog,
    jrnl_env,
    peerlog_env,
    write_jrnl_config,
)

from peerlog.actions import dialogue, goals
from peerlog.actions.journal import JournalSession, publish_as_me, write_entry
from peerlog.actions.spaces import create_space, join_space, open_space
from peerlog.fold.goals import GoalView, fold_goals
from peerlog.records import Deletion, Record, Reply, Revision
from peerlog.records.dialogue import Helped, Resource
from peerlog.records.goals import GoalProposal, GoalRest
from peerlog.store import Home, RecordStore, initialise, load_identity
from peerlog.store.codec import encode_record
from peerlog.store.keys import DeviceKey
from peerlog.store.publish import publish_new
from peerlog.store.scan import read_tree

# --- text pools -----------------------------------------------------------------------------

_OPENERS = [
    "Walked before work.",
    "Slept badly again.",
    "Quiet morning, coffee on the step.",
    "Work was loud today.",
    "Called Mum on the way home.",
    "Cooked something proper for once.",
    "Felt flat most of the day.",
    "Good talk at lunch.",
    "Rain all day, stayed in.",
    "Took the long way round.",
    "Early night planned.",
    "Read on the train instead of scrolling.",
    "Body tired, head clearer.",
    "Small win this afternoon.",
    "Hard conversation, but I said it.",
    "Tidied the desk, then the inbox.",
    "Ran for the bus and laughed about it.",
    "Skipped lunch again, not great.",
    "Went to the market with the list.",
    "Played music while cleaning.",
    "Didn't want to get up.",
    "Met a friend for tea.",
    "Wrote three lines before bed.",
    "Too much screen time tonight.",
]
_DETAILS = [
    "The walk along the canal helped more than I expected.",
    "Box breathing on the bus took the edge off.",
    "I noticed the tightness in my chest and let it pass.",
    "Answered the email I had been avoiding.",
    "Not every day has to be a good one.",
    "Tomorrow I want to be outside before nine.",
    "Remembered to drink water, mostly.",
    "The park was full of dogs and that was enough.",
    "I keep coming back to what we talked about on Sunday.",
    "Twenty minutes with no phone felt long and then good.",
    "The deadline moved, which helped.",
    "Managed a proper lunch break away from the desk.",
    "Still thinking about the job, but less loudly.",
    "Put the laundry away, which counts.",
    "Dinner with the neighbours was easier than I feared.",
    "Stretched for ten minutes before sleep.",
    "The new route past the allotments is quieter.",
    "Asked for help at work and got it.",
    "Finished the chapter I had been stuck on.",
    "Said no to something, kindly.",
    "Sat by the window and watched the rain.",
    "Wrote a list and crossed off two things.",
    "Heard from an old friend out of nowhere.",
    "Got some sun at lunch; it made a difference.",
    "The bike needs fixing before the weekend.",
    "Met the neighbour's cat, who approves of me now.",
    "Made soup for the week.",
    "Let myself rest without earning it.",
    "Pottered in the garden for an hour.",
    "Slow evening, lights low.",
]
_TAGS = [
    "sleep",
    "coping",
    "work",
    "outside",
    "wins",
    "food",
    "peers",
    "writing",
    "family",
    "rest",
    "music",
    "reading",
]
_WINS = [
    "walked twice",
    "called my sister",
    "went to bed before midnight",
    "cooked dinner",
    "finished a book",
    "asked for help at work",
    "took a proper lunch break",
    "tidied the kitchen",
    "went for a swim",
]
_STRUGGLES = [
    "sleep",
    "a deadline",
    "feeling flat",
    "too much screen time",
    "a hard phone call",
    "money worries",
]
_NEEDS = ["an early night", "a walk this weekend", "a quiet evening", "to hear how you are"]
_REPLIES = [
    "That sounds hard. I'm here.",
    "Well done, really.",
    "Same here this week.",
    "Thank you for sharing this.",
    "Walk on Saturday?",
    "Proud of you for that.",
    "Sending a big wave from here.",
    "Let's talk tomorrow if you like.",
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
    ("Sleep hygiene notes", "https://example.org/sleep", "Same time up, every day.", "sleep"),
    ("Batch cooking list", "", "Soup, dal, chilli: freeze in portions.", "food"),
    ("Five things grounding", "", "Five you see, four you hear, three you feel.", "coping"),
    ("Library card", "", "Free audiobooks with it.", "reading"),
    ("Stretch routine", "https://example.org/stretch", "Ten minutes, no equipment.", "rest"),
]
_JRNL_TITLES = [
    "Slept badly again.",
    "Good morning for once.",
    "Long day.",
    "Walked along the canal after work.",
    "Therapy day.",
    "Felt better than yesterday.",
    "Nothing much happened.",
    "Made a plan for the week.",
    "Rough night.",
    "Dinner with friends.",
    "Worked late.",
    "Lazy Sunday.",
    "Back from the doctor.",
    "A small thing went right.",
    "Could not focus.",
    "Lovely weather, finally.",
    "Wrote for an hour.",
    "Argued with myself about the gym.",
]
_JRNL_BODIES = [
    "Took the stairs and noticed I was less out of breath.",
    "Spent too long on my phone and felt worse for it.",
    "The meeting went fine, I worried for nothing.",
    "Called Alex, we talked about the walks.",
    "Read two chapters before bed.",
    "The kettle broke, which felt like a lot.",
    "Went to bed at ten and actually slept.",
    "I want to remember how calm the river looked.",
    "Cooked the dal from the list, it froze well.",
    "Headache most of the afternoon.",
    "Sorted the paperwork pile into three smaller piles.",
    "Got outside at lunch, twenty minutes in the sun.",
    "Practised the breathing before the call.",
    "Tidied the desk and the head followed.",
    "Listened to the new album twice.",
    "Watered the plants, they forgive me.",
    "Wrote down three things that went okay.",
    "Still thinking about the conversation with my manager.",
    "Met the neighbour on the stairs, nice chat.",
    "The canal path was flooded, so I turned back.",
]
_JRNL_TAGS = [
    "@sleep",
    "@work",
    "@outside",
    "@family",
    "@health",
    "@food",
    "@reading",
    "@mood",
    "@friends",
    "@therapy",
]


# --- the private journal, as jrnl keeps it ---------------------------------------------------


def jrnl_text(rng: random.Random, first_day: date, days: int) -> tuple[str, int]:
    """A jrnl plain-text journal with two entries a day: (text, number of entries)."""
    parts: list[str] = []
    for offset in range(days):
        day = first_day + timedelta(days=offset)
        for hour_range in ((6, 9), (20, 23)):
            moment = datetime.combine(day, datetime.min.time()) + timedelta(
                hours=rng.randrange(*hour_range), minutes=rng.randrange(60)
            )
            title = rng.choice(_JRNL_TITLES)
            star = " *" if rng.random() < 0.04 else ""
            paragraphs = [
                " ".join(rng.choices(_JRNL_BODIES, k=rng.randint(4, 9)))
                for _ in range(rng.choice([1, 2, 2, 3, 3, 4]))
            ]
            tags = rng.sample(_JRNL_TAGS, rng.choice([2, 2, 2, 3, 3]))
            body = "\n\n".join(paragraphs)
            body += " " + " ".join(tags)
            parts.append(f"[{moment.strftime(JRNL_TIMEFORMAT)}] {title}{star}\n{body}\n")
    return "\n".join(parts), len(parts)


# --- the ten-year space ----------------------------------------------------------------------


class _Clock:
    """One logical clock for both partners: the clocks publishing in turn on one machine gives."""

    def __init__(self, start: int) -> None:
        self.value = start

    def next(self) -> int:
        self.value += 1
        return self.value


def _key(identity: Any) -> DeviceKey:
    assert identity.key is not None
    return identity.key


def _admit_each_other(first: Home, second: Home, *, now: datetime, space: str = SPACE) -> None:
    """The two partners compare fingerprints and admit each other: the space is secured, so
    every read checks who may speak as well as every signature."""
    from peerlog.actions.membership import admission_candidate, admit

    for admitter, admitted in ((first, second), (second, first)):
        member = load_identity(admitted).member
        key, _ = admission_candidate(admitter, space, member, None)
        admit(admitter, space, key, now=now)


def _sealed_twin(layout: Layout, opened: datetime) -> int:
    """The pair space's history again, in a sealed space: created, joined and admitted by the
    real actions from Sam's and Alex's other devices (so the first key is granted to both),
    then every other record sealed with the space key and signed by its author's device there.
    How many records were sealed."""
    homes = [
        Home(root=home, cache_root=cache, durable=False)
        for home, cache in zip(layout.sealed_homes, layout.sealed_caches, strict=True)
    ]
    sam, alex = homes
    initialise(sam, "sam", "Sam")
    initialise(alex, "alex", "Alex")
    create_space(sam, layout.sealed_space, SEALED_SPACE, now=opened, sealed=True)
    join_space(alex, layout.sealed_space, now=opened + timedelta(minutes=30))
    _admit_each_other(sam, alex, now=opened + timedelta(hours=1), space=SEALED_SPACE)
    sessions = {}
    for home in homes:
        session = open_space(home, SEALED_SPACE)
        session.store.index.refresh()  # learns the key granted to this device
        sessions[session.identity.member] = session
    records, _ = read_tree(layout.space)
    sealed = 0
    for record in records:
        if record.type in ("profile", "admit"):  # the twin has its own
            continue
        session = sessions[record.author]
        signer = _key(session.identity)
        record = replace(record, device=session.identity.device, key=signer.public)
        publish_new(
            session.store.path_for(record),
            encode_record(record, signer.sign, session.store.seal),
            within=layout.sealed_space,
            durable=False,
        )
        sealed += 1
    for home in homes:
        shutil.rmtree(home.cache_for(layout.sealed_space), ignore_errors=True)
    return sealed


class SequentialStore(RecordStore):
    """A RecordStore whose `publish` takes the next clock from a `_Clock` shared by both homes.

    peerlog's own `publish` keeps each device's clock in a small cache file that it replaces on
    every write; on this machine's ext4 that rename alone costs about 2 ms, which would make
    15,000 records take most of a minute. Here both partners write in turn in one process, so one
    counter gives exactly the clocks the real path would (each device sees the other's newest
    record at once). Each record is still built and checked by peerlog's actions and written by
    peerlog's `publish_new`, without fsync, as `durable=False` homes do. The caches are dropped
    afterwards, so the first command rebuilds them (and the clock) from the files.
    """

    def __init__(self, root: Path, cache_folder: Path, clock: _Clock, signer: DeviceKey) -> None:
        super().__init__(root, cache_folder, private=False, durable=False, signer=signer)
        self.clock = clock

    def publish(
        self,
        build: Callable[[int], Record],
        *,
        writer: tuple[str, str] | None = None,
        **_: Any,
    ) -> Record:
        assert self.signer is not None
        record = replace(build(self.clock.next()), key=self.signer.public)
        publish_new(
            self.path_for(record),
            encode_record(record, self.signer.sign),
            within=self.within,
            file_mode=self.file_mode,
            dir_mode=self.dir_mode,
            durable=False,
        )
        return record


class _Decade:
    """Plays Sam and Alex's years in the space, day by day, with peerlog's actions."""

    def __init__(self, layout: Layout, first_day: date, days: int, rng: random.Random) -> None:
        self.rng = rng
        self.first_day = first_day
        self.days = days
        homes = {
            "sam": Home(root=layout.sam_home, cache_root=layout.sam_cache, durable=False),
            "alex": Home(root=layout.alex_home, cache_root=layout.alex_cache, durable=False),
        }
        probe = RecordStore(layout.space, homes["sam"].cache_for(layout.space), private=False)
        clock = _Clock(max((r.clock for r in probe.load().records), default=0))
        identities = {who: load_identity(home) for who, home in homes.items()}
        self.shared = {
            who: JournalSession(
                identities[who],
                SequentialStore(
                    layout.space, home.cache_for(layout.space), clock, _key(identities[who])
                ),
                space=SPACE,
            )
            for who, home in homes.items()
        }
        self.goal_records: list[Record] = []  # every goal event but the logs: enough for state
        self.goal_ids: dict[str, str] = {}
        self.views: dict[str, GoalView] = {}  # valid until the next goal event
        self.counts: Counter[str] = Counter()
        self.resources: list[Resource] = []

    # helpers

    def at(self, day: int, hour: int, minute: int = 0) -> datetime:
        start = datetime.combine(self.first_day, datetime.min.time()).astimezone()
        return start + timedelta(days=day, hours=hour, minutes=minute)

    def count(self, record: Record) -> Record:
        self.counts[type(record).__name__] += 1
        return record

    def goal_event(self, record: Record) -> None:
        self.goal_records.append(self.count(record))
        self.views.clear()

    def view(self, title: str) -> GoalView:
        if title not in self.views:
            goal_id = self.goal_ids[title]
            found = fold_goals(self.goal_records, SPACE)
            self.views[title] = next(g for g in found if g.id == goal_id)
        return self.views[title]

    def resting(self, day: date) -> bool:
        return any(isinstance(r, GoalRest) and r.start <= day <= r.until for r in self.goal_records)

    @staticmethod
    def other(who: str) -> str:
        return "alex" if who == "sam" else "sam"

    # goals

    def propose(self, who: str, title: str, moment: datetime, target: str, why: str = "") -> None:
        record = publish_as_me(
            self.shared[who],
            GoalProposal,
            now=moment,
            title=title,
            why=why,
            target=target,
            by=None,
            participants=("alex", "sam"),
        )
        self.goal_ids[title] = record.id
        self.goal_event(record)

    def act(self, action: str, who: str, title: str, moment: datetime, **extra: Any) -> None:
        """One goal action (accept_goal, amend_goal, …) through peerlog's own checks."""
        function = getattr(goals, action)
        self.goal_event(function(self.shared[who], self.view(title), now=moment, **extra))

    def log(self, who: str, title: str, moment: datetime, note: str = "") -> None:
        session, view = self.shared[who], self.view(title)
        self.count(goals.log_progress(session, view, now=moment, amount=1, note=note))

    # the story

    def play(self) -> None:
        for who, hour in (("sam", 9), ("alex", 14)):
            self.count(dialogue.agree(self.shared[who], "cadence", "2d", now=self.at(0, hour)))
        self.propose("sam", WALK_GOAL, self.at(0, 10), "2/week", "fresh air, talk")
        self.act("accept_goal", "alex", WALK_GOAL, self.at(0, 13))
        for day in range(self.days):
            self.goal_story(day)
            self.one_day(day)

    def goal_story(self, day: int) -> None:
        """The goal and agreement events of one day."""
        year, day_of_year = divmod(day, 365)
        reading = f"Read 6 books in year {year + 1}"
        sleep = "In bed before midnight"
        if day == 120:
            self.act("amend_goal", "alex", WALK_GOAL, self.at(day, 8), target="3/week")
        if day == 122:
            self.act("accept_goal", "sam", WALK_GOAL, self.at(day, 8))
        if day == 200:
            self.propose("sam", sleep, self.at(day, 20), "5/week")
            reason = "five is too many with my shifts"
            self.act("decline_goal", "alex", sleep, self.at(day, 23), reason=reason)
        if day == 201:
            self.act("amend_goal", "sam", sleep, self.at(day, 7), target="3/week")
            self.act("accept_goal", "alex", sleep, self.at(day, 9))
        if day == 900:
            self.propose("sam", "Couch to 5k", self.at(day, 7), "3/week", "knees willing")
            self.act("accept_goal", "alex", "Couch to 5k", self.at(day, 8))
        if day == 980:
            self.act("withdraw_goal", "alex", "Couch to 5k", self.at(day, 9), reason="knee")
        if day == 985:
            self.act("withdraw_goal", "sam", "Couch to 5k", self.at(day, 9), reason="later")
        if day == 1460:
            for who, hour in (("alex", 10), ("sam", 11)):
                moment = self.at(day, hour)
                self.count(dialogue.agree(self.shared[who], "cadence", "weekly", now=moment))
        if day == 1500:
            self.act("amend_goal", "sam", WALK_GOAL, self.at(day, 8), target="2/week")
            self.act("accept_goal", "alex", WALK_GOAL, self.at(day, 12))
        if day_of_year == 180 and day + 40 < self.days:
            start = self.at(day + 30, 0).date()
            until = start + timedelta(days=7)
            self.act("rest_goal", "sam", WALK_GOAL, self.at(day, 8), start=start, until=until)
        if day_of_year == 10:
            self.propose("alex", reading, self.at(day, 9), "6 books", "less screen")
            self.act("accept_goal", "sam", reading, self.at(day, 17))
        if day_of_year == 350 and day + 15 < self.days:
            for who, hour in (("alex", 10), ("sam", 19)):
                self.act("complete_goal", who, reading, self.at(day, hour))
        if day == self.days - 3:
            self.propose("alex", "Try the climbing wall", self.at(day, 18), "", "something new")

    def one_day(self, day: int) -> None:
        rng = self.rng
        year, day_of_year = divmod(day, 365)
        posts: list[tuple[str, str, bool]] = []  # (author, id, is a check-in)
        for who, first_hour in (("sam", 7), ("alex", 8)):
            posts.append((who, self.entry(who, self.at(day, first_hour + rng.randrange(3))), False))
        for who in ("sam", "alex"):
            evening = self.at(day, 18, rng.randrange(60))
            walk_day = evening.weekday() in (2, 5, 6) and rng.random() < 0.7
            if walk_day and not self.resting(evening.date()):
                self.log(who, WALK_GOAL, evening, rng.choice(["", "", "river path", "canal"]))
            if day > 201 and rng.random() < 0.3:
                self.log(who, "In bed before midnight", evening + timedelta(minutes=5))
            if 10 < day_of_year < 350 and day_of_year % 110 == (0 if who == "sam" else 55):
                self.log(who, f"Read 6 books in year {year + 1}", evening, "finished one")
            if 900 < day < 980 and evening.weekday() in (0, 2, 4) and rng.random() < 0.6:
                self.log(who, "Couch to 5k", evening + timedelta(minutes=10))
            if rng.random() < 0.28:
                posts.append((who, self.checkin(who, self.at(day, 20, rng.randrange(60))), True))
        for author, post_id, is_checkin in posts:
            if rng.random() < (0.55 if is_checkin else 0.04):
                moment = self.at(day, 21, 30 + rng.randrange(30))
                body = rng.choice(_REPLIES)
                session = self.shared[self.other(author)]
                self.count(publish_as_me(session, Reply, now=moment, target=post_id, body=body))
        if day % 450 == 30 and len(self.resources) < len(_RESOURCES):
            self.resource(day)

    def entry(self, who: str, moment: datetime) -> str:
        """One entry (sometimes edited or deleted later that day); its id."""
        rng, session = self.rng, self.shared[who]
        text = f"{rng.choice(_OPENERS)} {rng.choice(_DETAILS)}"
        if rng.random() < 0.4:
            text += f" #{rng.choice(_TAGS)}"
        tags = rng.sample(_TAGS, rng.choice([0, 0, 1, 1, 2]))
        mood = rng.choices([1, 2, 3, 4, 5], weights=[1, 3, 5, 4, 2])[0]
        moment += timedelta(minutes=rng.randrange(60))
        entry = write_entry(session, text, now=moment, tags=tags, mood=mood)
        self.count(entry)
        later = moment + timedelta(hours=1)
        if rng.random() < 0.01:
            edited = text + " (Edited: it was better than I first wrote.)"
            revision = publish_as_me(
                session,
                Revision,
                now=later,
                target=entry.id,
                body=edited,
                tags=entry.tags,
                mood=min(5, mood + 1),
            )
            self.count(revision)
        elif rng.random() < 0.003:
            self.count(publish_as_me(session, Deletion, now=later, target=entry.id))
        return entry.id

    def checkin(self, who: str, moment: datetime) -> str:
        rng = self.rng
        record = dialogue.write_checkin(
            self.shared[who],
            now=moment,
            mood=rng.choices([2, 3, 4, 5], weights=[2, 4, 4, 2])[0],
            wins=rng.sample(_WINS, rng.choice([0, 1, 1, 2])),
            struggles=rng.sample(_STRUGGLES, rng.choice([0, 0, 1])),
            need=rng.choice(_NEEDS) if rng.random() < 0.2 else "",
        )
        return self.count(record).id

    def resource(self, day: int) -> None:
        title, url, note, tag = _RESOURCES[len(self.resources)]
        who = "sam" if len(self.resources) % 2 == 0 else "alex"
        moment = self.at(day, 12)
        session = self.shared[who]
        resource = dialogue.add_resource(session, title, now=moment, url=url, note=note, tags=[tag])
        self.resources.append(resource)
        self.count(resource)
        helper = self.shared[self.other(who)]
        later = moment + timedelta(days=3)
        self.count(publish_as_me(helper, Helped, now=later, target=resource.id))


# --- the whole data set ----------------------------------------------------------------------


def _command(argv: Sequence[str | Path]) -> list[str]:
    return [str(a) for a in argv]


def _check(result: subprocess.CompletedProcess[str], what: str) -> str:
    if result.returncode != 0:
        raise SystemExit(f"{what} failed (exit {result.returncode}):\n{result.stderr.strip()}")
    return result.stdout


def _private_journal(
    layout: Layout, *, seed: int, first_day: date, days: int, jrnl: Path, peerlog: Path
) -> tuple[subprocess.Popen[str], int]:
    """Write the jrnl journal and its config, then start `jrnl --format json` exporting it and
    `peerlog import jrnl` importing the export (a shell-free pipeline, in the background)."""
    text, entries = jrnl_text(random.Random(seed + 1), first_day, days)  # noqa: S311
    layout.jrnl_dir.mkdir(parents=True, exist_ok=True)
    layout.journal_txt.write_text(text, encoding="utf-8")
    write_jrnl_config(layout.jrnl_config_home, {"default": layout.journal_txt})
    exported = subprocess.run(
        _command([jrnl, "--format", "json"]),
        env=jrnl_env(layout.sandbox, layout.jrnl_config_home),
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        check=False,
    )
    layout.jrnl_export.write_text(_check(exported, "jrnl --format json"), encoding="utf-8")
    count = len(json.loads(layout.jrnl_export.read_text(encoding="utf-8"))["entries"])
    if count != entries:
        raise SystemExit(f"jrnl exported {count} entries, not the {entries} written.")
    importing = subprocess.Popen(
        _command([peerlog, "import", "jrnl", layout.jrnl_export]),
        env=peerlog_env(layout.sandbox, layout.sam_home, layout.sam_cache),
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    return importing, entries


def generate(
    folder: Path,
    *,
    years: int,
    seed: int,
    end: date,
    jrnl: Path,
    peerlog: Path,
    log: Callable[[str], None] = print,
) -> dict[str, Any]:
    """Make the data set in `folder` (which must be empty or missing); return the manifest."""
    layout = Layout(folder.absolute())
    layout.root.mkdir(parents=True, exist_ok=True)
    if any(layout.root.iterdir()):
        raise SystemExit(f"{layout.root} is not empty (use --force to replace it).")
    days = 365 * years
    first_day = end - timedelta(days=days)
    started = time.perf_counter()

    sam = Home(root=layout.sam_home, cache_root=layout.sam_cache, durable=False)
    alex = Home(root=layout.alex_home, cache_root=layout.alex_cache, durable=False)
    initialise(sam, "sam", "Sam")
    initialise(alex, "alex", "Alex")
    importing, journal_entries = _private_journal(
        layout, seed=seed, first_day=first_day, days=days, jrnl=jrnl, peerlog=peerlog
    )
    log(f"jrnl: {journal_entries:,} entries exported; peerlog import jrnl started")

    opened = datetime.combine(first_day, datetime.min.time()).astimezone()
    create_space(sam, layout.space, SPACE, now=opened + timedelta(hours=8))
    join_space(alex, layout.space, now=opened + timedelta(hours=8, minutes=30))
    _admit_each_other(sam, alex, now=opened + timedelta(hours=9))
    decade = _Decade(layout, first_day, days, random.Random(seed))  # noqa: S311 (sample data)
    decade.play()
    for home in (sam, alex):  # their clocks are stale now: the first command rebuilds them
        shutil.rmtree(home.cache_for(layout.space), ignore_errors=True)
    space_seconds = time.perf_counter() - started
    space_files = sum(1 for _ in layout.space.rglob("*.md"))
    log(f"space: {space_files:,} records in {space_seconds:.1f} s")
    sealed = _sealed_twin(layout, opened + timedelta(hours=8))
    log(f"sealed space: {sealed:,} records sealed")

    _, err = importing.communicate()
    if importing.returncode != 0:
        raise SystemExit(f"peerlog import jrnl failed (exit {importing.returncode}):\n{err}")
    imported = sum(1 for _ in layout.sam_home.joinpath("journal").rglob("*.md"))
    if imported != journal_entries:
        raise SystemExit(f"peerlog imported {imported} entries, not {journal_entries}.")
    total = time.perf_counter() - started
    log(f"private journal: {imported:,} entries imported; all done in {total:.1f} s")

    manifest: dict[str, Any] = {
        "generator_version": GENERATOR_VERSION,
        "years": years,
        "seed": seed,
        "end": end.isoformat(),
        "first_day": first_day.isoformat(),
        "generated_at": datetime.now().astimezone().isoformat(timespec="seconds"),
        "space": SPACE,
        "space_records": space_files,
        "sealed_space": SEALED_SPACE,
        "sealed_records": sealed,
        "space_counts": dict(sorted(decade.counts.items())),
        "journal_entries": journal_entries,
        "journal_bytes": layout.journal_txt.stat().st_size,
        "search_word": SEARCH_WORD,
        "walk_goal": decade.goal_ids[WALK_GOAL],
        "goals": decade.goal_ids,
        "jrnl_version": JRNL_VERSION,
        "seconds": {"space": round(space_seconds, 1), "total": round(total, 1)},
    }
    layout.manifest.write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return manifest


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description="Generate the ten-year benchmark data set.")
    parser.add_argument("folder", type=Path, help="where to put the data (created; must be empty)")
    parser.add_argument("--years", type=int, default=10, help="years of history (default 10)")
    parser.add_argument("--seed", type=int, default=2026, help="random seed (default 2026)")
    parser.add_argument(
        "--end",
        type=date.fromisoformat,
        default=date.today(),
        help="the history ends the day before this date (default: today)",
    )
    parser.add_argument("--jrnl", type=Path, help="the jrnl 4.6 executable (default: on PATH)")
    parser.add_argument("--peerlog", type=Path, help="the peerlog executable to import with")
    parser.add_argument("--force", action="store_true", help="replace FOLDER if it exists")
    args = parser.parse_args(argv)
    found = shutil.which("jrnl")
    jrnl = args.jrnl or (Path(found) if found else None)
    if jrnl is None:
        raise SystemExit("jrnl 4.6 is needed: pass --jrnl PATH (run.py installs one for itself).")
    if args.force and args.folder.exists():
        shutil.rmtree(args.folder)
    manifest = generate(
        args.folder,
        years=args.years,
        seed=args.seed,
        end=args.end,
        jrnl=jrnl,
        peerlog=args.peerlog or default_peerlog(),
    )
    print(json.dumps(manifest, indent=2))


if __name__ == "__main__":
    main()
