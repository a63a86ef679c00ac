"""The import arrows run one way only (issue 14 §7): `core` imports no app, and an app
lower down never imports one higher up — it asks a registry in `core` instead. The layers
are import-linter contracts in pyproject.toml; these tests run it on the real tree and on a
planted upward import."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from core.contributions import POINTS, contribution_register, contributions

ROOT = Path(__file__).resolve().parent.parent
LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(cwd / "pyproject.toml"), "--no-cache"],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_apps_import_only_downwards():
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_upward_import_breaks_the_contract(tmp_path):
    # A copy of the tree where `core` imports `meetings`: the contract must name it.
    tree = tmp_path / "tree"
    shutil.copytree(
        ROOT,
        tree,
        ignore=shutil.ignore_patterns(
            ".venv", "node_modules", "var", "staticfiles", ".git", "*.pyc", "test-results"
        ),
    )
    (tree / "core" / "upward.py").write_text("from meetings.models import Meeting  # noqa\n")
    result = lint_imports(tree)
    assert result.returncode == 1
    assert "core.upward -> meetings.models" in result.stdout


def test_a_contribution_point_must_be_known():
    with pytest.raises(KeyError, match="No contribution point"):
        contribution_register("no-such-page", lambda request: {})


def test_every_page_point_of_the_lower_apps_has_its_contributors():
    # The apps register from ready(): the forum page gets its meetings, the meeting pages
    # their minutes, the agenda its standing texts and follow-up lines.
    for point in (
        "home",
        "account_page",
        "forum_page",
        "meeting_public",
        "meeting_member",
        "theme_group_page",
        "archive_meetings",
        "agenda_standing_text",
        "agenda_follow_up",
        "personal_feed_deadlines",
        "user_admin_actions",
        "year_wheel",
    ):
        assert point in POINTS
        assert contributions(point), point


def test_the_sweep_is_filled_by_the_apps_with_the_outbox_last():
    from core.sweep import SWEEP_STEPS, sweep_step_register

    apps = {path.split(".")[0] for path in SWEEP_STEPS}
    assert {"meetings", "minutes", "agreements", "accounts", "forums", "core"} <= apps
    assert SWEEP_STEPS[-1] == "notifications.services.outbox_sweep"
    # A step an app adds later still runs before the outbox sends what it queued.
    before = list(SWEEP_STEPS)
    try:
        sweep_step_register("core.audit.audit_entries_prune")  # again: no effect
        assert before == SWEEP_STEPS
        sweep_step_register("tests.test_architecture.no_step")
        assert SWEEP_STEPS[-2:] == [
            "tests.test_architecture.no_step",
            "notifications.services.outbox_sweep",
        ]
    finally:
        SWEEP_STEPS[:] = before
