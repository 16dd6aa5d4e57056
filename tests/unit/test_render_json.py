"""The JSON writer behind `--json` and `export --format json`: byte for byte what the standard
library writes with `indent=2`, only faster."""

from __future__ import annotations

import json
import math
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from peerlog.render.json import dumps, indented_json

_leaves = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(),
)
_documents = st.recursive(
    _leaves,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4),
        st.lists(inner, max_size=3).map(tuple),
        st.dictionaries(st.text(max_size=6), inner, max_size=4),
    ),
    max_leaves=30,
)


@settings(max_examples=300)
@given(_documents)
def test_indented_json_is_the_standard_librarys_indent_2(document: Any) -> None:
    assert indented_json(document) == json.dumps(document, ensure_ascii=False, indent=2)


def test_values_the_fast_path_does_not_handle_are_written_as_the_standard_library_does() -> None:
    for document in (
        {"n": math.nan, "i": math.inf},
        {1: "int key", None: "none key"},
        [{"deep": {2.5: True}}],
    ):
        assert indented_json(document) == json.dumps(document, ensure_ascii=False, indent=2)


def test_dumps_still_escapes_what_could_act_on_a_terminal() -> None:
    text = dumps({"text": "a\u202eb\u200bc\x1b[2Jd", "ok": "café 日本"})
    assert "\u202e" not in text and "\u200b" not in text and "\x1b" not in text
    assert json.loads(text) == {"text": "a\u202eb\u200bc\x1b[2Jd", "ok": "café 日本"}
    assert "café 日本" in text
