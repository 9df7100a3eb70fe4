"""Renames read from release notes in Ibis's format, and the mistakes they make."""

from __future__ import annotations

import doctest
from pathlib import Path

from ibert_mine.core.config import Config
from ibert_mine.execution.mistakes.migrations import BUILT_IN, migrations_from
from ibert_mine.execution.mistakes.run import run_mistakes
from ibert_mine.execution.mistakes.site import DEMO_SCHEMAS
from ibert_mine.pipeline.run import with_release_notes
from ibert_mine.sources import release_notes
from ibert_mine.sources.resolve import resolve

NOTES = """\
# Release notes

## [12.0.0](https://github.com/ibis-project/ibis/compare/11.0.0...12.0.0) (2026-02-07)

### ⚠ BREAKING CHANGES

* **api:** `StringValue.shout` is removed in favor of `StringValue.upper`.
* **api:** `ibis.case()` is removed. Use `ibis.cases()` instead.
* **ir:** rename `ops.Where` to `ops.IfElse` ([a64b7ad](https://github.com/x/y/commit/a64b7ad))
* rename `child` to `parent` in SQLStringView

## [9.1.0](https://github.com/ibis-project/ibis/compare/9.0.0...9.1.0) (2024-06-13)

### Deprecations

* deprecate `Table.relabel` in favor of `Table.rename` ([dcd9772](https://github.com/x/y/commit/dcd9772))
* **api:** `StringValue.shout` is removed in favor of `StringValue.yell`.
"""


def test_doctests() -> None:
    results = doctest.testmod(release_notes)
    assert results.attempted and not results.failed


def test_renames_of_user_api_with_their_release() -> None:
    assert release_notes.renames(NOTES) == [
        ("shout", "upper", "12.0.0", ""),
        ("case", "cases", "12.0.0", "ibis"),
        ("relabel", "rename", "9.1.0", ""),
    ]


def test_a_checkout_s_notes_reach_the_config_and_make_mistakes(tmp_path: Path) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "release_notes.qmd").write_text(NOTES, encoding="utf-8")
    (tmp_path / "docs" / "release_notes_bad.qmd").write_bytes(b"\xff\xfe not utf-8")
    config = with_release_notes(Config(tasks=("error_resolution",)), [resolve(str(tmp_path))])
    assert config.migrations[0] == ("shout", "upper", "12.0.0", "")
    migrations = migrations_from(config.migrations)
    assert {m.old for m in BUILT_IN} <= {m.old for m in migrations}
    kept = run_mistakes("t.mutate(u=t.g.upper())", DEMO_SCHEMAS, migrations)["kept"]
    (found,) = [m for m in kept if m["kind"] == "api_migration"]
    assert found["code"] == "t.mutate(u=t.g.shout())" and found["since"] == "12.0.0"
    assert found["error"] == "AttributeError: 'StringColumn' object has no attribute 'shout'"


def test_no_release_notes_leave_the_config_as_it_is(tmp_path: Path) -> None:
    config = Config(tasks=("error_resolution",))
    assert with_release_notes(config, [resolve(str(tmp_path))]) is config
