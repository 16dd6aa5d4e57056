"""The JSON writer behind `--json` and `export --format json`: readable UTF-8, and nothing in it
can act on a terminal."""

from __future__ import annotations

import json

from peerlog.render.json import dumps


def test_dumps_still_escapes_what_could_act_on_a_terminal() -> None:
    text = dumps({"text": "a\u202eb\u200bc\x1b[2Jd", "ok": "café 日本"})
    assert "\u202e" not in text and "\u200b" not in text and "\x1b" not in text
    assert json.loads(text) == {"text": "a\u202eb\u200bc\x1b[2Jd", "ok": "café 日本"}
    assert "café 日本" in text


def test_dumps_is_indented_json_with_a_final_newline() -> None:
    assert dumps({"a": [1, 2]}) == '{\n  "a": [\n    1,\n    2\n  ]\n}\n'
