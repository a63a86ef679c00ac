"""services: Comments."""

from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.audit import audit_record
from core.errors import DomainError
from core.submission import mark_repeated, repeat_since
from forums.models import Person
from meetings.selectors import (
    forum_people,
    member_person,
)
from minutes.models import (
    ApprovedMinutesError,
    Comment,
    Minutes,
    MinutesItem,
    Receipt,
)
from minutes.selectors import (
    window_open,
)
from minutes.services._common import _day
from minutes.services.drafting import _locked

# --- Comments -----------------------------------------------------------------------------


def _commenter(actor: Any, minutes: Minutes) -> Person:
    person = member_person(actor)
    if person is None or person.pk not in {p.pk for p in forum_people(minutes.meeting.forum)}:
        raise DomainError(_("Only the forum's members can comment on the minutes."))
    return person


def _check_window(minutes: Minutes, now: datetime) -> None:
    if not window_open(minutes, now):
        if minutes.comments_close_at:
            raise DomainError(
                _("The comment window closed at the end of %(day)s.")
                % {"day": _day(minutes.comments_close_at)}
            )
        raise DomainError(_("The minutes have not been sent for comments yet."))


@transaction.atomic
def comment_add(
    *,
    actor: Any,
    minutes: Minutes,
    body: str,
    item: MinutesItem | None = None,
    now: datetime | None = None,
) -> Comment:
    """A member's comment on `minutes` (on `item`, or on the whole), while the window is open.

    The same text by the same person on the same target within core.submission's
    REPEAT_MINUTES is not stored twice: the existing comment is returned, marked
    (`mark_repeated`) and without a new audit entry. Errors: DomainError (window closed,
    not a member, empty text, an item of other minutes)."""
    now = now or timezone.now()
    _check_window(minutes, now)
    person = _commenter(actor, minutes)
    if not body.strip():
        raise DomainError({"body": _("Write a comment.")})
    if item is not None and item.minutes_id != minutes.pk:
        raise DomainError({"item": _("Choose an item of these minutes.")})
    same = Comment.objects.filter(
        minutes=minutes,
        item=item,
        author=person,
        body=body.strip(),
        created_at__gte=repeat_since(now),
    ).first()
    if same is not None:  # the back button and a second post: land on the comment there
        return mark_repeated(same)
    comment = Comment.objects.create(minutes=minutes, item=item, author=person, body=body.strip())
    audit_record(actor=actor, action="comment.add", obj=comment)
    return comment


def _own_comment(actor: Any, comment: Comment, now: datetime) -> Comment:
    """The member's own comment, locked and re-read, while it may still change: the
    window is open and the secretariat has not decided on it (a disposition stands on
    the text it was given; a later edit would leave it standing on text it never saw)."""
    _check_window(_locked(comment.minutes), now)
    person = member_person(actor)
    if person is None or person.pk != comment.author_id:
        raise DomainError(_("You can only change your own comments."))
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    if comment.disposition:
        raise DomainError(
            _(
                "The secretariat has already dealt with this comment, so it can no longer "
                "be changed or deleted."
            )
        )
    return comment


@transaction.atomic
def comment_update(
    *, actor: Any, comment: Comment, body: str, now: datetime | None = None
) -> Comment:
    now = now or timezone.now()
    comment = _own_comment(actor, comment, now)
    if not body.strip():
        raise DomainError({"body": _("Write a comment.")})
    comment.body = body.strip()
    comment.save(update_fields=["body", "updated_at"])
    audit_record(actor=actor, action="comment.update", obj=comment)
    return comment


@transaction.atomic
def comment_delete(*, actor: Any, comment: Comment, now: datetime | None = None) -> None:
    now = now or timezone.now()
    comment = _own_comment(actor, comment, now)
    audit_record(
        actor=actor, action="comment.delete", obj=comment.minutes, data={"body": comment.body}
    )
    comment.delete()


@transaction.atomic
def no_remarks(*, actor: Any, minutes: Minutes, now: datetime | None = None) -> Receipt:
    """Record that the member has no remarks while the comment window is open. Raises
    DomainError outside the window, for a non-member, and once the member has commented
    (a comment is a remark)."""
    now = now or timezone.now()
    _check_window(minutes, now)
    person = _commenter(actor, minutes)
    if minutes.comments.filter(author=person).exists():
        raise DomainError(_("You have commented on the minutes, so »no remarks« does not apply."))
    receipt, _created = Receipt.objects.get_or_create(minutes=minutes, person=person)
    Receipt.objects.filter(pk=receipt.pk).update(
        no_remarks_at=now, opened_at=receipt.opened_at or now
    )
    audit_record(actor=actor, action="minutes.no_remarks", obj=minutes)
    receipt.refresh_from_db()
    return receipt


def mark_opened(*, person: Person, minutes: Minutes) -> None:
    if minutes.status == Minutes.Status.DRAFT:
        return
    receipt, _created = Receipt.objects.get_or_create(minutes=minutes, person=person)
    if receipt.opened_at is None:
        Receipt.objects.filter(pk=receipt.pk, opened_at__isnull=True).update(
            opened_at=timezone.now()
        )


@transaction.atomic
def comment_dispose(
    *, actor: Any, comment: Comment, disposition: str, note: str = "", now: datetime | None = None
) -> Comment:
    """Record the secretariat's disposition of a comment (incorporated, not incorporated
    with a reason, answered) while the comment window is open.

    The approved version is what stood when the window closed (MANDATES: comments for two
    weeks, then final approval), so after the close — even before the sweep has approved —
    a disposition is refused with a DomainError, as it is on approved minutes."""
    now = now or timezone.now()
    minutes = _locked(comment.minutes)
    if minutes.status == Minutes.Status.APPROVED:
        raise ApprovedMinutesError()
    if minutes.comments_close_at is None:
        raise DomainError(_("The minutes have not been sent for comments yet."))
    if not window_open(minutes, now):
        raise DomainError(
            _(
                "The comment window closed at the end of %(day)s; the minutes are approved "
                "as they stood then, so no disposition can be recorded."
            )
            % {"day": _day(minutes.comments_close_at)}
        )
    if disposition not in ("incorporated", "not_incorporated", "answered"):
        raise DomainError({"disposition": _("Choose a disposition.")})
    if disposition == "not_incorporated" and not note.strip():
        raise DomainError(
            {"disposition_note": _("Give the reason why the comment is not incorporated.")}
        )
    comment = Comment.objects.select_for_update().get(pk=comment.pk)
    comment.disposition, comment.disposition_note = disposition, note.strip()
    comment.disposed_at, comment.disposed_by = now, actor
    comment.save(update_fields=["disposition", "disposition_note", "disposed_at", "disposed_by"])
    audit_record(
        actor=actor, action="comment.dispose", obj=comment, data={"disposition": disposition}
    )
    return comment
