"""Benchmarks: synthetic verval rounds at 10k-1M households, timed stage by stage (not part of pytest)."""

import verval_cli  # noqa: F401  (before polars: the allocator settings are read once, at load)
