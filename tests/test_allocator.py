"""verval sets polars' allocator before polars loads, and leaves a user's own settings alone."""

from __future__ import annotations

import os
import subprocess
import sys

from verval_cli import _allocator

_SHOW = "import verval_cli, os; print(os.environ.get('_RJEM_MALLOC_CONF', ''))"


def _conf_seen(env_value: str | None) -> str:
    env = {k: v for k, v in os.environ.items() if k != _allocator.ENV_VAR}
    if env_value is not None:
        env[_allocator.ENV_VAR] = env_value
    out = subprocess.run([sys.executable, "-c", _SHOW], env=env, capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_settings_are_applied_after_polars_defaults() -> None:
    conf = _conf_seen(None)
    # polars prepends its defaults; jemalloc reads left to right, so verval's settings come last and win
    assert conf.endswith(_allocator.settings())
    assert f"narenas:{_allocator.cores()}" in conf


def test_a_users_own_setting_is_kept() -> None:
    conf = _conf_seen("narenas:7")
    assert conf.endswith("narenas:7")
    assert "dirty_decay_ms:20000" not in conf
