"""Permission-aware reads about forums and their people."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from forums.models import Forum, Membership, Person, Seat, ThemeGroup


def forum_list() -> QuerySet[Forum]:
    return Forum.objects.select_related("includes_members_of").order_by("position")


def _member_rows(forum: Forum) -> QuerySet[Membership]:
    return Membership.objects.filter(forum=forum).select_related(
        "person", "person__organisation", "seat", "seat__organisation", "forum"
    )


def forum_memberships(forum: Forum, *, on: date | None = None) -> list[Membership]:
    """The memberships in force on `on`: the forum's own, then (where the forum includes
    another forum's members) those of the included forum, followed one level at a time."""
    on = on or timezone.localdate()
    result: list[Membership] = []
    seen: set[int] = set()
    current: Forum | None = forum
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        result.extend(_member_rows(current).current(on))
        current = current.includes_members_of
    return result


@dataclass
class SeatGroup:
    """The holders of one seat, for the public list of members."""

    seat: Seat
    memberships: list[Membership]
    included_from: Forum | None


def forum_seat_groups(forum: Forum, *, on: date | None = None) -> list[SeatGroup]:
    memberships = [m for m in forum_memberships(forum, on=on) if m.seat_id]
    by_seat: dict[int, list[Membership]] = {}
    for m in memberships:
        by_seat.setdefault(m.seat_id, []).append(m)
    forums_chain = [forum]
    while forums_chain[-1].includes_members_of_id and len(forums_chain) < 5:
        forums_chain.append(forums_chain[-1].includes_members_of)
    seats = Seat.objects.filter(forum__in=forums_chain).select_related("organisation", "forum")
    seats = sorted(seats, key=lambda s: (forums_chain.index(s.forum), s.position, s.pk))
    return [
        SeatGroup(
            seat=seat,
            memberships=sorted(by_seat.get(seat.pk, []), key=_role_order),
            included_from=seat.forum if seat.forum_id != forum.pk else None,
        )
        for seat in seats
    ]


def _role_order(m: Membership) -> tuple[int, str]:
    order = [r.value for r in Membership.Role]
    return order.index(m.role), m.person.name


def forum_history(forum: Forum) -> QuerySet[Membership]:
    """Every membership of the forum's own seats, past and present, newest first."""
    return (
        _member_rows(forum)
        .select_related("replaces__person")
        .order_by("seat__position", "-starts_on")
    )


def forum_theme_groups(forum: Forum, *, on: date | None = None) -> QuerySet[ThemeGroup]:
    on = on or timezone.localdate()
    return (
        forum.theme_groups.filter(set_up_on__lte=on)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
        .prefetch_related("members__person__organisation")
    )


def person_for_user(user) -> Person | None:
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).first()


def forums_for_user(user, *, on: date | None = None) -> list[Forum]:
    """The forums whose non-public pages the user may see: all for the secretariat; for
    a member, each forum they sit in now, directly or through an included forum."""
    if not user.is_authenticated:
        return []
    if user.is_secretariat:
        return list(forum_list())
    on = on or timezone.localdate()
    direct = set(
        Membership.objects.current(on).filter(person__user=user).values_list("forum_id", flat=True)
    )
    forums = list(forum_list())
    return [f for f in forums if _reaches(f, direct)]


def _reaches(forum: Forum, forum_ids: set[int]) -> bool:
    seen: set[int] = set()
    current: Forum | None = forum
    while current is not None and current.pk not in seen:
        if current.pk in forum_ids:
            return True
        seen.add(current.pk)
        current = current.includes_members_of
    return False


def forum_for_member_or_404(user, slug: str) -> Forum:
    """A forum whose non-public pages `user` may see; any other forum answers 404."""
    forum = get_object_or_404(Forum, slug=slug)
    if not any(f.pk == forum.pk for f in forums_for_user(user)):
        raise Http404
    return forum


def membership_search(*, query: str = "", forum: Forum | None = None, status: str = "current"):
    qs = Membership.objects.select_related("person", "person__organisation", "forum", "seat")
    if forum:
        qs = qs.filter(forum=forum)
    today = timezone.localdate()
    if status == "current":
        qs = qs.current(today)
    elif status == "ended":
        qs = qs.filter(ends_on__lt=today)
    elif status == "future":
        qs = qs.filter(starts_on__gt=today)
    if query:
        qs = qs.filter(
            Q(person__name__icontains=query)
            | Q(seat__title__icontains=query)
            | Q(person__organisation__name__icontains=query)
            | Q(person__organisation__short_name__icontains=query)
        )
    return qs.order_by("forum__position", "seat__position", "-starts_on")
