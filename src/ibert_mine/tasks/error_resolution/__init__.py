"""error_resolution: broken code and the real error it raises -> the fixed code and why.

No miner yet: ``validate`` accepts records of this task (the record contract below), and
``mine --task error_resolution`` says it has no miner.
"""

from __future__ import annotations

from ibert_mine.tasks.contract import Fields, Task

NAME = "error_resolution"

TASK = Task(
    name=NAME,
    fields=Fields(
        input_required=("broken_code", "error"),
        target_required=("fixed_code", "explanation"),
        python=("target.fixed_code",),
    ),
    miner=None,
)
