"""A record changed after it was signed is refused as tampered, cold or warm, and doctor says so."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

from cli_driver import Peerlog


def settle(folder: Path) -> None:
    """Date a month folder an hour back, so the cache trusts its listing without looking again."""
    info = folder.stat()
    os.utime(folder, ns=(info.st_atime_ns, info.st_mtime_ns - 3600 * 10**9))


def words(text: str) -> str:
    return " ".join(text.split())


def flip_one_body_byte(path: Path, old: bytes, new: bytes) -> None:
    """Edit the file in place, as `dd conv=notrunc` would: same size, same folder time."""
    data = path.read_bytes()
    at = data.rindex(old)
    with open(path, "r+b") as handle:
        handle.seek(at)
        handle.write(new)


def test_one_byte_changed_in_place_is_refused_even_with_a_warm_cache(
    make_member: Callable[..., Peerlog],
) -> None:
    a = make_member("A", "a")
    entry = a.saved_id("write", "I walked to the river")
    [path] = (a.home / "journal").rglob(f"{entry}.md")
    settle(path.parent)
    assert "river" in a.ok("show", entry).stdout  # the cache is warm, the folder settled
    assert "river" in a.ok("show", entry).stdout
    flip_one_body_byte(path, b"river", b"rivet")
    assert path.read_bytes().count(b"rivet") == 1

    shown = a("show", entry)
    assert "rivet" not in shown.stdout  # the changed text is never shown

    doctor = a("doctor")
    assert doctor.exit_code == 8
    assert str(path) in "".join(doctor.stdout.split())  # wrapped to the terminal's width
    assert "do not match the signature" in " ".join(doctor.stdout.split())

    after = a("show", entry)
    assert after.exit_code == 4
    assert "rivet" not in after.stdout
    assert "do not match the signature" in words(after.stderr)

    shutil.rmtree(a.cache)  # cold: the same
    cold = a("show", entry)
    assert cold.exit_code == 4
    assert "do not match the signature" in words(cold.stderr)


def test_a_signature_line_removed_is_refused(make_member: Callable[..., Peerlog]) -> None:
    a = make_member("A", "a")
    entry = a.saved_id("write", "Slept well")
    [path] = (a.home / "journal").rglob(f"{entry}.md")
    text = path.read_text()
    lines = [line for line in text.split("\n") if not line.startswith("signature = ")]
    path.write_text("\n".join(lines))
    result = a("show", entry)
    assert result.exit_code == 4
    assert "carries no signature" in words(result.stderr)
    assert a("doctor").exit_code == 8


def test_records_on_disk_are_signed_and_the_secret_stays_home(
    make_member: Callable[..., Peerlog], tmp_path: Path
) -> None:
    a = make_member("A", "a")
    key_file = a.home / "device.key"
    assert key_file.stat().st_mode & 0o777 == 0o600
    secret = [line for line in key_file.read_text().splitlines() if line.startswith("secret")]
    assert len(secret) == 1
    secret_text = secret[0].split('"')[1]
    shared = tmp_path / "shared"
    a.ok("space", "create", str(shared), "--name", "pair")
    entry = a.saved_id("write", "Hello", "--space", "pair")
    [path] = shared.rglob(f"{entry}.md")
    text = path.read_text()
    assert "\nkey = " in text
    front = text.split("+++\n")[1]
    assert front.splitlines()[-1].startswith('signature = "')
    for file in shared.rglob("*"):
        if file.is_file():
            assert secret_text not in file.read_text()
    for result in (a.ok("space", "show", "pair"), a.ok("doctor")):
        assert secret_text not in result.stdout + result.stderr


def test_a_home_made_before_keys_gets_one_on_first_use(make_member: Callable[..., Peerlog]) -> None:
    a = make_member("A", "a")
    (a.home / "device.key").unlink()
    ignore = a.home / ".stignore"
    ignore.write_text(ignore.read_text().replace("device.key\n", ""))  # as 0.1 wrote it
    entry = a.saved_id("write", "Still here")
    assert (a.home / "device.key").stat().st_mode & 0o777 == 0o600
    [path] = (a.home / "journal").rglob(f"{entry}.md")
    assert 'signature = "' in path.read_text()
    assert "Still here" in a.ok("show", entry).stdout
    assert "device.key" in ignore.read_text().splitlines()  # never synced to another machine
