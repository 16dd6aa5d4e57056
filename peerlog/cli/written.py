"""After a command has written into a space: one warning when what it wrote will not count.

A device whose key is not admitted or approved yet can still write (nothing typed is lost), but
its author should know at once that the record shows as "not yet admitted", or not at all, and
what to do about it. Rich-free: the write path.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from peerlog.render import messages

if TYPE_CHECKING:
    from peerlog.actions.journal import JournalSession
    from peerlog.records import Record


def warn_if_not_counted(session: JournalSession, record: Record) -> None:
    """Say so on stderr when `record`, just saved in a space, does not count as mine."""
    if session.space is None:
        return
    from peerlog.actions.spaces import LEFT_OUT, standing_of_written

    standing = standing_of_written(session, record)
    if standing is None:
        return
    space, member = session.space, session.identity.member
    if standing == LEFT_OUT:
        messages.warning(
            f"saved, but it does not count and nobody sees it as {member}'s: this device is "
            f"not approved for {member} in {space} (or was revoked). On a device of yours that "
            f"counts there, compare this device's fingerprint (`peerlog space show {space}`) "
            f"and run `peerlog device approve --space {space}`."
        )
    else:
        messages.warning(
            f'saved; it will show as "{standing}" and count for nothing that needs agreement '
            f"until every member of {space} has admitted you: they compare your fingerprint "
            f"(`peerlog space show {space}`) and run `peerlog space admit {member} --space "
            f"{space}`."
        )
