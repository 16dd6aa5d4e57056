"""An encrypted private journal: readable with the passphrase, absent from every file."""

from __future__ import annotations

from pathlib import Path

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
