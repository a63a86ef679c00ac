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


def audit_trail(obj: models.Model):
    """The audit entries about one object, newest first."""
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).select_related("actor")
