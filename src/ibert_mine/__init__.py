"""ibert-mine: mine verified training examples for iBERT, a code model for Ibis."""

from __future__ import annotations

__version__ = "0.1.0"
