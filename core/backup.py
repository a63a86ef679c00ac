"""Backups of the database and the files together, and their restore.

A backup is one folder ``faellesindgang-backup-<UTC time>/`` holding

- ``database.dump``: ``pg_dump --format=custom`` of the PostgreSQL database (one
  transaction snapshot), or ``database.sqlite3`` (SQLite's online backup API) on the embedded
  default;
- ``files.tar``: the private files (attachments, the PDFs that went out) and the media, as
  ``private/…`` and ``media/…`` (with PRIVATE_S3_BUCKET set, the private files are in the
  object store and left to its versioning and replication; the manifest names the bucket);
- ``manifest.json``: when, which engine, the applied migrations, and the SHA-256 and size of
  the two parts and of every file in the archive.

The database is dumped first and the files copied after it, so every file a row of the dump
refers to is in the archive (files are written before their rows and never rewritten); a
file added after the snapshot is in the archive without a row, which is harmless.

The restore checks the manifest's checksums first, refuses a database that already has
tables or a file root that already has files, then restores the dump (with ``pg_restore``:
triggers, including the approved-minutes triggers, are created after the data) and unpacks
the files.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from datetime import UTC, datetime
from pathlib import Path

from django.conf import settings
from django.db import connection

from core.errors import DomainError

MANIFEST = "manifest.json"
ARCHIVE = "files.tar"
ROOTS = {"private": "PRIVATE_MEDIA_ROOT", "media": "MEDIA_ROOT"}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _pg_tool(name: str) -> str:
    """The newest PostgreSQL client tool `name` (pg_dump, pg_restore): Debian's versioned
    binaries first (the wrapper in /usr/bin may pick an older one), then PATH."""
    candidates = sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True)
    found = str(candidates[0]) if candidates else shutil.which(name)
    if not found:
        raise DomainError(f"{name} is missing: install the PostgreSQL client (postgresql-client).")
    return found


def _pg_env_and_args() -> tuple[dict[str, str], list[str]]:
    db = settings.DATABASES["default"]
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    args = ["--host", str(db.get("HOST") or "localhost"), "--port", str(db.get("PORT") or 5432)]
    args += ["--username", str(db.get("USER") or "postgres"), "--dbname", str(db["NAME"])]
    return env, args


def _is_postgres() -> bool:
    return connection.vendor == "postgresql"


def _applied_migrations() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
        return [f"{app}.{name}" for app, name in cursor.fetchall()]


def backup_create(destination: Path, *, now: datetime | None = None) -> Path:
    """Write a backup folder under `destination` and return its path. The folder and its
    files are readable by their owner only (they hold password hashes, second-factor keys
    and personal data); a backup that fails half-way is removed, never left looking whole.

    Raises DomainError when the database tool fails (its message included)."""
    moment = (now or datetime.now(UTC)).astimezone(UTC)
    folder = Path(destination) / f"faellesindgang-backup-{moment:%Y%m%dT%H%M%SZ}"
    Path(destination).mkdir(parents=True, exist_ok=True)
    folder.mkdir(mode=0o700, exist_ok=False)
    old_umask = os.umask(0o077)
    try:
        _write_backup(folder, moment)
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)
        raise
    finally:
        os.umask(old_umask)
    return folder


def _write_backup(folder: Path, moment: datetime) -> None:
    if _is_postgres():
        database = folder / "database.dump"
        env, args = _pg_env_and_args()
        result = subprocess.run(
            [_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(database), *args],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise DomainError(f"pg_dump failed: {result.stderr.strip()}")
    else:
        database = folder / "database.sqlite3"
        connection.ensure_connection()
        target = sqlite3.connect(database)
        with target:
            connection.connection.backup(target)
        target.close()
    migrations = _applied_migrations()

    files: dict[str, dict] = {}
    archive = folder / ARCHIVE
    with tarfile.open(archive, "w") as tar:
        for prefix, setting in ROOTS.items():
            if prefix == "private" and settings.PRIVATE_S3_BUCKET:
                continue  # in the object store: back the bucket up with its own tools
            root = Path(getattr(settings, setting))
            if not root.is_dir():
                continue
            files_in_root = (
                p for p in root.rglob("*") if p.is_file() and not p.is_relative_to(folder)
            )
            for path in sorted(files_in_root):
                name = f"{prefix}/{path.relative_to(root).as_posix()}"
                tar.add(path, arcname=name)
                files[name] = {"sha256": _sha256(path), "bytes": path.stat().st_size}
    manifest = {
        "created_at": moment.isoformat(),
        "engine": connection.vendor,
        "migrations": migrations,
        "database": {"name": database.name, "sha256": _sha256(database)},
        "archive": {"name": ARCHIVE, "sha256": _sha256(archive)},
        "files": files,
        "private_files_in_bucket": settings.PRIVATE_S3_BUCKET or None,
    }
    (folder / MANIFEST).write_text(json.dumps(manifest, indent=2, ensure_ascii=False))


def backup_verify(folder: Path) -> dict:
    """Read the manifest of backup `folder` and check the checksums of its two parts.

    Returns the manifest; raises DomainError naming the part that does not match."""
    folder = Path(folder)
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise DomainError(f"{folder} is not a backup: {error}") from None
    for part in ("database", "archive"):
        path = folder / manifest[part]["name"]
        if not path.is_file() or _sha256(path) != manifest[part]["sha256"]:
            raise DomainError(f"The backup's {path.name} is missing or damaged (checksum).")
    return manifest


def _database_is_empty() -> bool:
    return not connection.introspection.table_names()


def backup_restore(folder: Path) -> dict:
    """Restore backup `folder` into the configured database and file roots.

    Both must be empty: a restore never merges into live data. Returns the manifest.
    Raises DomainError for a damaged backup, another engine, a non-empty target, a file
    whose checksum differs after unpacking, or a failing pg_restore."""
    folder = Path(folder)
    manifest = backup_verify(folder)
    if manifest["engine"] != connection.vendor:
        raise DomainError(
            f"The backup is of a {manifest['engine']} database; this one is {connection.vendor}."
        )
    if not _database_is_empty():
        raise DomainError("The database already has tables: restore into an empty database.")
    roots = {prefix: Path(getattr(settings, setting)) for prefix, setting in ROOTS.items()}
    for root in roots.values():
        if root.is_dir() and any(root.iterdir()):
            raise DomainError(f"{root} is not empty: restore the files into an empty folder.")

    database = folder / manifest["database"]["name"]
    if _is_postgres():
        env, args = _pg_env_and_args()
        connection.close()
        result = subprocess.run(
            [_pg_tool("pg_restore"), "--no-owner", "--exit-on-error", *args, str(database)],
            env=env,
            capture_output=True,
            text=True,
        )
        if result.returncode != 0:
            raise DomainError(f"pg_restore failed: {result.stderr.strip()}")
    else:
        connection.ensure_connection()
        source = sqlite3.connect(database)
        with source:
            source.backup(connection.connection)
        source.close()

    with tarfile.open(folder / ARCHIVE) as tar:
        for member in tar.getmembers():
            prefix, _, rest = member.name.partition("/")
            if prefix not in roots or not member.isfile():
                raise DomainError(f"Unexpected entry in the backup's archive: {member.name}")
            target = roots[prefix] / rest
            if not target.resolve().is_relative_to(roots[prefix].resolve()):
                raise DomainError(f"Unexpected entry in the backup's archive: {member.name}")
            target.parent.mkdir(parents=True, exist_ok=True)
            with tar.extractfile(member) as source_file, target.open("wb") as out:
                shutil.copyfileobj(source_file, out)
            if _sha256(target) != manifest["files"][member.name]["sha256"]:
                raise DomainError(f"{member.name} differs from the backup's checksum.")
    return manifest
