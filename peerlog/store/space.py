"""A space on disk: the shared folder's `space.toml`, its ignore files, and where it may live.

`space.toml` is written once, by the member who creates the space, and never again; so are the
ignore files that keep peerlog's temp files out of Syncthing and git, and the `.gitattributes`
that keeps git from converting records' line endings. Everything else in a space
is a record under `members/<member>/<device>/`. A space may never sit inside a home, nor hold one:
private entries must never reach a synced folder.
"""

from __future__ import annotations

import contextlib
from datetime import datetime
from pathlib import Path

from peerlog.classes import dataclass
from peerlog.errors import NotFound, Refused, StorageError, UsageError
from peerlog.records import is_member_id, is_record_id
from peerlog.store.home import Home, registered_spaces
from peerlog.store.keys import is_public_key
from peerlog.store.publish import (
    TEMP_PREFIX,
    TEMP_SUFFIX,
    NotARegularFile,
    publish_new,
    read_plain_file,
)
from peerlog.store.toml_subset import TOMLError, loads

SPACE_FILE = "space.toml"
_PATTERN = f"{TEMP_PREFIX}*{TEMP_SUFFIX}"
_WHY = "peerlog writes records via temp files; they are never shared."
IGNORE_FILES = {
    # Syncthing: never sync peerlog's temp files; (?d) lets them be removed if one slipped through.
    ".stignore": f"// {_WHY}\n(?d){_PATTERN}\n",
    ".gitignore": f"# {_WHY}\n{_PATTERN}\n",
    # git: records are written once and read byte for byte; `autocrlf` must never convert them.
    ".gitattributes": "# peerlog records are written once: git must keep them byte-exact.\n"
    "*.md -text\n*.toml -text\n",
}
_ALREADY = "Use `peerlog space join PATH` to join it."
SPACE_HEADER = (
    "# This folder is a peerlog space. Each member's device writes only in its own folder under\n"
    "# members/, and never changes a file once written. Keep it in Syncthing, Dropbox, Nextcloud\n"
    "# or git. This file was written once, by the member who created the space.\n"
)


@dataclass(frozen=True, slots=True)
class SpaceInfo:
    """What `space.toml` says."""

    id: str
    name: str
    created: datetime
    created_by: str
    path: Path
    creator_key: str | None = None  # the creator's device key; None in a 0.1 space
    sealed: bool = False  # every record but membership is sealed (store/seal.py)


def check_space_name(name: str) -> str:
    if is_member_id(name):
        return name
    raise UsageError(
        f"'{name}' is not a valid space name.",
        hint="Use lowercase letters, digits and single hyphens, e.g. sam-and-alex.",
    )


def _overlap(place: Path, other: Path) -> str | None:
    """How `place` overlaps `other`: "is" , "inside", "contains", or None."""
    if place == other:
        return "is"
    if other in place.parents:
        return "inside"
    if place in other.parents:
        return "contains"
    return None


def check_location(path: Path, home: Home) -> Path:
    """The absolute, resolved space path; refuses places that would mix private and shared:
    in or around the home or the cache, or in or around another space joined here."""
    resolved = path.expanduser().resolve()
    private = (
        ("your peerlog home", home.root.resolve(), "your private journal would be shared"),
        ("peerlog's cache", home.cache_root.resolve(), "the cache holds your private entries"),
    )
    for what, where, why in private:
        overlap = _overlap(resolved, where)
        if overlap == "contains":
            raise Refused(
                f"{resolved} contains {what} ({where}); {why} with it.",
                hint="Choose a folder that does not contain it.",
            )
        if overlap is not None:
            raise Refused(
                f"{resolved} is inside {what} ({where}).",
                hint="A space is a shared folder; choose one outside it.",
            )
    for ref in registered_spaces(home).values():
        other = ref.path.expanduser().resolve()
        overlap = _overlap(resolved, other)
        if overlap in ("inside", "contains"):
            raise Refused(
                f"{resolved} is {overlap} the folder of your space {ref.name} ({other}); "
                "each space's members would see the other's files.",
                hint="Choose a folder beside your other spaces, not inside or around one.",
            )
    return resolved


def create_space_files(path: Path, info: SpaceInfo) -> None:
    """Write `space.toml` and the ignore files, each create-only."""
    import tomli_w

    if (path / SPACE_FILE).exists():
        raise Refused(f"{path} is already a peerlog space.", hint=_ALREADY)
    body = {
        "format": 1,
        "id": info.id,
        "name": info.name,
        "created": info.created,
        "created_by": info.created_by,
    }
    if info.creator_key:
        body["creator_key"] = info.creator_key
    if info.sealed:
        body["sealed"] = True
    try:
        ensure_ignore_files(path)
        publish_new(path / SPACE_FILE, (SPACE_HEADER + tomli_w.dumps(body)).encode(), within=path)
    except FileExistsError:
        raise Refused(
            f"{path} is already a peerlog space.", hint="Use `peerlog space join`."
        ) from None
    except OSError as exc:
        raise StorageError(f"Could not create the space in {path}: {exc.strerror}.") from None


def ensure_ignore_files(path: Path) -> None:
    """Create the ignore files that are missing, create-only.

    Syncthing never syncs `.stignore`, so every device that joins writes its own; a git
    repository may already have a `.gitignore`, which is left alone.
    """
    for name, text in IGNORE_FILES.items():
        if not (path / name).exists():
            with contextlib.suppress(FileExistsError):  # another device's copy arrived first
                publish_new(path / name, text.encode(), within=path)


def read_space(path: Path) -> SpaceInfo:
    """Read a space's `space.toml`, with a clear error when `path` is not a space."""
    if not path.exists():
        raise NotFound(
            f"{path} does not exist.",
            hint="Check the path; if it is synced, wait until the sync tool has created it.",
        )
    if not path.is_dir():
        raise NotFound(f"{path} is not a folder.")
    try:
        data = loads(read_plain_file(path / SPACE_FILE, 64 * 1024).decode().lstrip("\ufeff"))
    except FileNotFoundError:
        raise NotFound(
            f"{path} is not a peerlog space (it has no {SPACE_FILE}).",
            hint="Create one with `peerlog space create PATH --name NAME`, "
            "or wait until it has synced.",
        ) from None
    except NotARegularFile:
        raise StorageError(
            f"{path / SPACE_FILE} is not a plain file (a named pipe, socket or device); "
            "peerlog does not read it.",
            hint="Replace it with the space's own space.toml from a peer's copy.",
        ) from None
    except OSError as exc:
        if (path / SPACE_FILE).is_symlink():
            raise StorageError(
                f"{path / SPACE_FILE} is a symbolic link; peerlog never follows links in a space.",
                hint="Replace it with the space's own space.toml.",
            ) from None
        raise StorageError(f"Could not read {path / SPACE_FILE}: {exc.strerror}.") from None
    except (TOMLError, UnicodeDecodeError, RecursionError) as exc:
        raise StorageError(f"Could not read {path / SPACE_FILE}: {exc}.") from None
    space_id, name = data.get("id"), data.get("name")
    created, created_by = data.get("created"), data.get("created_by")
    creator_key, sealed = data.get("creator_key"), data.get("sealed", False)
    if not (
        isinstance(space_id, str)
        and is_record_id(space_id)
        and isinstance(name, str)
        and is_member_id(name)
        and isinstance(created, datetime)
        and isinstance(created_by, str)
        and (creator_key is None or is_public_key(creator_key))
        and isinstance(sealed, bool)
        and (not sealed or creator_key is not None)
    ):
        raise StorageError(f"{path / SPACE_FILE} is not a valid space file.")
    return SpaceInfo(
        space_id, name, created, created_by, path, creator_key=creator_key, sealed=sealed
    )
