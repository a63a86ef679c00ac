"""Permission-aware reads about forums and their people."""

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from forums.models import Forum, Membership, Person, Seat, ThemeGroup


def forum_list() -> QuerySet[Forum]:
    return Forum.objects.select_related("includes_members_of").order_by("position")


def _member_rows(forum: Forum) -> QuerySet[Membership]:
    return Membership.objects.filter(forum=forum).select_related(
        "person", "person__organisation", "seat", "seat__organisation", "forum"
    )


def forum_memberships(forum: Forum, *, on: date | None = None) -> list[Membership]:
    """The members' memberships in force on `on`: the forum's own, then (where the forum
    includes another forum's members) those of the included forum, followed one level at
    a time. A secretariat-role membership is not a member's (see `forum_secretariat`)."""
    on = on or timezone.localdate()
    result: list[Membership] = []
    seen: set[int] = set()
    current: Forum | None = forum
    while current is not None and current.pk not in seen:
        seen.add(current.pk)
        result.extend(_member_rows(current).current(on).exclude(role=Membership.Role.SECRETARIAT))
        current = current.includes_members_of
    return result


def forum_secretariat(forum: Forum, *, on: date | None = None) -> list[Person]:
    """The people serving the forum as its secretariat on `on` (its own memberships in
    the secretariat role, no seat), once each, by name."""
    rows = _member_rows(forum).current(on or timezone.localdate())
    people = {m.person_id: m.person for m in rows.filter(role=Membership.Role.SECRETARIAT)}
    return sorted(people.values(), key=lambda p: (p.name, p.pk))


@dataclass
class Contact:
    """One person of a forum's contact list, with every membership that makes them a
    member (a person can hold a seat directly and through an included forum)."""

    person: Person
    memberships: list[Membership]


def forum_contacts(forum: Forum, *, on: date | None = None) -> list[Contact]:
    """The members on `on`, one line per person, in the order of their first membership
    (own seats first, then the included forum's)."""
    contacts: dict[int, Contact] = {}
    for membership in forum_memberships(forum, on=on):
        contact = contacts.setdefault(membership.person_id, Contact(membership.person, []))
        contact.memberships.append(membership)
    return list(contacts.values())


def forum_people(forum: Forum, *, on: date | None = None) -> list[Person]:
    """Everyone who sits in the forum on `on` (directly or through an included forum),
    once each, by name: the recipients of the forum's e-mails. Not the secretariat."""
    people: dict[int, Person] = {}
    for membership in forum_memberships(forum, on=on):
        people.setdefault(membership.person_id, membership.person)
    return sorted(people.values(), key=lambda p: (p.name, p.pk))


@dataclass(frozen=True)
class Reach:
    """Whom an e-mail to a forum's members reaches, so no one is left out silently.

    `members`: everyone it is for; `reached`: those it was (or will be) e-mailed to;
    `failed`: those whose message the outbox gave up on. The rest have no address."""

    members: list[Person]
    reached: list[Person]
    failed: list[Person] = field(default_factory=list)

    @property
    def without_email(self) -> list[Person]:
        got = {p.pk for p in self.reached} | {p.pk for p in self.failed}
        return [p for p in self.members if p.pk not in got]

    @property
    def complete(self) -> bool:
        return len(self.reached) == len(self.members)

    @property
    def text(self) -> str:
        """»sendt til 2 af 9 — 7 uden e-mail: A, B, …« (or »sendt til alle 9 medlemmer«)."""
        total = len(self.members)
        if not total:
            return _("sent to no one: the forum has no members")
        if self.complete:
            return ngettext(
                "sent to the forum's only member", "sent to all %(total)d members", total
            ) % {"total": total}
        parts = [
            _("sent to %(reached)d of %(total)d") % {"reached": len(self.reached), "total": total}
        ]
        if self.without_email:
            parts.append(
                _("%(count)d without e-mail: %(names)s")
                % {"count": len(self.without_email), "names": _names(self.without_email)}
            )
        if self.failed:
            parts.append(
                _("%(count)d could not be delivered: %(names)s")
                % {"count": len(self.failed), "names": _names(self.failed)}
            )
        return " — ".join(parts)


def _names(people: list[Person]) -> str:
    return ", ".join(p.name for p in people)


def forum_reach(forum: Forum, *, on: date | None = None) -> Reach:
    """Whom an e-mail to the forum's members would reach now: those with an address."""
    people = forum_people(forum, on=on)
    return Reach(members=people, reached=[p for p in people if p.email])


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
