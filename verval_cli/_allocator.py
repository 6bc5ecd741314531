"""Memory-allocator settings for polars, applied before polars is first imported.

polars allocates through jemalloc and, by default, asks it to hand freed pages back to the kernel within
half a second, with four arenas per core. A reconcile frees and re-allocates gigabytes stage after stage,
so those pages were faulted in and zeroed again and again (on a 1M round: 2.2 million page faults, 8-9 s
of kernel time on 2 cores). One arena per core, and freed pages kept for 20 s for reuse, halve the faults
and the kernel time; peak memory stays about the same (figures in benchmarks/README.md). polars appends
this variable to its own defaults, so these settings win over them.

Nothing happens when polars was imported before verval_cli (jemalloc reads its settings once), and a
``_RJEM_MALLOC_CONF`` the user set is left as it is.
"""

from __future__ import annotations

import os

ENV_VAR = "_RJEM_MALLOC_CONF"


def cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except (AttributeError, OSError):  # not on Linux
        return os.cpu_count() or 1


def settings() -> str:
    """The jemalloc settings verval asks for."""
    return f"narenas:{cores()},dirty_decay_ms:20000"


os.environ.setdefault(ENV_VAR, settings())
