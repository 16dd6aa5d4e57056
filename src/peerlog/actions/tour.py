"""The tour's sandbox: a throwaway home in a temporary folder with a few weeks of sample entries.

Never touches the user's real home or cache: every path is inside the sandbox folder.
"""

from __future__ import annotations

import random
import shutil
import tempfile
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from peerlog.actions.journal import JournalSession, open_private_journal, read_journal, write_entry
from peerlog.fold import Journal
from peerlog.store import Home, initialise

SAMPLE_DAYS = 21
_SAMPLES = [
    ("Slept badly again, but I went for a short walk before work and it helped a bit.", 2),
    ("Good talk with Alex tonight. Said out loud the thing I had been carrying. #peers", 4),
    ("Tried the breathing exercise from the group: four in, hold, six out. #coping", 3),
    ("Small win: I answered the email I had been avoiding for a week. #wins", 4),
    ("Tired and flat today. Not every day has to be a good one.", 2),
    ("Cooked a proper meal for the first time in ages. #wins #food", 4),
    ("Felt anxious on the bus. Noticed it, named it, it passed. #coping", 3),
    ("Morning pages: three lines is still pages. #writing", 3),
    ("Sun was out. Sat in the park for twenty minutes with no phone. #outside", 5),
    ("Hard day at work. Wrote it down here instead of letting it spin. #work", 2),
    ("Check-in call with the group was short but warm. #peers", 4),
    ("Read two chapters before bed instead of scrolling. #sleep", 4),
]


@dataclass(frozen=True, slots=True)
class Sandbox:
    """A finished tour sandbox."""

    folder: Path
    home: Home
    journal: Journal

    def remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)


def build_tour(now: datetime, folder: Path | None = None) -> Sandbox:
    """Create the sandbox under `folder` (default: a new temporary folder) and fill it."""
    root = folder if folder is not None else Path(tempfile.mkdtemp(prefix="peerlog-tour-"))
    home = Home(root=root / "home", cache_root=root / "cache")
    initialise(home, "sam", "Sam")
    session = open_private_journal(home)
    write_samples(session, now)
    journal, _ = read_journal(session)
    return Sandbox(folder=root, home=home, journal=journal)


def write_samples(session: JournalSession, now: datetime, days: int = SAMPLE_DAYS) -> None:
    """A believable few weeks of entries, the same every time (seeded)."""
    rng = random.Random(days)  # noqa: S311 (sample text, not secrets)
    for back in range(days, 0, -1):
        if rng.random() < 0.3:
            continue  # nobody writes every day, and that is fine
        day = now - timedelta(days=back)
        moment = day.replace(hour=rng.choice([7, 8, 12, 19, 21, 22]), minute=rng.randrange(60))
        text, mood = rng.choice(_SAMPLES)
        tags = ["evening"] if moment.hour >= 19 else []
        write_entry(session, text, now=moment, when=moment, tags=tags, mood=mood)
