"""docs/design.md stays true to the tree: every module, task and meta key is in it."""

from __future__ import annotations

import re
from pathlib import Path

from ibert_mine.tasks import TASKS

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "ibert_mine"
DESIGN = (ROOT / "docs" / "design.md").read_text(encoding="utf-8")


def test_every_module_is_in_the_design() -> None:
    missing = []
    for path in sorted(PACKAGE.rglob("*.py")):
        rel = path.relative_to(PACKAGE)
        name = f"{rel.parent.name}/" if rel.name == "__init__.py" else rel.name
        if rel.parent == Path(".") and rel.name == "__init__.py":
            continue
        if name not in DESIGN:
            missing.append(str(rel))
    assert missing == []


def test_every_task_and_meta_key_is_in_the_design() -> None:
    for task in TASKS:
        assert f"`{task.name}`" in DESIGN
        for key in task.meta:
            assert f"`{key.name}`" in DESIGN, (task.name, key.name)


def test_nothing_points_outside_the_repository() -> None:
    texts = [ROOT / "README.md", ROOT / "justfile", ROOT / "pyproject.toml", *ROOT.glob("docs/*")]
    texts += sorted(PACKAGE.rglob("*.py"))
    outside = re.compile(r"\.\./shared|/work/")
    assert [str(p.relative_to(ROOT)) for p in texts if outside.search(p.read_text())] == []
