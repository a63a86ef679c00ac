"""Reads about funding pools (issue 10 §1): balances, the secretariat's lists and the
public summaries as plain data (for the pages and the JSON API)."""

from collections.abc import Iterator
from datetime import datetime, time
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.due import DueItem
from minutes.models import MinutesItem
from pools.models import ZERO, Grant, Pool
from pools.money import format_dkk

RESERVING = (Grant.Status.PENDING, Grant.Status.FINAL)


def _sum(grants: QuerySet) -> Decimal:
    return grants.aggregate(total=Sum("amount"))["total"] or ZERO


def pool_committed(pool: Pool) -> Decimal:
    """Kroner granted (final) or reserved (pending) from `pool`."""
    return _sum(pool.grants.filter(status__in=RESERVING))


def pool_balance(pool: Pool) -> Decimal:
    """The pool's amount minus final and pending grants, in kroner (Decimal)."""
    return pool.amount - pool_committed(pool)


def pool_totals(pool: Pool) -> dict[str, Decimal]:
    """{"amount", "final", "pending", "balance"} in kroner (Decimal)."""
    final = _sum(pool.grants.filter(status=Grant.Status.FINAL))
    pending = _sum(pool.grants.filter(status=Grant.Status.PENDING))
    return {
        "amount": pool.amount,
        "final": final,
        "pending": pending,
        "balance": pool.amount - final - pending,
    }


def pools_for_secretariat() -> list[tuple[Pool, dict[str, Decimal]]]:
    return [(pool, pool_totals(pool)) for pool in Pool.objects.all()]


def pool_grants(pool: Pool) -> QuerySet[Grant]:
    return pool.grants.select_related(
        "meeting__forum", "minutes_item__minutes", "recipient_organisation"
    ).order_by("meeting__starts_at", "pk")


def grantable_items() -> QuerySet[MinutesItem]:
    """Minutes items of Samarbejdsforum meetings that were not cancelled, newest first: what
    a grant can be recorded from (the service checks again)."""
    return (
        MinutesItem.objects.filter(minutes__meeting__forum__slug="samarbejdsforum")
        .exclude(minutes__meeting__status="cancelled")
        .select_related("minutes__meeting__forum")
        .order_by("-minutes__meeting__starts_at", "position")
    )


def public_pools_qs() -> QuerySet[Pool]:
    return Pool.objects.filter(is_public=True)


def public_pool_or_404(slug: str) -> Pool:
    return get_object_or_404(public_pools_qs(), slug=slug)


def public_pool_summary(pool: Pool) -> dict:
    """Plain data of a public pool: {"name", "slug", "url", "purpose", "amount",
    "amount_text", "authorised_on" (ISO date or None), "authorisation_reference",
    "period_start", "period_end" (ISO dates), "granted" (final, Decimal), "reserved"
    (pending), "balance", and "grants": [{"recipient", "amount", "amount_text", "status"
    ("final"|"pending"), "meeting_date" (ISO), "item_title"}]} — only final and pending
    grants, and only an item's title that is not a closed item. Amounts are Decimal kroner."""
    totals = pool_totals(pool)
    grants = [
        {
            "recipient": grant.recipient,
            "amount": grant.amount,
            "amount_text": format_dkk(grant.amount),
            "status": grant.status,
            "meeting_date": grant.meeting.day.isoformat(),
            "item_title": "" if grant.minutes_item.is_closed else grant.minutes_item.title,
        }
        for grant in pool_grants(pool).filter(status__in=RESERVING)
    ]
    return {
        "name": pool.name,
        "slug": pool.slug,
        "url": pool.get_absolute_url(),
        "purpose": pool.purpose,
        "amount": pool.amount,
        "amount_text": format_dkk(pool.amount),
        "authorised_on": pool.authorised_on.isoformat() if pool.authorised_on else None,
        "authorisation_reference": pool.authorisation_reference,
        "period_start": pool.period_start.isoformat(),
        "period_end": pool.period_end.isoformat(),
        "granted": totals["final"],
        "reserved": totals["pending"],
        "balance": totals["balance"],
        "grants": grants,
    }


def public_pools() -> list[dict]:
    """Every pool the secretariat marked public, as `public_pool_summary` dicts, newest
    period first."""
    return [public_pool_summary(pool) for pool in public_pools_qs()]


def due_pools(*, now: datetime, until: datetime) -> Iterator[DueItem]:
    """core.due source: a pool whose period ends between today and `until` with money left
    (money not granted by then can no longer be granted). Due at the end of its last day."""
    from meetings.deadlines import TZ, act_by

    today = timezone.localdate(now)
    for pool in Pool.objects.filter(
        Q(period_end__gte=today), period_end__lte=timezone.localdate(until)
    ):
        balance = pool_balance(pool)
        if balance <= 0:
            continue
        due = datetime.combine(pool.period_end, time.max, tzinfo=TZ)
        yield DueItem(
            kind="pool_period_ends",
            label=_("A funding pool's period ends with money left"),
            due=due,
            act_on=act_by(pool.period_end),
            url=reverse("pools:manage", kwargs={"pk": pool.pk}),
            forum_name="Samarbejdsforum",
            rule="Kommissorium for Samarbejdsforum",
            detail=f"{pool.name}: {format_dkk(balance)}",
            extra={"pool_id": pool.pk, "balance": balance},
        )
