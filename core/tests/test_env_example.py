"""`.env.example` is the operator's list of settings: it names every environment variable
the settings read, and it loads in a POSIX shell as well as in compose."""

import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
READERS = re.compile(r'(?:env_\w+|os\.environ\.get|os\.getenv)\(\s*"([A-Z][A-Z0-9_]*)"')
LISTED = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=", re.MULTILINE)


def variables_the_settings_read() -> set[str]:
    names: set[str] = set()
    for path in (ROOT / "config").rglob("*.py"):
        names |= set(READERS.findall(path.read_text()))
    return names


def test_env_example_lists_every_variable_the_settings_read():
    listed = set(LISTED.findall((ROOT / ".env.example").read_text()))
    missing = variables_the_settings_read() - listed
    assert variables_the_settings_read() >= {"SECRET_KEY", "DATABASE_URL", "VAR_DIR"}
    assert not missing, f".env.example lacks {sorted(missing)}"


def test_env_example_loads_in_a_shell_with_its_values_intact():
    result = subprocess.run(
        ["sh", "-c", 'set -a; . ./.env.example; printf "%s" "$DEFAULT_FROM_EMAIL"'],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=10,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Fællesindgang <noreply@faellesindgang.example>"
