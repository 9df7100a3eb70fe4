"""The run: planning, the two phases (files, then sandbox jobs), dedup, writing, manifest, stats."""
