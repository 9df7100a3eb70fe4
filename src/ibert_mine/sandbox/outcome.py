"""What one sandboxed call gives back, and the error of a sandbox that cannot start."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True, slots=True)
class Outcome:
    """The result of one sandboxed call: ``ok``, ``error``, ``timeout`` or ``crashed``."""

    status: str
    value: Any = None
    error_type: str | None = None
    message: str | None = None

    @property
    def ok(self) -> bool:
        """True when the call returned a value."""
        return self.status == "ok"

    def describe(self) -> str:
        """The status, the error's type and its message, as one line for a report."""
        return f"{self.status} {self.error_type or ''} {self.message or ''}".strip()


class SandboxError(RuntimeError):
    """A worker could not be started (e.g. a preload module failed to import)."""
