"""The home folder: where it is, the config, the device identity, the private journal's root.

The home is `PEERLOG_HOME`, else the platform's user data dir. It is private: folders 0700,
files 0600. The device id is made here, on this machine, and must never be copied to another
(the home's `.stignore` keeps Syncthing from doing so). Owns these files; knows no Rich or Typer.
"""

from __future__ import annotations

import os
import zlib
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Any

from peerlog.classes import dataclass
from peerlog.errors import NotInitialised, Refused, StorageError
from peerlog.records import check_member_id, is_device_id, new_device_id
from peerlog.store.keys import KEY_NAME, DeviceKey, create_device_key, load_device_key
from peerlog.store.publish import ensure_dir, replace_private
from peerlog.store.toml_subset import TOMLError, loads

HOME_IGNORE = """\
// peerlog home: if you sync it between your own devices, each device keeps its own identity.
device.toml
device.key
.~peerlog-*
"""


@dataclass(frozen=True, slots=True)
class Identity:
    """Who is writing, and from which machine."""

    member: str
    name: str
    device: str
    key: DeviceKey | None = None  # this device's signing key (None only in tests of the fold)


@dataclass(frozen=True, slots=True)
class Home:
    """The resolved locations for one run."""

    root: Path
    cache_root: Path
    durable: bool = True  # False only for sandboxes (the tour) and generated data: no fsync
    now: datetime | None = None  # a pinned "now" (PEERLOG_NOW, tests) that bounds clocks on read
    # Asks for the passphrase of an encrypted journal (the CLI: PEERLOG_PASSPHRASE or a prompt).
    passphrase: Callable[[], str] | None = None

    @property
    def config_file(self) -> Path:
        return self.root / "config.toml"

    @property
    def device_file(self) -> Path:
        return self.root / "device.toml"

    @property
    def key_file(self) -> Path:
        return self.root / KEY_NAME

    @property
    def journal_root(self) -> Path:
        return self.root / "journal"

    @property
    def journal_key_file(self) -> Path:
        """Where an encrypted journal's key is kept, locked with the passphrase."""
        return self.root / "journal.key"

    def cache_for(self, root: Path) -> Path:
        """The cache folder for one record root (the private journal, or a space)."""
        path = str(root.absolute()).encode()
        # Two CRCs make a 64-bit folder key; zlib is cheap to import, hashlib is not.
        key = f"{zlib.crc32(path):08x}{zlib.crc32(path[::-1]):08x}"
        return self.cache_root / key

    def is_initialised(self) -> bool:
        return self.config_file.is_file() and self.device_file.is_file()


def resolve_home(environ: Mapping[str, str], now: datetime | None = None) -> Home:
    """Find the home and the cache folder from the environment (without creating anything)."""
    home_env, cache_env = environ.get("PEERLOG_HOME"), environ.get("PEERLOG_CACHE_DIR")
    if home_env:
        root = Path(home_env).expanduser()
    else:
        from platformdirs import user_data_dir

        root = Path(user_data_dir("peerlog", appauthor=False))
    if cache_env:
        cache = Path(cache_env).expanduser()
    else:
        from platformdirs import user_cache_dir

        cache = Path(user_cache_dir("peerlog", appauthor=False))
    return Home(root=root.absolute(), cache_root=cache.absolute(), now=now)


def _read_toml(path: Path, *, missing_ok: bool = False) -> dict[str, Any]:
    """The TOML file `path`: FileNotFoundError if it is not there, or `{}` if `missing_ok`."""
    try:
        with open(path, "rb") as handle:
            return loads(handle.read().decode("utf-8"))
    except FileNotFoundError:
        if missing_ok:
            return {}
        raise
    except (OSError, TOMLError, UnicodeDecodeError) as exc:
        raise StorageError(
            f"Could not read {path}: {exc}.",
            hint="Fix or restore that file; peerlog will not overwrite it.",
        ) from None


def _write_toml(home: Home, path: Path, value: dict[str, Any]) -> None:
    """Replace the file `path` of the home with `value` (the home is private, single-writer)."""
    import tomli_w

    try:
        replace_private(path, tomli_w.dumps(value).encode(), within=home.root)
    except OSError as exc:
        raise StorageError(f"Could not update {path}: {exc.strerror}.") from None


def _member_of(home: Home) -> tuple[str, str]:
    """(member id, name) from config.toml; FileNotFoundError if it is not there."""
    config = _read_toml(home.config_file)
    member = config.get("member", {})
    member_id = member.get("id") if isinstance(member, dict) else None
    name = member.get("name") if isinstance(member, dict) else None
    if not isinstance(member_id, str) or not isinstance(name, str):
        raise StorageError(
            f"{home.config_file} has no [member] id and name.",
            hint="Move it away and run `peerlog init` again; your journal is kept.",
        )
    check_member_id(member_id)
    return member_id, name


def _device_of(home: Home) -> str:
    """This machine's device id from device.toml; FileNotFoundError if it is not there."""
    device_id = _read_toml(home.device_file).get("id")
    if not isinstance(device_id, str) or not is_device_id(device_id):
        raise StorageError(
            f"{home.device_file} holds no valid device id.",
            hint="Move it away and run `peerlog init` again to make a new device id.",
        )
    return device_id


def load_identity(home: Home) -> Identity:
    """The member and device of this home. Raises NotInitialised before `peerlog init`."""
    try:
        member_id, name = _member_of(home)
        device_id = _device_of(home)
    except FileNotFoundError:
        raise NotInitialised(
            f"peerlog is not set up in {home.root} yet.",
            hint='Run `peerlog init --name "Your Name"` first.',
        ) from None
    first_use = not home.key_file.exists()
    key = load_device_key(home.key_file)  # a home made before keys gets one now
    if first_use:
        _ignore_key_file(home)
    return Identity(member=member_id, name=name, device=device_id, key=key)


def _ignore_key_file(home: Home) -> None:
    """Keep the key out of Syncthing in a home made before keys (its .stignore lacks it)."""
    path = home.root / ".stignore"
    try:
        text = path.read_text("utf-8") if path.exists() else HOME_IGNORE
        if KEY_NAME not in text.splitlines():
            data = (text.rstrip("\n") + f"\n{KEY_NAME}\n").encode()
            replace_private(path, data, within=home.root)
    except (OSError, UnicodeDecodeError):
        pass  # the ignore file is a courtesy to Syncthing users; the key is made all the same


def initialise(home: Home, member: str, name: str) -> Identity:
    """Create the home: config, device identity, journal folder.

    Never overwrites: with both files present it refuses; with one of them moved away (as the
    error for a damaged file suggests) it writes only the missing one, keeping the other.
    """
    import tomli_w

    has_config, has_device = home.config_file.exists(), home.device_file.exists()
    if has_config and has_device:
        existing = load_identity(home)
        raise Refused(
            f"peerlog is already set up in {home.root} as {existing.name} ({existing.member}).",
            hint="Use PEERLOG_HOME to keep another journal elsewhere.",
        )
    if has_config:
        member, name = _member_of(home)  # who you are stays; this machine gets a new device id
    device = _device_of(home) if has_device else new_device_id()
    try:
        ensure_dir(home.root, 0o700, within=home.root)
        os.chmod(home.root, 0o700)
        if not has_config:
            config = {"format": 1, "member": {"id": member, "name": name}}
            replace_private(home.config_file, tomli_w.dumps(config).encode(), within=home.root)
        if not has_device:
            replace_private(
                home.device_file, tomli_w.dumps({"id": device}).encode(), within=home.root
            )
        if not (home.root / ".stignore").exists():
            replace_private(home.root / ".stignore", HOME_IGNORE.encode(), within=home.root)
        ensure_dir(home.journal_root, 0o700, within=home.root)
    except OSError as exc:
        raise StorageError(f"Could not create the home in {home.root}: {exc.strerror}.") from None
    # A new device id gets a new key; a kept device id keeps its key, or gets one if it had none.
    key: DeviceKey = load_device_key(home.key_file) if has_device else _fresh_key(home.key_file)
    return Identity(member=member, name=name, device=device, key=key)


def _fresh_key(path: Path) -> DeviceKey:
    """A new key for a new device id; a key left from an earlier device id is moved aside."""
    if path.exists():
        path.replace(path.with_name(f"{KEY_NAME}.old-{os.urandom(4).hex()}"))
    return create_device_key(path)


@dataclass(frozen=True, slots=True)
class SpaceRef:
    """A space this home has joined, as kept in config.toml under [spaces.<name>]."""

    name: str
    path: Path
    id: str
    # Who created the space and their key, as space.toml said when this home joined it (so a
    # space.toml changed later cannot change who the space's trust starts from).
    creator: str = ""
    creator_key: str = ""
    sealed: bool = False  # as space.toml said when this home joined it: records are sealed


def registered_spaces(home: Home) -> dict[str, SpaceRef]:
    """The spaces joined from this home, by local name."""
    table = _read_toml(home.config_file, missing_ok=True).get("spaces", {})
    spaces = {}
    if isinstance(table, dict):
        for name, entry in table.items():
            if isinstance(entry, dict) and isinstance(entry.get("path"), str):
                spaces[name] = SpaceRef(
                    name,
                    Path(entry["path"]),
                    str(entry.get("id", "")),
                    str(entry.get("creator", "")),
                    str(entry.get("creator_key", "")),
                    entry.get("sealed") is True,
                )
    return spaces


def register_space(home: Home, ref: SpaceRef) -> None:
    """Add a space to config.toml (the home is private and single-writer, so it is rewritten)."""
    config = _read_toml(home.config_file)
    spaces = config.setdefault("spaces", {})
    spaces[ref.name] = {"path": str(ref.path), "id": ref.id}
    if ref.creator:
        spaces[ref.name].update(creator=ref.creator, creator_key=ref.creator_key)
    if ref.sealed:
        spaces[ref.name]["sealed"] = True
    _write_toml(home, home.config_file, config)


def help_contacts(home: Home) -> list[str]:
    """The support contacts the user chose for `help-now` (config.toml [help] contacts)."""
    table = _read_toml(home.config_file, missing_ok=True).get("help", {})
    contacts = table.get("contacts", []) if isinstance(table, dict) else []
    return [c for c in contacts if isinstance(c, str)] if isinstance(contacts, list) else []


def set_help_contacts(home: Home, contacts: list[str]) -> None:
    config = _read_toml(home.config_file)
    config.setdefault("help", {})["contacts"] = contacts
    _write_toml(home, home.config_file, config)


SEEN_NAME = "seen.toml"
SEEN_KEPT = 2000  # the newest ids kept: news older than the reply window never comes back


def seen_news(home: Home) -> frozenset[str]:
    """Ids of the news `due` has shown (a file in the home, never in a space: DESIGN §2.5).
    An unreadable file counts as nothing seen: at worst, news shows once more."""
    try:
        ids = _read_toml(home.root / SEEN_NAME, missing_ok=True).get("ids", [])
    except StorageError:
        return frozenset()
    return frozenset(i for i in ids if isinstance(i, str)) if isinstance(ids, list) else frozenset()


def mark_news_seen(home: Home, ids: Iterable[str]) -> None:
    """Remember that the news with these record ids was shown."""
    seen = seen_news(home)
    new = [i for i in ids if i not in seen]
    if new:
        kept = sorted(seen | set(new))[-SEEN_KEPT:]  # ids sort by time
        _write_toml(home, home.root / SEEN_NAME, {"ids": kept})
