"""YAML files are emitted, not templated: no value or comment can change their structure."""

from __future__ import annotations

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from eidos.bundlers.yamlfile import render_yaml

HOSTILE = [
    "a\nb: c",
    "x: y",
    "'\"",
    "$(rm -rf /)",
    "`id`",
    "# not a comment",
    "- item",
    "{a: 1}",
    "&anchor *alias",
    "on",
    "1e3",
    "\u2028line",
    "--- \n...",
    "key:\n  - x",
]


def test_header_and_block_comments_are_comment_lines() -> None:
    text = render_yaml(
        {"a": {"b": 1}, "c": True}, header=["Title", "second"], comments={"a": ["from K8s/x: why"]}
    )
    assert text == "# Title\n# second\n\n# from K8s/x: why\na:\n  b: 1\n\nc: true\n"


def test_without_blank_lines_the_document_follows_the_header() -> None:
    text = render_yaml({"kind": "X", "spec": {"a": 1}}, header=["X x"], blank_lines=False)
    assert text == "# X x\n\nkind: X\nspec:\n  a: 1\n"
    assert render_yaml({}, header=["h"]) == "# h\n\n{}\n"


def test_multiline_strings_are_literal_blocks() -> None:
    text = render_yaml({"config": '{\n  "a": 1\n}\n'})
    assert text == 'config: |\n  {\n    "a": 1\n  }\n'
    assert render_yaml({"s": "a\nb"}) == "s: |-\n  a\n  b\n"


def test_shared_objects_are_not_written_as_anchors() -> None:
    shared = {"x": 1}
    assert "&" not in render_yaml({"a": shared, "b": shared})


def test_hostile_values_and_comments_round_trip_as_plain_data() -> None:
    doc = {f"k{i}": value for i, value in enumerate(HOSTILE)}
    text = render_yaml(doc, header=HOSTILE, comments={"k0": HOSTILE})
    assert yaml.safe_load(text) == doc
    for line in text.splitlines():
        assert line == "" or line.startswith(("#", "k", " "))


@settings(max_examples=200, deadline=None)
@given(
    st.dictionaries(
        st.text(min_size=1, max_size=20),
        st.one_of(
            st.text(max_size=40),
            st.booleans(),
            st.integers(),
            st.lists(st.text(max_size=30), max_size=3),
        ),
        max_size=5,
    ),
    st.lists(st.text(max_size=60), max_size=4),
    st.booleans(),
)
def test_any_values_and_comments_read_back_exactly(
    doc: dict[str, object], comments: list[str], blank_lines: bool
) -> None:
    text = render_yaml(
        doc, header=comments, comments=dict.fromkeys(doc, comments), blank_lines=blank_lines
    )
    assert (yaml.safe_load(text) or {}) == doc


def test_newline_keys_and_blank_line_endings_do_not_end_the_document() -> None:
    doc = {"\n": False, "00": "\n", "a": "x\n\n", "b": " lead\nx\n", "c": "tail ", "d": "a\n b\n"}
    text = render_yaml(doc, header=["h"])
    assert yaml.safe_load(text) == doc
    assert "\n...\n" not in text
