"""`manage.py grant_secretariat ADDRESS [--name NAME] [--revoke]`: give (or take) the
secretariat role. The operator's way to make the first secretariat account."""

from django.core.management.base import BaseCommand, CommandError

from accounts.services import secretariat_grant, secretariat_revoke
from core.errors import DomainError


class Command(BaseCommand):
    help = (
        "Give the account with this e-mail address the secretariat role, creating the "
        "account (and e-mailing a link to set its password) when there is none."
    )

    def add_arguments(self, parser):
        parser.add_argument("email")
        parser.add_argument("--name", default="", help="Full name for a new account.")
        parser.add_argument("--revoke", action="store_true", help="Take the role away.")

    def handle(self, *args, email: str, name: str, revoke: bool, **options):
        try:
            if revoke:
                user, revoked = secretariat_revoke(actor=None, email=email)
                if revoked:
                    self.stdout.write(f"{user.email} no longer has the secretariat role.")
                else:
                    self.stdout.write(f"{user.email} did not have the secretariat role.")
                return
            user, created, link_sent = secretariat_grant(actor=None, email=email, full_name=name)
        except DomainError as error:
            raise CommandError("; ".join(error.messages)) from None
        if created:
            self.stdout.write(
                f"Created {user.email} with the secretariat role; an e-mail with a link to "
                "set the password is queued. The first sign-in asks for a second factor."
            )
        elif link_sent:
            self.stdout.write(
                f"{user.email} has the secretariat role; no password is set yet, so a new "
                "link to set it is queued."
            )
        else:
            self.stdout.write(f"{user.email} has the secretariat role.")
