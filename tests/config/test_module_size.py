"""No module outside migrations and tests is over 400 lines (docs/architecture.md): a
module that grows past it is a responsibility asking for a home of its own."""

import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
LIMIT = 400


def test_no_module_is_over_400_lines():
    tracked = subprocess.run(
        ["git", "ls-files", "*.py"], cwd=ROOT, capture_output=True, text=True, check=True
    ).stdout.split()
    assert tracked, "git lists the project's modules"
    modules = [p for p in tracked if not p.startswith("tests/") and "/migrations/" not in p]
    sizes = {p: len((ROOT / p).read_text(encoding="utf-8").splitlines()) for p in modules}
    assert {p: n for p, n in sizes.items() if n > LIMIT} == {}
