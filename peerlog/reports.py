"""What some actions report, as plain data for `render` to show: what `doctor` found, and what
`space show` describes.

Owns these result types only: no I/O, no decisions, nothing from `actions` or `render` (both use
them; the layer rules in pyproject.toml keep it so).
"""

from __future__ import annotations

from dataclasses import field

from peerlog.classes import dataclass
from peerlog.fold.agreements import AgreementView
from peerlog.fold.space import MemberView
from peerlog.fold.trust import Membership, fingerprint
from peerlog.store import Problem
from peerlog.store.home import SpaceRef
from peerlog.store.space import SpaceInfo


@dataclass(frozen=True, slots=True)
class Finding:
    kind: str
    scope: str  # "private journal" or "space NAME"
    path: str
    message: str  # what it means
    advice: str  # what to do


@dataclass(slots=True)
class Checked:
    scope: str
    root: str
    records: int


@dataclass(slots=True)
class DoctorReport:
    findings: list[Finding] = field(default_factory=list)
    checked: list[Checked] = field(default_factory=list)
    cleaned: int = 0


@dataclass(frozen=True, slots=True)
class SpaceReport:
    """What `space show` needs."""

    ref: SpaceRef
    info: SpaceInfo | None  # None when space.toml could not be read (see `notes`)
    members: tuple[MemberView, ...]
    problems: tuple[Problem, ...]
    agreements: dict[str, AgreementView]
    membership: Membership
    me: tuple[str, str, str]  # (member, device, key) of this device
    notes: tuple[str, ...] = ()  # what could not be shown, and why

    def fingerprint(self, key: str) -> str:
        return fingerprint(key, self.ref.id)
