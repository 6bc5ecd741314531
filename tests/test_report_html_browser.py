"""ringkasan.html rendered by a real headless browser (Debian's chromium): the figures show, nothing loads.

Skips when chromium is not installed; `.ci/run` installs it.
"""

from __future__ import annotations

import datetime as dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from builders import synthetic_result

from verval_cli.writers.report import write_progress_html

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="chromium is not installed (apt-get install chromium)"
)


def _chromium(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    assert CHROMIUM is not None
    command = [
        CHROMIUM,
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        # Any attempt to reach the network fails: the page must not need it.
        "--host-resolver-rules=MAP * ~NOTFOUND",
        f"--user-data-dir={tmp_path / 'profile'}",
        *args,
    ]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)


@pytest.fixture(scope="module")
def page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    target = tmp_path_factory.mktemp("html") / "ringkasan.html"
    return write_progress_html(synthetic_result(), target, today=dt.date(2023, 2, 6))


def test_rendered_page_shows_the_totals(page: Path, tmp_path: Path) -> None:
    done = _chromium(tmp_path, "--dump-dom", page.as_uri())
    dom = done.stdout
    assert done.returncode == 0 and "</html>" in dom, done.stderr[-2000:]
    expected = {"listed": "9", "reported": "9", "matched": "4", "open": "5", "new": "1", "silent": "1"}
    for key, value in expected.items():
        assert re.search(rf'id="total-{key}"[^>]*>{value}<', dom), key
    assert "Desa Glempang (Kec. Mandiraja)" in dom
    assert len(re.findall(r"<rect ", dom)) >= 5
    assert re.search(r'<tr class="total"><td>JUMLAH</td>', dom)


def test_rendered_page_takes_a_screenshot(page: Path, tmp_path: Path) -> None:
    shot = tmp_path / "ringkasan.png"
    done = _chromium(tmp_path, f"--screenshot={shot}", "--window-size=1280,1600", page.as_uri())
    assert done.returncode == 0, done.stderr[-2000:]
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG\r\n\x1a\n") and len(data) > 10_000
