"""The e-mails sent to a person (core.personal_data registry): what, when and whether it
was delivered; the texts are in the outbox for the secretariat."""

from django.db.models import Q

from core.personal_data import personal_data_register
from notifications.models import OutboxMessage


def _emails(person) -> list[dict]:
    who = Q(recipient_user_id=person.user_id) if person.user_id else Q(pk__in=[])
    if person.email:
        who |= Q(recipient__iexact=person.email)
    rows = OutboxMessage.objects.filter(who).order_by("created_at")
    return [
        {
            "to": m.recipient,
            "subject": m.subject,
            "queued_at": m.created_at.isoformat(),
            "status": m.get_status_display(),
        }
        for m in rows
    ]


def register() -> None:
    personal_data_register("emails", export=_emails)
