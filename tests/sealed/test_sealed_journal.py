"""An encrypted private journal: readable with the passphrase, absent from every file."""

from __future__ import annotations

from pathlib import Path

import pytest
from sealed_members import Member, files_holding

MARKER = "zq7-marker-of-a-private-journal"
SCRIPTED = {"PEERLOG_PASSPHRASE": "correct horse battery", "PEERLOG_TEST_KDF": "fast"}


def test_init_encrypt_then_write_and_read(tmp_path: Path) -> None:
    home, cache = tmp_path / "home", tmp_path / "cache"
    sam = Member(tmp_path / "m", "Sam", "sam", env=SCRIPTED)
    sam.env.update(PEERLOG_HOME=str(home), PEERLOG_CACHE_DIR=str(cache))
    result = sam.ok("init", "--name", "Sam", "--member", "sam", "--encrypt")
    assert "encrypted" in result.stdout
    assert "test strength" in result.stderr
    assert (home / "journal.key").stat().st_mode & 0o777 == 0o600
    sam.ok("write", "--tag", "hiddentag", f"Slept badly {MARKER}")
    listed = sam.ok("list").stdout
    assert MARKER in listed
    assert MARKER in sam.ok("search", MARKER).stdout
    assert files_holding(MARKER, home, cache) == []
    assert files_holding("hiddentag", home, cache) == []
    records = list((home / "journal").rglob("*.md"))
    assert len(records) == 1 and 'sealed = "' in records[0].read_text()


def test_a_wrong_or_missing_passphrase_is_exit_2(tmp_path: Path) -> None:
    home, cache = tmp_path / "home", tmp_path / "cache"
    sam = Member(tmp_path / "m", "Sam", "sam", env=SCRIPTED)
    sam.env.update(PEERLOG_HOME=str(home), PEERLOG_CACHE_DIR=str(cache))
    sam.ok("init", "--name", "Sam", "--member", "sam", "--encrypt")
    sam.ok("write", f"Private {MARKER}")
    sam.env["PEERLOG_PASSPHRASE"] = "not the passphrase"  # noqa: S105
    wrong = sam("list")
    assert wrong.exit_code == 2
    assert "passphrase does not unlock" in wrong.stderr
    assert MARKER not in wrong.stdout and "Traceback" not in wrong.stderr
    refused = sam("write", "more")
    assert refused.exit_code == 2
    del sam.env["PEERLOG_PASSPHRASE"]
    missing = sam("list")
    assert missing.exit_code == 2
    assert "PEERLOG_PASSPHRASE" in missing.stderr
    assert len(list((home / "journal").rglob("*.md"))) == 1  # nothing written


def test_encrypt_an_existing_journal(tmp_path: Path) -> None:
    sam = Member(tmp_path, "Sam", "sam")
    for n in range(3):
        sam.ok("write", "--tag", "oldtag", f"Entry {n} {MARKER}")
    assert len(files_holding(MARKER, sam.home, sam.cache)) >= 3  # plain, before
    sam.env.update(SCRIPTED)
    result = sam.ok("encrypt")
    assert "3 records" in result.stdout
    assert files_holding(MARKER, sam.home, sam.cache) == []
    assert files_holding("oldtag", sam.home, sam.cache) == []
    texts = sam.ok("list").stdout
    assert texts.count(MARKER) == 3
    sam.ok("write", f"After {MARKER}")
    assert sam.ok("list").stdout.count(MARKER) == 4
    assert files_holding(MARKER, sam.home, sam.cache) == []
    assert not (sam.home / ".journal-sealing").exists()
    assert not (sam.home / ".journal-plain").exists()
    again = sam("encrypt")
    assert again.exit_code == 6


class FakeKeyring:
    """Stands in for the optional `keyring` package: the system keyring of one test."""

    def __init__(self) -> None:
        self.kept: dict[tuple[str, str], str] = {}

    def set_password(self, service: str, user: str, secret: str) -> None:
        self.kept[(service, user)] = secret

    def get_password(self, service: str, user: str) -> str | None:
        return self.kept.get((service, user))


def test_the_passphrase_kept_in_the_keyring(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import importlib.machinery
    import sys

    fake = FakeKeyring()
    module = type(sys)("keyring")
    module.__spec__ = importlib.machinery.ModuleSpec("keyring", None)
    module.set_password, module.get_password = fake.set_password, fake.get_password  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "keyring", module)
    home, cache = tmp_path / "home", tmp_path / "cache"
    sam = Member(tmp_path / "m", "Sam", "sam", env=SCRIPTED)
    sam.env.update(PEERLOG_HOME=str(home), PEERLOG_CACHE_DIR=str(cache))
    sam.ok("init", "--name", "Sam", "--member", "sam", "--encrypt", "--keyring")
    assert fake.kept == {("peerlog", str(home)): SCRIPTED["PEERLOG_PASSPHRASE"]}
    sam.ok("write", f"Kept {MARKER}")
    del sam.env["PEERLOG_PASSPHRASE"]  # from now on only the keyring knows it
    assert MARKER in sam.ok("list").stdout
    fake.kept.clear()
    assert sam("list").exit_code == 2


def test_keyring_without_the_package_says_how_to_get_it(tmp_path: Path) -> None:
    sam = Member(tmp_path, "Sam", "sam")
    sam.env.update(SCRIPTED)
    result = sam("encrypt", "--keyring")
    assert result.exit_code == 2
    assert "peerlog[keyring]" in result.stderr
    assert not (sam.home / "journal.key").exists()


def test_a_short_passphrase_makes_no_home(tmp_path: Path) -> None:
    home = tmp_path / "home"
    sam = Member(tmp_path / "m", "Sam", "sam")
    sam.env.update(PEERLOG_HOME=str(home), PEERLOG_PASSPHRASE="short")  # noqa: S106
    result = sam("init", "--name", "Sam", "--member", "sam", "--encrypt")
    assert result.exit_code == 2 and "at least 8" in result.stderr
    assert not (home / "config.toml").exists()
