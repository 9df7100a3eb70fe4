"""Documentation pages and notebooks: code cells, and the programs mined from them."""

from __future__ import annotations

import json
from pathlib import Path

from ibert_mine.programs.program import Program
from ibert_mine.programs.sessions import doc_programs
from ibert_mine.sources.pages import code_cells
from tests.conftest import page_of

PAGE = """---
title: A page
---

Some prose.

```{python}
#| echo: false
import ibis
t = ibis.memtable({"a": [1, 2], "b": ["x", "y"]})
```

```{python}
t.filter(t.a > 1).select("b")
```

```sql
SELECT 1
```
"""


def test_quarto_cells_and_their_lines() -> None:
    cells = code_cells(PAGE, "page.qmd")
    assert [c.lang for c in cells] == ["python", "python", "sql"]
    lines = PAGE.split("\n")
    assert lines[cells[0].line - 1] == "import ibis"  # after the #| option line
    assert lines[cells[1].line - 1] == 't.filter(t.a > 1).select("b")'


def test_page_programs_read_the_cells_as_one_session() -> None:
    found = [p for p in doc_programs(page_of(PAGE, "docs/page.qmd")) if isinstance(p, Program)]
    assert [p.code for p in found] == ['t.filter(t.a > 1).select("b")\n']
    assert found[0].origin == "docs"
    assert dict(found[0].tables)["t"].source == "ibis.memtable({'a': [1, 2], 'b': ['x', 'y']})"


def test_notebook_cells(tmp_path: Path) -> None:
    notebook = {
        "cells": [
            {"cell_type": "markdown", "source": ["# Title"]},
            {
                "cell_type": "code",
                "source": ["import ibis\n", "t = ibis.table({'a': 'int64'}, name='t')"],
            },
            {"cell_type": "code", "source": "t.a.sum()"},
        ],
        "metadata": {"kernelspec": {"language": "python"}},
    }
    text = json.dumps(notebook)
    found = [p for p in doc_programs(page_of(text, "nb.ipynb")) if isinstance(p, Program)]
    assert [(p.code, p.origin, p.lines) for p in found] == [("t.a.sum()\n", "notebook", (3, 3))]
    assert code_cells("{not json", "broken.ipynb") == []
