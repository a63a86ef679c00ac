"""`manage.py restore FOLDER`: restore a backup into an empty database and file root."""

from django.core.management.base import BaseCommand, CommandError

from core.backup import backup_restore
from core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Restore a backup made by `manage.py backup` into an empty database and empty "
        "file folders, checking every checksum."
    )

    def add_arguments(self, parser):
        parser.add_argument("folder")

    def handle(self, *args, folder: str, **options):
        try:
            manifest = backup_restore(folder)
        except DomainError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(
            f"Restored the backup of {manifest['created_at']}: the database and "
            f"{len(manifest['files'])} files."
        )
