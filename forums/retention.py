"""Contact data is kept only as long as it is needed (GDPR art. 5(1)(e), storage limitation).

A person's e-mail address and phone number are erased by the sweep when they have had no
current forum membership and no theme-group seat for settings.PERSONAL_DATA_RETENTION_DAYS
(default 730, two years): counted from the end of their last membership, or, for a person
who never had one, from when they were entered. Their name stays wherever the public record
needs it (agendas, minutes, decisions, attendance). The same values are blanked in the
person's change history, and their account is closed: deactivated, without a password, and
its address replaced by ``slettet-<id>@slettet.invalid`` (RFC 2606 reserves ``.invalid``).
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, Max, OuterRef, Q, Subquery

from core.audit import audit_record
from forums.models import Membership, Person, ThemeGroupMember

ERASED_DOMAIN = "@slettet.invalid"


def contact_data_expired(*, now: datetime):
    """People whose contact data has outlived the retention period at `now` (a QuerySet)."""
    cutoff = now - timedelta(days=settings.PERSONAL_DATA_RETENTION_DAYS)
    current = Membership.objects.filter(person=OuterRef("pk")).filter(
        Q(ends_on__isnull=True) | Q(ends_on__gte=cutoff.date())
    )
    entered = (
        Person.history.model.objects.filter(id=OuterRef("pk"))
        .order_by("history_date")
        .values("history_date")[:1]
    )
    holds_contact_data = (
        ~Q(email="")
        | ~Q(phone="")
        | (Q(user__isnull=False) & ~Q(user__email__endswith=ERASED_DOMAIN))
    )
    return (
        Person.objects.filter(holds_contact_data)
        .exclude(Exists(current))
        .exclude(Exists(ThemeGroupMember.objects.filter(person=OuterRef("pk"))))
        .annotate(last_end=Max("memberships__ends_on"), entered=Subquery(entered))
        .filter(Q(last_end__lt=cutoff.date()) | Q(last_end__isnull=True, entered__lt=cutoff))
    )


def contact_data_expire(*, now: datetime) -> dict:
    """Sweep step: erase the contact data of every person `contact_data_expired` finds.
    Idempotent: an erased person has nothing left to find. Returns {"erased": n}."""
    erased = 0
    for person in contact_data_expired(now=now).select_related("user"):
        with transaction.atomic():
            person_contact_erase(person)
        erased += 1
    return {"erased": erased} if erased else {}


def person_contact_erase(person: Person) -> None:
    """Erase `person`'s e-mail address and phone number (and in their history), and close
    their account. The name stays."""
    Person.objects.filter(pk=person.pk).update(email="", phone="")
    person.history.update(email="", phone="")
    user = person.user
    if user is not None:
        user.email = f"slettet-{user.pk}{ERASED_DOMAIN}"
        user.is_active = False
        user.set_unusable_password()
        user.save(update_fields=["email", "is_active", "password"])
        user.groups.clear()
    audit_record(actor=None, action="person.contact_erase", obj=person, data={})
