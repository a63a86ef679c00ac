"""services: The sweep."""

from datetime import date, datetime, timedelta

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from agreements.models import (
    AgreementVersion,
    FrameworkAgreement,
    SubAgreement,
)
from core.audit import audit_record
from core.cache_stamps import bump
from core.claims import claim_once, unsent
from core.queue import send_task
from meetings.models import Meeting, Proposal
from meetings.selectors import secretariat_users
from notifications.services import notify_users

# --- The sweep ----------------------------------------------------------------------------


def remind_renewal(*, now: datetime) -> dict[str, int]:
    """12 and 6 months before the period ends the secretariat is reminded; at 12 months
    Borgmesterforum's next meeting gets a suggested item to prepare the next agreement."""
    today = timezone.localtime(now).date()
    sent = 0
    agreements = FrameworkAgreement.objects.filter(
        status=FrameworkAgreement.Status.IN_FORCE,
        period_end__gt=today,
        period_end__lte=today + relativedelta(months=12),
    )
    for agreement in agreements:
        for months, column in ((12, "renewal_12_sent_for"), (6, "renewal_6_sent_for")):
            if today < agreement.period_end - relativedelta(months=months):
                continue
            with transaction.atomic():
                if not claim_once(FrameworkAgreement, agreement.pk, column, agreement.period_end):
                    continue
                notify_users(
                    secretariat_users(),
                    kind="agreement_renewal",
                    concerns=agreement,
                    key=f"agreement-renewal:{agreement.pk}:{months}:{agreement.period_end}",
                    context={
                        "agreement": agreement,
                        "months": months,
                        "ends": date_format(agreement.period_end, "j. F Y"),
                        "public_url": reverse("agreements:manage", args=[agreement.pk]),
                    },
                )
                sent += 1
        _suggest_preparation_item(agreement, today=today, now=now)
    return {"reminders": sent}


def _suggest_preparation_item(agreement: FrameworkAgreement, *, today: date, now: datetime) -> None:
    """From 12 months before the period ends, Borgmesterforum's next planned meeting gets
    one suggested item to prepare the next agreement — as soon as such a meeting exists."""
    if today < agreement.period_end - relativedelta(months=12):
        return
    meeting = (
        Meeting.objects.filter(
            forum__slug="borgmesterforum",
            status=Meeting.Status.PLANNED,
            is_archive=False,
            starts_at__gt=now,
        )
        .order_by("starts_at")
        .first()
    )
    if meeting is None:
        return
    with transaction.atomic():
        if not claim_once(
            FrameworkAgreement, agreement.pk, "preparation_suggested_for", agreement.period_end
        ):
            return
        Proposal.objects.create(
            meeting=meeting,
            title=_("Preparation of the next framework agreement"),
            treatment="discussion",
            description=_(
                "%(title)s ends on %(day)s. Borgmesterforum prepares the next 4-year framework "
                "agreement, which is then negotiated in Partnerskabsforum."
            )
            % {"title": agreement.title, "day": date_format(agreement.period_end, "j. F Y")},
        )


def expire_agreements(*, now: datetime) -> dict[str, int]:
    today = timezone.localtime(now).date()
    ended = FrameworkAgreement.objects.filter(
        status=FrameworkAgreement.Status.IN_FORCE, period_end__lt=today
    )
    count = 0
    for agreement in ended:
        updated = FrameworkAgreement.objects.filter(
            pk=agreement.pk, status=FrameworkAgreement.Status.IN_FORCE
        ).update(status=FrameworkAgreement.Status.EXPIRED, ended_on=agreement.period_end)
        if updated:
            audit_record(actor=None, action="agreement.expired", obj=agreement)
            count += 1
    expired_subs = SubAgreement.objects.filter(
        status=SubAgreement.Status.SIGNED, period_end__lt=today
    ).update(status=SubAgreement.Status.EXPIRED)
    if count or expired_subs:
        bump("agreements")  # public agreement pages show it (core/cache_stamps.py)
    return {"agreements": count, "sub_agreements": expired_subs}


def remind_sub_agreement_expiry(*, now: datetime) -> dict[str, int]:
    """The secretariat is reminded once, 3 months before a signed sub-agreement ends."""
    today = timezone.localtime(now).date()
    due = SubAgreement.objects.filter(
        status=SubAgreement.Status.SIGNED,
        period_end__gte=today,
        # A few days more: 3 months before 31 December is 30 September, and 30 September
        # plus 3 months is only 30 December. The exact day is checked below.
        period_end__lte=today + relativedelta(months=3, days=3),
    ).filter(unsent("expiry_reminder_sent_for", "period_end"))
    sent = 0
    for sub in due:
        if today < sub.period_end - relativedelta(months=3):
            continue
        with transaction.atomic():
            if not claim_once(SubAgreement, sub.pk, "expiry_reminder_sent_for", "period_end"):
                continue
            notify_users(
                secretariat_users(),
                kind="sub_agreement_expiry",
                concerns=sub,
                key=f"sub-agreement-expiry:{sub.pk}:{sub.period_end}",
                context={
                    "sub_agreement": sub,
                    "ends": date_format(sub.period_end, "j. F Y"),
                    "public_url": reverse("agreements:sub_edit", args=[sub.pk]),
                },
            )
            sent += 1
    return {"reminders": sent}


def versions_catch_up(*, now: datetime) -> dict[str, int]:
    """Versions whose PDF a lost task left unrendered are queued again."""
    from agreements.tasks import render_agreement_version

    waiting = list(
        AgreementVersion.objects.filter(pdf="", created_at__lt=now - timedelta(minutes=5))
        .order_by("created_at")
        .values_list("pk", flat=True)[:50]
    )
    for version_id in waiting:
        send_task(render_agreement_version, version_id)
    return {"versions": len(waiting)}
