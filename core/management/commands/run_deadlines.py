from datetime import datetime

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from core.sweep import sweep_run


class Command(BaseCommand):
    help = "Run the deadline sweep once, synchronously, and print what it did."

    def add_arguments(self, parser):
        parser.add_argument(
            "--now",
            help="Run as if it were this moment (ISO 8601, e.g. 2027-03-01T09:00+01:00).",
        )

    def handle(self, *args, now: str | None = None, **options):
        moment = self.parse_now(now) if now else timezone.now()
        report = sweep_run(now=moment)
        self.stdout.write(f"Sweep at {moment.isoformat()}")
        for step, result in report.items():
            details = ", ".join(f"{key}={value}" for key, value in result.items()) or "nothing"
            self.stdout.write(f"  {step}: {details}")

    @staticmethod
    def parse_now(value: str) -> datetime:
        try:
            moment = datetime.fromisoformat(value)
        except ValueError:
            raise CommandError(f"--now must be an ISO 8601 time, not {value!r}.") from None
        if timezone.is_naive(moment):
            moment = timezone.make_aware(moment)
        return moment
