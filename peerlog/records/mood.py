"""Mood: a self-chosen answer from 1 to 5 to "How are you feeling?". Never a score."""

from __future__ import annotations

from peerlog.errors import UsageError

MOOD_WORDS = {1: "rough", 2: "low", 3: "okay", 4: "good", 5: "great"}
_CHOICES = ", ".join(f"{n} {word}" for n, word in MOOD_WORDS.items()) + "."


def check_mood(value: int | None) -> int | None:
    """Return a valid mood (or None), else raise a UsageError that says what is allowed."""
    if value is None or value in MOOD_WORDS:
        return value
    raise UsageError(f"Mood must be a whole number from 1 to 5, not {value}.", hint=_CHOICES)


def parse_mood(text: str) -> int:
    """A mood from what a person types: a number from 1 to 5, or the scale's own word in any
    case (`good`, `Great`). Raises a UsageError that says what is allowed."""
    answer = text.strip().lower()
    for number, word in MOOD_WORDS.items():
        if answer in (str(number), word, f"{number}/5"):
            return number
    shown = text.strip()[:20]
    raise UsageError(
        f"Mood must be a whole number from 1 to 5 or its word (--mood good), not '{shown}'.",
        hint=_CHOICES,
    )


def mood_label(value: int) -> str:
    return f"{MOOD_WORDS[value]} ({value}/5)"
