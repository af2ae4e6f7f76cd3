"""make_bundles: concurrency, fail-fast and per-bundler failure reporting (with fake bundlers)."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import pytest
from bundle_helpers import reference_recipe

from eidos.bundlers import BundleConfig, BundleResult, make_bundles
from eidos.bundlers.base import Bundler, BundlerCancelled
from eidos.bundlers.tree import FileTree
from eidos.errors import BundlerValidationError, InvalidRequestError, IOFailureError
from eidos.model import Recipe


class Fake:
    """A bundler whose behaviour each test chooses."""

    def __init__(
        self,
        name: str,
        *,
        fail: Exception | None = None,
        invalid: bool = False,
        gate: threading.Event | None = None,
        opens: threading.Event | None = None,
    ) -> None:
        self.name = name
        self.fail = fail
        self.invalid = invalid
        self.gate = gate
        self.opens = opens
        self.made = False
        self.cancelled = False

    def validate(self, recipe: Recipe) -> None:
        if self.invalid:
            raise BundlerValidationError(f"{self.name}: recipe has no K8s/image/x (x)")

    def make(self, recipe: Recipe, out: FileTree, *, stop: threading.Event) -> BundleResult:
        if self.opens is not None:
            self.opens.set()
        deadline = time.monotonic() + 1
        while self.gate is not None and not self.gate.wait(0.005):
            if stop.is_set():
                self.cancelled = True
                raise BundlerCancelled(self.name)
            assert time.monotonic() < deadline, f"{self.name}: gate never opened"
        if self.fail is not None:
            raise self.fail
        self.made = True
        out.add("made.txt", self.name)
        return BundleResult(name=self.name, files=out.records(), warnings=("note",))


def _table(*fakes: Fake) -> dict[str, Any]:
    def factory(fake: Fake) -> Any:
        return lambda config: fake

    return {f.name: factory(f) for f in fakes}


def test_bundlers_run_concurrently_in_threads(tmp_path: Path) -> None:
    # each waits for the other to have started: sequential runs would time out
    a_started, b_started = threading.Event(), threading.Event()
    a = Fake("a", gate=b_started, opens=a_started)
    b = Fake("b", gate=a_started, opens=b_started)
    report = make_bundles(reference_recipe(), tmp_path, None, table=_table(a, b))
    assert report.ok and a.made and b.made
    assert [r.name for r in report.results] == ["a", "b"]


def test_without_fail_fast_the_others_finish(tmp_path: Path) -> None:
    a = Fake("a", fail=IOFailureError("a: disk full"))
    b = Fake("b", invalid=True)
    c = Fake("c")
    report = make_bundles(reference_recipe(), tmp_path, None, table=_table(a, b, c))
    assert [r.status for r in report.results] == ["failed", "failed", "ok"]
    assert c.made
    assert isinstance(report.results[0].error, IOFailureError)
    assert isinstance(report.results[1].error, BundlerValidationError)
    assert not report.ok and report.total_files == 1
    assert report.failed == report.results[:2]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".eidos-bundle", "c"]
    assert (tmp_path / "c" / "made.txt").read_text() == "c"


def test_with_fail_fast_a_rejected_recipe_writes_nothing(tmp_path: Path) -> None:
    a, b = Fake("a"), Fake("b", invalid=True)
    report = make_bundles(
        reference_recipe(), tmp_path, None, BundleConfig(fail_fast=True), table=_table(a, b)
    )
    assert [r.status for r in report.results] == ["cancelled", "failed"]
    assert not a.made and list(tmp_path.iterdir()) == []


def test_with_fail_fast_the_first_failure_cancels_the_rest(tmp_path: Path) -> None:
    never = threading.Event()
    slow = Fake("slow", gate=never)
    broken = Fake("broken", fail=IOFailureError("broken: boom"))
    report = make_bundles(
        reference_recipe(), tmp_path, None, BundleConfig(fail_fast=True), table=_table(slow, broken)
    )
    assert [r.status for r in report.results] == ["cancelled", "failed"]
    assert slow.cancelled and not slow.made


def test_os_errors_become_io_failures_naming_the_bundler(tmp_path: Path) -> None:
    a = Fake("a", fail=PermissionError(13, "Permission denied"))
    report = make_bundles(reference_recipe(), tmp_path, None, table=_table(a))
    error = report.results[0].error
    assert isinstance(error, IOFailureError)
    assert error.message == "a: Permission denied"


def test_a_bug_in_a_bundler_surfaces_as_itself(tmp_path: Path) -> None:
    a = Fake("a", fail=KeyError("oops"))
    with pytest.raises(KeyError, match="oops"):
        make_bundles(reference_recipe(), tmp_path, None, table=_table(a))


def test_unknown_names_and_overrides_are_rejected_before_anything_runs(
    tmp_path: Path,
) -> None:
    a = Fake("a")
    with pytest.raises(InvalidRequestError, match="unknown bundler 'x'; valid bundlers: a"):
        make_bundles(reference_recipe(), tmp_path / "o", ["x"], table=_table(a))
    with pytest.raises(InvalidRequestError, match="chart override for unknown bundler 'x'"):
        make_bundles(
            reference_recipe(),
            tmp_path / "o",
            None,
            BundleConfig(chart_versions={"x": "1.0.0"}),
            table=_table(a),
        )
    assert not (tmp_path / "o").exists() and not a.made


def test_report_serialises_for_the_summary(tmp_path: Path) -> None:
    report = make_bundles(
        reference_recipe(), tmp_path, None, table=_table(Fake("a"), Fake("b", invalid=True))
    )
    doc = report.to_dict()
    assert doc["success"] is False
    assert [b["status"] for b in doc["bundlers"]] == ["ok", "failed"]
    assert doc["bundlers"][0]["warnings"] == ["note"]
    assert doc["bundlers"][1]["error"] == {
        "code": "INVALID_REQUEST",
        "message": "b: recipe has no K8s/image/x (x)",
    }


def test_fake_satisfies_the_protocol() -> None:
    bundler: Bundler = Fake("a")
    assert bundler.name == "a"
