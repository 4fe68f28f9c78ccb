"""The docs that are generated from code must match the code."""
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_cli_reference_is_current():
    # Regenerate with: .venv/bin/python scripts/gen_cli_docs.py
    done = subprocess.run([sys.executable, str(ROOT / "scripts" / "gen_cli_docs.py"), "--check"],
                          capture_output=True, text=True)
    assert done.returncode == 0, "docs/cli.md is stale: run scripts/gen_cli_docs.py"


def test_readme_starts_with_the_two_commands():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    block = lines[lines.index("```bash") + 1: lines.index("```bash") + 3]
    assert block[0].startswith("./bootstrap && .venv/bin/newsledger demo")
    assert block[1].startswith("./bootstrap --dev && .venv/bin/python -m pytest -q")
    ci = (ROOT / ".ci" / "run").read_text(encoding="utf-8")
    assert "./bootstrap --dev && .venv/bin/python -m pytest -q" in ci
