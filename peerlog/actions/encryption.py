"""The encrypted private journal: `init --encrypt`, `peerlog encrypt`, and opening it.

The journal key is locked with a passphrase (store/journal_key.py); every record of the
journal is sealed with it and its index is kept encrypted (store/seal.py,
store/sealed_index.py). Forgetting the passphrase loses the journal: nothing here can open it
without one.
"""

from __future__ import annotations

from peerlog.errors import PeerlogError, Refused, UsageError
from peerlog.store import Home, load_identity
from peerlog.store.journal_key import create_journal_key, unlock_journal_key
from peerlog.store.seal import Seal, derive_key

MIN_PASSPHRASE = 8


def seal_for_key(epoch: str, key: bytes) -> Seal:
    return Seal(
        derive_key(key, "peerlog index of the private journal"),
        keys={epoch: key},
        missing="this home's journal key (journal.key) is not the one they were sealed with",
    )


def journal_seal(home: Home) -> Seal:
    """The seal of this home's encrypted journal, unlocked with the passphrase."""
    if home.passphrase is None:
        raise UsageError(
            "Your private journal is encrypted, and no passphrase was given.",
            hint="Set PEERLOG_PASSPHRASE, or run the command on a terminal to be asked.",
        )
    epoch, key = unlock_journal_key(home.journal_key_file, home.passphrase())
    return seal_for_key(epoch, key)


def check_new_passphrase(passphrase: str) -> str:
    if len(passphrase) < MIN_PASSPHRASE:
        raise UsageError(
            f"A passphrase needs at least {MIN_PASSPHRASE} characters.",
            hint="Choose a few words you will remember: without it, the journal is gone.",
        )
    return passphrase


def encrypt_journal(home: Home, passphrase: str, *, fast: bool = False) -> int:
    """Encrypt this home's private journal with a new key locked by `passphrase`: every
    record rewritten sealed (store/reseal.py). How many records were sealed."""
    from peerlog.actions.journal import open_private_journal
    from peerlog.store.reseal import reseal_journal

    identity = load_identity(home)
    if home.journal_key_file.exists():
        raise Refused("Your private journal is already encrypted.")
    assert identity.key is not None
    check_new_passphrase(passphrase)
    store = open_private_journal(home).store
    loaded = store.read_from_disk()
    unreadable = [p for p in loaded.problems if p.kind != "missing"]
    if unreadable:
        raise Refused(
            f"{len(unreadable)} files of your journal could not be read "
            f"(the first: {unreadable[0].path}, {unreadable[0].reason}); nothing was encrypted.",
            hint="Run `peerlog doctor`, move or fix them, and try again.",
        )
    pending = home.journal_key_file.with_name("journal.key.new")
    pending.unlink(missing_ok=True)
    epoch, key = create_journal_key(pending, passphrase, fast=fast)
    seal = seal_for_key(epoch, key)
    try:
        reseal_journal(
            store.root,
            loaded.records,
            {r.id: store.path_for(r) for r in loaded.records},
            within=home.root,
            signer=identity.key,
            seal=seal,
            key_file=(pending, home.journal_key_file),
        )
    except PeerlogError:
        pending.unlink(missing_ok=True)
        raise
    store.index.forget()  # the plain index goes; the next read builds an encrypted one
    return len(loaded.records)


def create_encrypted_journal(home: Home, passphrase: str, *, fast: bool = False) -> None:
    """`init --encrypt`: a new home's journal key, before anything is written."""
    check_new_passphrase(passphrase)
    create_journal_key(home.journal_key_file, passphrase, fast=fast)
