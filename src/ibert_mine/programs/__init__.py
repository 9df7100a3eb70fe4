"""Finding self-contained Ibis programs and hand-written SQL in units; nothing here runs code."""
