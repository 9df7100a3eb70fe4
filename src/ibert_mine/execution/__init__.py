"""What runs inside a sandbox worker: tables, synthetic data, comparison, verification.

The sandbox calls these modules' functions by name (``"ibert_mine.execution.verify:
verify_program"``); nothing outside a worker runs a mined program. :data:`PRELOAD` lists
the heavy libraries a worker imports once, before its first job.
"""

PRELOAD: tuple[str, ...] = ("ibis", "duckdb", "pyarrow")
