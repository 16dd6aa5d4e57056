"""Setting up: `init` creates the home; `tour` shows peerlog in a throwaway sandbox."""

from __future__ import annotations

from typing import Annotated

import typer

from peerlog.cli.context import get_env, keep_in_keyring
from peerlog.errors import Refused, UsageError
from peerlog.render import messages


def init(
    ctx: typer.Context,
    name: Annotated[str, typer.Option("--name", help="Your name, as peers will see it.")],
    member: Annotated[
        str | None,
        typer.Option(
            "--member", help="Your member id (lowercase letters, digits, '-'). Default: from name."
        ),
    ] = None,
    encrypt: Annotated[
        bool,
        typer.Option(
            "--encrypt",
            help="Encrypt your private journal with a passphrase (PEERLOG_PASSPHRASE, or "
            "asked). Forget it and the journal is gone.",
        ),
    ] = False,
    keyring: Annotated[
        bool,
        typer.Option(
            "--keyring",
            help="With --encrypt: keep the passphrase in the system keyring, so commands do "
            "not ask for it (needs `pip install 'peerlog[keyring]'`).",
        ),
    ] = False,
) -> None:
    """Set up peerlog: your name, member id and this device's id."""
    from peerlog.records import check_member_id
    from peerlog.records.names import member_id_from_name
    from peerlog.render.sanitize import clean_line
    from peerlog.store import initialise

    env = get_env(ctx)
    display = clean_line(name).strip()
    if not display:
        raise UsageError("Your name cannot be empty.", hint='Pass --name "Your Name".')
    member_id = member if member is not None else member_id_from_name(display)
    if member_id is None:
        raise UsageError(
            f"Could not make a member id from the name '{display}'.",
            hint="Choose one with --member, e.g. --member sam.",
        )
    if keyring and not encrypt:
        raise UsageError("--keyring keeps the passphrase of --encrypt.", hint="Add --encrypt.")
    passphrase = None
    if encrypt:
        from peerlog.actions.encryption import check_new_passphrase, create_encrypted_journal
        from peerlog.store.journal_key import weak_kdf_wanted

        passphrase = check_new_passphrase(env.new_passphrase())  # before anything is made
    identity = initialise(env.home, check_member_id(member_id), display)
    messages.info(f"Welcome, {identity.name}. Your journal is in {env.home.root}.")
    if passphrase is not None:
        fast = weak_kdf_wanted(env.environ)
        if fast:
            messages.warning(
                "the passphrase is protected at test strength (PEERLOG_TEST_KDF=fast)."
            )
        create_encrypted_journal(env.home, passphrase, fast=fast)
        messages.info(
            "Your private journal is encrypted. Without the passphrase nobody, not even peerlog, "
            "can read it: keep it somewhere safe."
        )
        if keyring:
            keep_in_keyring(env.home.root, passphrase)
            messages.info("The passphrase is in your system keyring too.")
    messages.info(f"Member id: {identity.member}; this device: {identity.device}.")
    messages.info(
        "This device has its own signing key (device.key in that folder): keep it there, "
        "never copy it."
    )
    messages.info('Write your first entry with `peerlog write "..."`, or see `peerlog --help`.')


def encrypt(
    ctx: typer.Context,
    keyring: Annotated[
        bool,
        typer.Option(
            "--keyring",
            help="Keep the passphrase in the system keyring, so commands do not ask for it "
            "(needs `pip install 'peerlog[keyring]'`).",
        ),
    ] = False,
) -> None:
    """Encrypt your private journal with a passphrase (every entry rewritten, sealed).

    The passphrase comes from PEERLOG_PASSPHRASE or is asked twice. From then on every
    command that reads or writes the journal asks for it. There is no recovery: forget the
    passphrase and the journal is gone.
    """
    from peerlog.actions.encryption import encrypt_journal
    from peerlog.store import load_identity
    from peerlog.store.journal_key import weak_kdf_wanted

    env = get_env(ctx)
    load_identity(env.home)  # not set up yet: say so before asking for a passphrase
    if env.home.journal_key_file.exists():
        raise Refused("Your private journal is already encrypted.")
    passphrase = env.new_passphrase()
    fast = weak_kdf_wanted(env.environ)
    if fast:
        messages.warning("the passphrase is protected at test strength (PEERLOG_TEST_KDF=fast).")
    if keyring:
        keep_in_keyring(env.home.root, passphrase)
    count = encrypt_journal(env.home, passphrase, fast=fast)
    messages.info(
        f"Encrypted your private journal ({count} records). Without the passphrase nobody, "
        "not even peerlog, can read it: keep it somewhere safe."
    )


def tour(
    ctx: typer.Context,
    keep: Annotated[
        bool, typer.Option("--keep/--no-keep", help="Keep the sandbox folder afterwards.")
    ] = True,
) -> None:
    """Try peerlog in a sandbox: a year of two peers' shared history (yours is not touched)."""
    from peerlog.actions.spaces import open_scopes
    from peerlog.actions.summary import build_summary
    from peerlog.actions.tour import build_tour
    from peerlog.render.console import make_console
    from peerlog.render.tour import print_tour

    env = get_env(ctx)
    now = env.now()
    sandbox = build_tour(now)
    try:
        summary, _, _ = build_summary(open_scopes(sandbox.home, everything=True), now=now)
        print_tour(make_console(), sandbox.folder, sandbox.home, summary, kept=keep)
    finally:
        if not keep:
            sandbox.remove()
