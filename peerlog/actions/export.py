"""Writing an export document to a file the user named."""

from __future__ import annotations

from pathlib import Path

from peerlog.errors import Refused, StorageError
from peerlog.store.publish import publish_new, replace_private


def write_export(path: Path, document: str, *, force: bool) -> None:
    """Write `document` to `path` (mode 0600: an export holds private entries).

    An existing file is only replaced with `force`, so an export never overwrites by accident.
    """
    data = document.encode("utf-8")
    try:
        if force:
            replace_private(path, data, within=path.parent)
        else:
            publish_new(path, data, within=path.parent, file_mode=0o600, dir_mode=0o700)
    except FileExistsError:
        raise Refused(
            f"{path} already exists.", hint="Choose another --out, or pass --force to replace it."
        ) from None
    except OSError as exc:
        raise StorageError(f"Could not write {path}: {exc.strerror or exc}.") from None
