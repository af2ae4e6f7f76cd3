"""FileTree: files staged in memory, safe paths, fixed modes, checksums in add order."""

from __future__ import annotations

import hashlib
from pathlib import PurePosixPath

import pytest
from hypothesis import given
from hypothesis import strategies as st

from eidos.bundlers.tree import FileTree
from eidos.errors import InvalidRequestError

FILES = {
    "values.yaml": "a: 1\n",
    "manifests/policy.yaml": "kind: X\n",
    "deploy.sh": "#!/bin/sh\necho hi\n",
    "README.md": "# demo\n",
}


def _staged() -> FileTree:
    tree = FileTree()
    for rel, text in FILES.items():
        tree.add(rel, text, executable=rel.endswith(".sh"))
    return tree


def test_checksums_list_every_file_in_add_order() -> None:
    tree = _staged()
    tree.add_checksums()
    assert tree.paths() == [*FILES, "checksums.txt"]
    sums = dict(tree.items())["checksums.txt"][0].decode()
    assert sums == "".join(
        f"{hashlib.sha256(text.encode()).hexdigest()}  {rel}\n" for rel, text in FILES.items()
    )


def test_scripts_are_0755_and_everything_else_0644() -> None:
    tree = _staged()
    tree.add_checksums()
    modes = {rel: mode for rel, (_, mode) in tree.items()}
    assert modes == {
        "values.yaml": 0o644,
        "manifests/policy.yaml": 0o644,
        "deploy.sh": 0o755,
        "README.md": 0o644,
        "checksums.txt": 0o644,
    }


def test_records_give_size_and_digest() -> None:
    tree = FileTree()
    tree.add("a.txt", "hello world")
    tree.add_checksums()
    records = tree.records()
    assert (records[0].path, records[0].size) == ("a.txt", 11)
    assert records[0].sha256 == "b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9"
    assert records[1].size == len(f"{records[0].sha256}  a.txt\n")
    assert tree.size() == 11 + records[1].size


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
        ".",
        "a\\b",
        "a\nb",
        "a\x00",
    ],
)
def test_file_paths_must_stay_inside_the_bundle(rel: str) -> None:
    with pytest.raises(InvalidRequestError, match="invalid bundle file path"):
        FileTree().add(rel, "x")


@pytest.mark.parametrize(("first", "second"), [("a", "a"), ("a", "a/b"), ("a/b", "a")])
def test_a_path_is_used_once_as_a_file_or_a_directory(first: str, second: str) -> None:
    tree = FileTree()
    tree.add(first, "x")
    with pytest.raises(InvalidRequestError, match="used twice"):
        tree.add(second, "y")


def test_checksums_cannot_be_added_twice_or_shadowed() -> None:
    tree = _staged()
    tree.add("checksums.txt", "forged\n")
    with pytest.raises(InvalidRequestError, match="used twice"):
        tree.add_checksums()


def test_graft_places_a_tree_under_a_directory_keeping_modes() -> None:
    inner = FileTree()
    inner.add("run.sh", "#!/bin/sh\n", executable=True)
    inner.add("values.yaml", b"a: 1\n")
    outer = FileTree()
    outer.graft("01-demo", inner)
    assert [(rel, mode) for rel, (_, mode) in outer.items()] == [
        ("01-demo/run.sh", 0o755),
        ("01-demo/values.yaml", 0o644),
    ]
    assert "01-demo/values.yaml" in outer and len(outer) == 2
    with pytest.raises(InvalidRequestError, match="invalid bundle file path"):
        outer.graft("../up", inner)


def _posix_check(rel: str) -> bool:
    """The check as PurePosixPath made it (which also let the bare "." through)."""
    path = PurePosixPath(rel)
    return not (
        not rel
        or path.is_absolute()
        or str(path) != rel
        or ".." in path.parts
        or "\\" in rel
        or not rel.isprintable()
    )


@given(st.text(st.sampled_from("ab./\\\n"), max_size=8))
def test_paths_are_judged_as_posix_paths_judge_them(rel: str) -> None:
    try:
        FileTree().add(rel, "x")
    except InvalidRequestError:
        accepted = False
    else:
        accepted = True
    assert accepted == (_posix_check(rel) and rel != ".")


@given(st.lists(st.text(st.sampled_from("ab"), min_size=1, max_size=2), min_size=1, max_size=4))
def test_the_directories_of_a_tree_are_every_parent_each_after_its_own(parts: list[str]) -> None:
    tree = FileTree()
    rel = "/".join(parts)
    tree.add(rel, "x")
    expected = [str(p) for p in PurePosixPath(rel).parents][:-1]
    assert tree.dirs() == sorted(expected)
    assert all(
        tree.dirs().index(str(PurePosixPath(d).parent)) < i
        for i, d in enumerate(tree.dirs())
        if "/" in d
    )


def test_the_sha256_without_openssl_is_there_and_agrees_with_hashlib() -> None:
    # the canary of tree.py's seam: CPython's own SHA-256 module (_sha256 on 3.11, _sha2
    # from 3.12); if a release renames it again, bundles still work (hashlib's is used)
    # but a cold `eidos bundle` pays OpenSSL's start-up again: this test says so.
    import sys

    from eidos.bundlers import tree as tree_module

    if sys.implementation.name == "cpython":
        assert tree_module.sha256.__module__ in ("_sha2", "_sha256"), tree_module.sha256
    for size in (0, 1, 55, 56, 64, 65, 4096, 100_000):
        data = bytes(range(256)) * (size // 256) + bytes(size % 256)
        assert tree_module.sha256(data).hexdigest() == hashlib.sha256(data).hexdigest()


def test_grafted_files_keep_their_digests_in_the_checksums() -> None:
    own = _staged()
    first = own.records()
    tree = FileTree()
    tree.graft("c", own)
    tree.add_checksums()
    sums = dict(tree.items())["checksums.txt"][0].decode().splitlines()
    assert sums == [f"{r.sha256}  c/{r.path}" for r in first]
    assert [r.sha256 for r in first] == [
        hashlib.sha256(text.encode()).hexdigest() for text in FILES.values()
    ]
