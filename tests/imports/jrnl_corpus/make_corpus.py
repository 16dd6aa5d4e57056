"""Remake the checked-in jrnl exports in this folder (run by hand; the tests only read them).

    python tests/imports/jrnl_corpus/make_corpus.py JRNL JOURNALS

JRNL is a jrnl 4.x executable (e.g. /tmp/jrnl-venv/bin/jrnl after `pip install jrnl`);
JOURNALS is `tests/data/journals` of the jrnl-org/jrnl repository (jrnl's own test journals).
Each journal is exported with `jrnl --config-file … --format json` under TZ=UTC, with the
settings of jrnl's own test configuration for it (tag symbol `@`, 09:00 as the default time).
`made.journal` (below) adds what jrnl's journals lack: two identical entries, stars, `#` and
`@` tags in one entry, a long tag, and entries across a change of the clocks. The 1.x-era
export is `multiline-tags.journal` exported with each entry's `tags` key (and the top-level
`tags`) removed, as jrnl 1.x wrote its JSON: its tags must come from the text.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).parent
# name of the export -> (journal in jrnl's tests/data/journals, jrnl's journal type)
JOURNALS = {
    "plain": "simple.journal",
    "tagged": "tags.journal",
    "tags-216": "tags-216.journal",
    "tags-237": "tags-237.journal",
    "multiline": "multiline.journal",
    "multiline-tags": "multiline-tags.journal",
    "brackets": "brackets.journal",
    "onefile": "basic_onefile.journal",
    "folder": "basic_folder",
    "dayone": "dayone.dayone",
    "dayone-basic": "basic_dayone.dayone",
    "jrnl-1x": "multiline-tags.journal",
}
MADE = """\
[2021-03-14 01:30] Before the clocks moved @sleep
Short night ahead.

[2021-03-14 03:30] After the clocks moved *
Starred, with a #hash tag and an @at tag.

[2021-05-01 09:00] Same minute, same words.
Twice over.

[2021-05-01 09:00] Same minute, same words.
Twice over.

[2021-06-01 20:15] A tag that is far too long @{long}

[2021-07-04 12:00] Title only, starred *
"""
CONFIG = """\
default_hour: 9
default_minute: 0
editor: ''
encrypt: false
highlight: false
template: false
journals:
  default:
    journal: {path}
    type: {kind}
linewrap: 80
tagsymbols: '@'
timeformat: '%Y-%m-%d %H:%M'
indent_character: '|'
colors: {{date: none, title: none, body: none, tags: none}}
version: v4.6
"""


def export(jrnl: str, journal: Path, kind: str, work: Path) -> dict[str, object]:
    config = work / "jrnl.yaml"
    config.write_text(CONFIG.format(path=journal, kind=kind))
    env = {**os.environ, "TZ": "UTC", "HOME": str(work), "XDG_CONFIG_HOME": str(work)}
    done = subprocess.run(
        [jrnl, "--config-file", str(config), "--format", "json"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


def main(jrnl: str, journals: Path) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        made = work / "made.journal"
        made.write_text(MADE.format(long="x" * 70))
        sources = {name: journals / file for name, file in JOURNALS.items()}
        sources["made"] = made
        for name, source in sources.items():
            copy = work / source.name
            if copy == source:
                pass
            elif source.is_dir():
                shutil.copytree(source, copy)
            else:
                shutil.copy(source, copy)
            kind = "folder" if source.is_dir() else "jrnl"
            kind = "dayone" if source.suffix == ".dayone" else kind
            data = export(jrnl, copy, kind, work)
            if name == "jrnl-1x":
                data.pop("tags", None)
                for entry in data["entries"]:  # type: ignore[attr-defined]
                    entry.pop("tags", None)
            text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
            (HERE / f"{name}.json").write_text(text)
            print(name, len(data["entries"]))  # type: ignore[arg-type]


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
