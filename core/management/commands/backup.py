"""`manage.py backup [DESTINATION]`: the database and the files, together (core/backup.py)."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from core.backup import backup_create
from core.errors import DomainError


class Command(BaseCommand):
    help = "Back up the database and the private and media files into one folder."

    def add_arguments(self, parser):
        parser.add_argument(
            "destination",
            nargs="?",
            help="Folder to write the backup under (default: VAR_DIR/backups).",
        )

    def handle(self, *args, destination: str | None = None, **options):
        target = Path(destination) if destination else Path(settings.VAR_DIR) / "backups"
        try:
            folder = backup_create(target)
        except DomainError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(str(folder))
