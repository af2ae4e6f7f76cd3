"""The shared line / key=value parser and the two parsers built on it (cmdline, os-release)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eidos.collectors._keyvalue import parse_key_values, split_lines
from eidos.collectors.os.grub import parse_cmdline
from eidos.collectors.os.release import parse_os_release

# Kernel parameter names/values: printable, no whitespace; keys without '='.
_key = st.text(
    st.characters(min_codepoint=33, max_codepoint=126, blacklist_characters="=#"),
    min_size=1,
    max_size=12,
).filter(lambda k: k != "root")
_value = st.text(st.characters(min_codepoint=33, max_codepoint=126), max_size=16)


@pytest.mark.parametrize(
    ("cmdline", "expected"),
    [
        (
            "BOOT_IMAGE=/boot/vmlinuz ro quiet\n",
            {"BOOT_IMAGE": "/boot/vmlinuz", "ro": "", "quiet": ""},
        ),
        ("root=UUID=abc ro", {"ro": ""}),
        ("root=/dev/sda1 root=/dev/sdb1 panic=-1", {"panic": "-1"}),
        ("console=ttyS0 console=tty0", {"console": "tty0"}),
        ("a=b=c  d", {"a": "b=c", "d": ""}),
        ('opt="x y"', {"opt": '"x', 'y"': ""}),
        ("", {}),
        ("\n", {}),
    ],
    ids=[
        "flags",
        "root-filtered",
        "root-repeated",
        "last-wins",
        "first-equals",
        "quoted-split",
        "empty",
        "newline",
    ],
)
def test_cmdline_parsing(cmdline, expected):
    assert parse_cmdline(cmdline) == expected


@given(st.dictionaries(_key, _value, max_size=20))
def test_cmdline_round_trips_any_parameter_set(params):
    text = " ".join(k if v == "" else f"{k}={v}" for k, v in params.items()) + "\n"
    assert parse_cmdline(text) == params


@given(st.dictionaries(_key, _value, max_size=10), st.lists(_value, max_size=3))
def test_cmdline_never_reports_root(params, roots):
    text = " ".join([*(f"root={r}" for r in roots), *(f"{k}={v}" for k, v in params.items())])
    assert "root" not in parse_cmdline(text)


@given(st.text(max_size=200))
def test_cmdline_parser_accepts_any_text(text):
    result = parse_cmdline(text)
    assert all(isinstance(k, str) and isinstance(v, str) for k, v in result.items())
    assert all(" " not in k and not k.startswith("#") for k in result)


@given(
    st.dictionaries(
        st.text(st.characters(min_codepoint=65, max_codepoint=90), min_size=1, max_size=10),
        st.text(
            st.characters(min_codepoint=32, max_codepoint=126, blacklist_characters="\"'"),
            max_size=20,
        )
        .map(str.strip)
        .filter(bool),
        max_size=15,
    )
)
def test_os_release_round_trips_quoted_values(fields):
    text = "".join(f'{k}="{v}"\n' for k, v in fields.items())
    assert parse_os_release(text) == fields


def test_os_release_rules():
    text = """# comment
NAME="Ubuntu 'LTS'"
ID=ubuntu
  # indented comment
VERSION_ID='24.04'
EMPTY=""
BROKEN
URL=https://x/?a=b#frag
"""
    assert parse_os_release(text) == {
        "NAME": "Ubuntu 'LTS",
        "ID": "ubuntu",
        "VERSION_ID": "24.04",
        "URL": "https://x/?a=b#frag",
    }


def test_split_lines_trims_and_drops_comments_and_blanks():
    assert split_lines("  a \n\n# c\n b#x\n\n") == ["a", "b#x"]
    assert split_lines("#keep\n", skip_comments=False) == ["#keep"]
    assert split_lines("a  b", " ") == ["a", "b"]


@given(st.lists(st.tuples(_key, _value), max_size=10))
def test_key_values_last_duplicate_wins(pairs):
    lines = [f"{k}={v}" for k, v in pairs]
    assert parse_key_values(lines) == dict(pairs)


def test_key_values_options():
    assert parse_key_values(["a", "b = 1 "], default="-") == {"a": "-", "b": "1"}
    assert parse_key_values(["a", "b="], skip_empty=True) == {}
    assert parse_key_values(["a=''x''"], trim_chars="'") == {"a": "x"}
