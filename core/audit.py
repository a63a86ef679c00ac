"""Recording named state changes: `audit_record(actor=..., action=..., obj=...)`."""

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.models import AuditEntry

# How the log names each action to people (the stored codes stay stable).
ACTION_LABELS = {
    "person.create": _("Person created"),
    "person.update": _("Person changed"),
    "account.invite": _("Invited to sign in"),
    "account.secretariat_grant": _("Given the secretariat role"),
    "person.contact_erase": _("Contact data erased (retention period ended)"),
    "person.erase": _("Person erased"),
    "person.export": _("Personal data exported"),
    "account.secretariat_revoke": _("Secretariat role taken away"),
    "calendar.renew": _("New personal calendar address"),
    "calendar.reminders": _("Calendar reminders changed"),
    "membership.create": _("Membership added"),
    "membership.update": _("Membership changed"),
    "membership.end": _("Membership ended"),
    "membership.replace": _("Took over a seat"),
    "organisation.create": _("Organisation created"),
    "organisation.update": _("Organisation changed"),
    "standard_item.create": _("Standard agenda item added"),
    "standard_item.update": _("Standard agenda item changed"),
    "standard_item.move": _("Standard agenda item moved"),
    "standard_item.remove": _("Standard agenda item removed"),
}


def audit_record(
    *, actor: Any, action: str, obj: models.Model | None = None, data: dict | None = None
) -> AuditEntry:
    user = actor if getattr(actor, "is_authenticated", False) else None
    entry = AuditEntry(actor=user, action=action, data=data or {})
    if obj is not None:
        entry.content_type = ContentType.objects.get_for_model(obj)
        entry.object_id = str(obj.pk)
        entry.object_repr = str(obj)[:300]
    entry.save()
    return entry


def audit_record_many(
    *, actor: Any, action: str, entries: list[tuple[models.Model, dict]]
) -> list[AuditEntry]:
    """audit_record for many objects at once (one INSERT): `entries` is a list of (object,
    data); every entry gets `actor` and `action`."""
    user = actor if getattr(actor, "is_authenticated", False) else None
    rows = [
        AuditEntry(
            actor=user,
            action=action,
            data=data or {},
            content_type=ContentType.objects.get_for_model(obj),
            object_id=str(obj.pk),
            object_repr=str(obj)[:300],
        )
        for obj, data in entries
    ]
    return AuditEntry.objects.bulk_create(rows)


def audit_trail(obj: models.Model):
    """The audit entries about one object, newest first."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("actor")


def audit_personal_data(person) -> list[dict]:
    """The audit entries about `person` (a forums.Person) or their account, or made by
    their account, for the personal-data export: when, what, by whom."""
    from django.db.models import Q

    about = Q(
        content_type__app_label="forums", content_type__model="person", object_id=str(person.pk)
    )
    if person.user_id:
        about |= Q(actor_id=person.user_id)
        about |= Q(
            content_type__app_label="accounts",
            content_type__model="user",
            object_id=str(person.user_id),
        )
    return [
        {
            "at": entry.created_at.isoformat(),
            "action": str(ACTION_LABELS.get(entry.action, entry.action)),
            "by": str(entry.actor) if entry.actor_id else None,
            "about": entry.object_repr,
        }
        for entry in AuditEntry.objects.filter(about).select_related("actor").order_by("created_at")
    ]


def audit_entries_prune(*, now) -> dict:
    """Sweep step: delete audit entries older than settings.AUDIT_RETENTION_DAYS (GDPR
    storage limitation; the record itself — minutes, versions, errata — is kept)."""
    from datetime import timedelta

    from django.conf import settings

    cutoff = now - timedelta(days=settings.AUDIT_RETENTION_DAYS)
    deleted, _details = AuditEntry.objects.filter(created_at__lt=cutoff).delete()
    return {"deleted": deleted} if deleted else {}
