"""Benchmarks: synthetic verval rounds at 10k-1M households, timed stage by stage (not part of pytest)."""
