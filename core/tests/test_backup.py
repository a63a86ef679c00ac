"""A backup is one that has been restored: `manage.py backup` of a PostgreSQL database with
approved minutes, their PDFs and the outbox, restored by `manage.py restore` into a fresh
database and a fresh file root, gives back every row and every file, and the approved
minutes are still frozen there."""

import json
import os
import subprocess
import sys
import uuid
from io import StringIO
from pathlib import Path

import psycopg2
import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from minutes.models import FROZEN_SQLSTATE
from minutes.tests.test_immutability import media, record  # noqa: F401 - the fixtures
from notifications.models import OutboxMessage

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db(transaction=True)


def _dsn(name: str) -> dict:
    db = settings.DATABASES["default"]
    return {
        "dbname": name,
        "user": db["USER"],
        "password": db["PASSWORD"] or None,
        "host": db["HOST"] or "localhost",
        "port": db["PORT"] or 5432,
    }


def _comparable(value) -> str:
    return bytes(value).hex() if isinstance(value, memoryview) else str(value)


def _rows(name: str) -> dict[str, list]:
    """Every row of every table of database `name`, in a stable order."""
    with psycopg2.connect(**_dsn(name)) as conn, conn.cursor() as cursor:
        cursor.execute(
            "SELECT table_name FROM information_schema.tables "
            "WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1"
        )
        tables = [row[0] for row in cursor.fetchall()]
        result = {}
        for table in tables:
            cursor.execute(f'SELECT * FROM "{table}" ORDER BY 1')
            result[table] = [tuple(map(_comparable, row)) for row in cursor.fetchall()]
    conn.close()
    return result


@pytest.fixture
def fresh_database():
    name = f"restore_{uuid.uuid4().hex[:8]}"
    admin = psycopg2.connect(**_dsn(settings.DATABASES["default"]["NAME"]))
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    yield name
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


def _restore(folder: Path, database: str, files: Path) -> subprocess.CompletedProcess:
    db = settings.DATABASES["default"]
    url = f"postgres://{db['USER']}:{db['PASSWORD'] or ''}@{db['HOST']}:{db['PORT']}/{database}"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings.test",
        "DATABASE_URL": url,
        "PRIVATE_MEDIA_ROOT": str(files / "private"),
        "MEDIA_ROOT": str(files / "media"),
    }
    return subprocess.run(
        [sys.executable, "manage.py", "restore", str(folder)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _checksums(root: Path) -> dict[str, str]:
    import hashlib

    return {
        p.relative_to(root).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def test_a_backup_restores_every_row_and_file_and_keeps_approved_minutes_frozen(
    record,  # noqa: F811
    settings,
    tmp_path,
    fresh_database,
):
    assert connection.vendor == "postgresql"
    settings.MEDIA_ROOT = str(tmp_path / "media-src")
    Path(settings.MEDIA_ROOT).mkdir()
    (Path(settings.MEDIA_ROOT) / "logo.txt").write_text("public file")
    assert OutboxMessage.objects.exists()
    private_before = _checksums(Path(settings.PRIVATE_MEDIA_ROOT))
    assert any(name.endswith(".pdf") for name in private_before)

    out = StringIO()
    call_command("backup", str(tmp_path / "backups"), stdout=out)
    folder = Path(out.getvalue().strip())
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["engine"] == "postgresql" and manifest["files"]
    for part in (folder, *folder.iterdir()):  # password hashes, keys, personal data
        assert part.stat().st_mode & 0o077 == 0, f"{part.name} is readable by others"

    restored_files = tmp_path / "restored"
    result = _restore(folder, fresh_database, restored_files)
    assert result.returncode == 0, result.stderr

    source = _rows(settings.DATABASES["default"]["NAME"])
    target = _rows(fresh_database)
    assert source.keys() == target.keys()
    for table, rows in source.items():
        assert target[table] == rows, f"{table} differs after the restore"
    assert _checksums(restored_files / "private") == private_before
    assert _checksums(restored_files / "media") == {
        "logo.txt": _checksums(tmp_path / "media-src")["logo.txt"]
    }

    minutes = record["minutes"]
    conn = psycopg2.connect(**_dsn(fresh_database))
    with conn.cursor() as cursor, pytest.raises(psycopg2.Error) as refused:
        cursor.execute("UPDATE minutes_minutes SET status = 'sent' WHERE id = %s", [minutes.pk])
    conn.close()
    assert refused.value.pgcode == FROZEN_SQLSTATE


def test_a_restore_refuses_a_database_that_is_not_empty(record, settings, tmp_path):  # noqa: F811
    settings.MEDIA_ROOT = str(tmp_path / "media")
    out = StringIO()
    call_command("backup", str(tmp_path / "backups"), stdout=out)
    with pytest.raises(CommandError, match="already has tables"):
        call_command("restore", out.getvalue().strip(), stdout=StringIO())


def test_a_damaged_backup_is_refused_before_anything_is_restored(
    record,  # noqa: F811
    settings,
    tmp_path,
    fresh_database,
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    out = StringIO()
    call_command("backup", str(tmp_path / "backups"), stdout=out)
    folder = Path(out.getvalue().strip())
    with (folder / "files.tar").open("r+b") as archive:
        archive.seek(600)
        archive.write(b"X")

    result = _restore(folder, fresh_database, tmp_path / "restored")
    assert result.returncode != 0 and "files.tar" in result.stderr
    assert _rows(fresh_database) == {}


def test_a_backup_that_fails_half_way_leaves_nothing_that_looks_whole(tmp_path, monkeypatch):
    from core import backup

    monkeypatch.setattr(backup, "_pg_tool", lambda name: "false")  # pg_dump fails
    with pytest.raises(CommandError, match="pg_dump failed"):
        call_command("backup", str(tmp_path / "backups"), stdout=StringIO())
    assert list((tmp_path / "backups").iterdir()) == []
