"""End to end over the installed ibis package: the issue's numbers, and validate passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from ibert_mine import api
from ibert_mine.validate import validate_files


@pytest.mark.slow
def test_mine_installed_ibis(tmp_path: Path) -> None:
    out = tmp_path / "out"
    config = api.make_config(("documentation", "code_completion"), output=out, workers=2)
    result = api.mine_to(api.resolve_sources([]), config)
    assert result.files_mined > 500
    assert len(result.examples["documentation"]) >= 2200
    assert len(result.examples["code_completion"]) >= 3000
    report = validate_files([out])
    assert report.problems == []
    assert report.unchecked_provenance == 0
    assert report.records == sum(len(v) for v in result.examples.values())
