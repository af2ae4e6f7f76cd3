"""BundleWriter and FileTree: files staged in memory, safe paths, checksums in write order."""

from __future__ import annotations

import hashlib

import pytest

from eidos.bundlers.tree import FileTree
from eidos.bundlers.writer import BundleWriter
from eidos.errors import InvalidRequestError

FILES = {
    "values.yaml": "a: 1\n",
    "manifests/policy.yaml": "kind: X\n",
    "scripts/install.sh": "#!/bin/sh\necho hi\n",
    "README.md": "# demo\n",
}


def _staged() -> BundleWriter:
    writer = BundleWriter("demo")
    for rel, text in FILES.items():
        writer.add(rel, text, executable=rel.endswith(".sh"))
    return writer


def test_finish_adds_checksums_of_every_file_in_write_order() -> None:
    writer = _staged()
    records = writer.finish()
    assert [r.path for r in records] == [*FILES, "checksums.txt"]
    sums = dict(writer.tree.items())["checksums.txt"][0].decode()
    assert sums == "".join(
        f"{hashlib.sha256(text.encode()).hexdigest()}  {rel}\n" for rel, text in FILES.items()
    )


def test_scripts_are_0755_and_everything_else_0644() -> None:
    writer = _staged()
    writer.finish()
    modes = {rel: mode for rel, (_, mode) in writer.tree.items()}
    assert modes == {
        "values.yaml": 0o644,
        "manifests/policy.yaml": 0o644,
        "scripts/install.sh": 0o755,
        "README.md": 0o644,
        "checksums.txt": 0o644,
    }


def test_records_give_size_and_digest() -> None:
    writer = BundleWriter("demo")
    writer.add("a.txt", "hello world")
    records = writer.finish()
    assert (records[0].path, records[0].size) == ("a.txt", 11)
    assert records[0].sha256 == "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"
    assert records[1].size == len(f"{records[0].sha256}  a.txt\n")


@pytest.mark.parametrize(
    "rel",
    [
        "../escape.txt",
        "/etc/passwd",
        "a/../../b",
        "",
        "a//b",
        "./a",
        "a/",
        "a\\b",
        "a\nb",
        "a\x00",
        "checksums.txt",
    ],
)
def test_file_paths_must_stay_inside_the_bundle(rel: str) -> None:
    with pytest.raises(InvalidRequestError, match=r"demo: invalid bundle file path"):
        BundleWriter("demo").add(rel, "x")


@pytest.mark.parametrize(("first", "second"), [("a", "a"), ("a", "a/b"), ("a/b", "a")])
def test_a_path_is_used_once_as_a_file_or_a_directory(first: str, second: str) -> None:
    tree = FileTree()
    tree.add(first, "x")
    with pytest.raises(InvalidRequestError, match="used twice"):
        tree.add(second, "y")


def test_graft_places_a_tree_under_a_directory_keeping_modes() -> None:
    inner = FileTree()
    inner.add("run.sh", "#!/bin/sh\n", executable=True)
    inner.add("values.yaml", b"a: 1\n")
    outer = FileTree()
    outer.graft("demo", inner)
    assert [(rel, mode) for rel, (_, mode) in outer.items()] == [
        ("demo/run.sh", 0o755),
        ("demo/values.yaml", 0o644),
    ]
    assert "demo/values.yaml" in outer and len(outer) == 2


def test_rendering_without_templates_is_an_error() -> None:
    with pytest.raises(InvalidRequestError, match="has no templates"):
        BundleWriter("demo").render("x.j2", {})
