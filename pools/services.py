"""Every write to funding pools and their grants (issue 10 §1).

Samarbejdsforum »kan efter bemyndigelse fra BR råde over økonomiske puljer til bestemte
formål«. So a grant is refused (DomainError, Danish, at the field) when the pool has no
recorded City Council authorisation, when the deciding meeting is not Samarbejdsforum's,
when the meeting's day lies outside the pool's period, or when the amount exceeds the
balance. The balance is the amount minus final *and* pending grants: a pending grant (its
minutes not yet approved) already reserves its money, so two pending grants cannot
overdraw the pool. A grant becomes final when the minutes that decided it are approved
(`grants_finalise`, called through core.minutes_hooks)."""

from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.cache_stamps import bump
from core.errors import DomainError
from core.minutes_hooks import Approval
from forums.models import Organisation
from meetings.models import Meeting
from minutes.models import Minutes, MinutesItem
from pools.models import Grant, Pool
from pools.money import format_dkk
from pools.selectors import pool_balance, pool_committed

POOL_FIELDS = (
    "name",
    "slug",
    "purpose",
    "amount",
    "authorised_on",
    "authorisation_reference",
    "period_start",
    "period_end",
    "is_public",
)


def _money(value: Decimal | int) -> Decimal:
    if isinstance(value, float):
        raise TypeError("Money is Decimal, never float.")
    return Decimal(value)


@transaction.atomic
def pool_save(*, actor: Any, pool: Pool | None = None, **fields: Any) -> Pool:
    """Create a pool (`pool` None) or change one; `fields` are among POOL_FIELDS (amount a
    Decimal in kroner). The amount cannot fall below what is already granted or reserved
    (DomainError at »amount«); model constraints give field errors as DomainError."""
    pool = Pool.objects.select_for_update().get(pk=pool.pk) if pool and pool.pk else Pool()
    for name, value in fields.items():
        if name not in POOL_FIELDS:
            raise TypeError(f"Unknown pool field {name!r}")
        setattr(pool, name, _money(value) if name == "amount" else value)
    if pool.pk:
        committed = pool_committed(pool)
        if pool.amount < committed:
            raise DomainError(
                {
                    "amount": _(
                        "%(granted)s is already granted or reserved from the pool; the amount "
                        "cannot be less."
                    )
                    % {"granted": format_dkk(committed)}
                }
            )
    try:
        pool.full_clean()
    except ValidationError as exc:
        raise DomainError(exc.message_dict) from exc
    created = pool.pk is None
    pool.save()
    audit_record(
        actor=actor,
        action="pool.create" if created else "pool.update",
        obj=pool,
        data={"amount": str(pool.amount), "is_public": pool.is_public},
    )
    bump("pools")
    return pool


def _grant_errors(pool: Pool, item: MinutesItem, amount: Decimal) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    meeting = item.minutes.meeting
    if not pool.is_authorised:
        errors.setdefault("pool", []).append(
            _(
                "The pool »%(pool)s« has no recorded authorisation from the City Council (date "
                "and case reference): Samarbejdsforum can grant from it only when authorised."
            )
            % {"pool": pool.name}
        )
    if meeting.forum.slug != "samarbejdsforum":
        errors.setdefault("minutes_item", []).append(
            _("Only Samarbejdsforum grants money from a pool; this is a %(forum)s meeting.")
            % {"forum": meeting.forum.name}
        )
    if meeting.status == Meeting.Status.CANCELLED:
        errors.setdefault("minutes_item", []).append(_("The meeting was cancelled."))
    if not pool.period_start <= meeting.day <= pool.period_end:
        errors.setdefault("minutes_item", []).append(
            _("The meeting on %(day)s lies outside the pool's period (%(start)s – %(end)s).")
            % {
                "day": date_format(meeting.day, "j. F Y"),
                "start": date_format(pool.period_start, "j. F Y"),
                "end": date_format(pool.period_end, "j. F Y"),
            }
        )
    if amount <= 0:
        errors.setdefault("amount", []).append(_("The amount must be more than 0 kr."))
    else:
        balance = pool_balance(pool)
        if amount > balance:
            errors.setdefault("amount", []).append(
                _(
                    "%(amount)s exceeds the pool's balance of %(balance)s (pending grants "
                    "already reserve their amounts)."
                )
                % {"amount": format_dkk(amount), "balance": format_dkk(balance)}
            )
    return errors


@transaction.atomic
def grant_record(
    *,
    actor: Any,
    pool: Pool,
    minutes_item: MinutesItem,
    amount: Decimal,
    recipient_organisation: Organisation | None = None,
    recipient_project: str = "",
) -> Grant:
    """Record a grant Samarbejdsforum decided in `minutes_item` from `pool`.

    1. lock the pool row, so two grants recorded at once see each other's reservation;
    2. refuse (DomainError with field keys »pool«, »minutes_item«, »amount«,
       »recipient_organisation«) an unauthorised pool, another forum, a cancelled meeting,
       a meeting outside the period, an amount over the balance, no recipient;
    3. store it pending — or final at once when those minutes are already approved;
    4. audit entry »pool.grant«; the public pages' stamp »pools« is bumped."""
    amount = _money(amount)
    pool = Pool.objects.select_for_update().get(pk=pool.pk)
    item = MinutesItem.objects.select_related("minutes__meeting__forum").get(pk=minutes_item.pk)
    errors = _grant_errors(pool, item, amount)
    if not recipient_organisation and not recipient_project.strip():
        errors.setdefault("recipient_organisation", []).append(
            _("Name the housing organisation or the project that receives the grant.")
        )
    if errors:
        raise DomainError(errors)
    minutes = item.minutes
    approved = minutes.status == Minutes.Status.APPROVED
    grant = Grant.objects.create(
        pool=pool,
        meeting=minutes.meeting,
        minutes_item=item,
        amount=amount,
        recipient_organisation=recipient_organisation,
        recipient_project=recipient_project.strip(),
        status=Grant.Status.FINAL if approved else Grant.Status.PENDING,
        finalised_at=minutes.approved_at if approved else None,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    audit_record(
        actor=actor,
        action="pool.grant",
        obj=grant,
        data={"pool": pool.pk, "amount": str(amount), "status": grant.status},
    )
    bump("pools")
    return grant


@transaction.atomic
def grant_withdraw(*, actor: Any, grant: Grant, reason: str) -> Grant:
    """Withdraw a pending grant (the decision was changed before the minutes were approved),
    releasing its reservation. A final grant stands with its approved minutes (DomainError)."""
    grant = Grant.objects.select_for_update().get(pk=grant.pk)
    if grant.status != Grant.Status.PENDING:
        raise DomainError(_("Only a grant whose minutes are not yet approved can be withdrawn."))
    if not reason.strip():
        raise DomainError({"reason": [_("Give the reason for the withdrawal.")]})
    grant.status, grant.withdrawn_reason = Grant.Status.WITHDRAWN, reason.strip()
    grant.save(update_fields=["status", "withdrawn_reason"])
    audit_record(actor=actor, action="pool.grant_withdraw", obj=grant, data={"reason": reason})
    bump("pools")
    return grant


def grants_finalise(approvals: list[Approval]) -> int:
    """core.minutes_hooks: these minutes are approved, so their pending grants become
    final, each dated at its minutes' approval. One query to find them whatever the number
    of sets (then one write and one audit entry per grant). Returns how many; a second call
    finds none."""
    approved_at = {a.minutes_id: a.approved_at for a in approvals}
    grants = list(
        Grant.objects.select_for_update()
        .filter(minutes_item__minutes_id__in=list(approved_at), status=Grant.Status.PENDING)
        .select_related("minutes_item")
    )
    for grant in grants:
        minutes_id = grant.minutes_item.minutes_id
        grant.status, grant.finalised_at = Grant.Status.FINAL, approved_at[minutes_id]
        grant.save(update_fields=["status", "finalised_at"])
        audit_record(
            actor=None,
            action="pool.grant_final",
            obj=grant,
            data={"minutes": minutes_id, "approved_at": grant.finalised_at.isoformat()},
        )
    if grants:
        bump("pools")
    return len(grants)
