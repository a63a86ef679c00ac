"""Demo people, accounts, memberships and a theme group, for `make run`. Idempotent.

The seat holders of 2010 named in the terms of reference stand as demo mayors; everyone
else is invented, with addresses under example.org, so that nothing looks like real
contact data."""

from datetime import date

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.models import User
from forums.models import (
    Forum,
    Membership,
    Organisation,
    Person,
    Seat,
    ThemeGroup,
    ThemeGroupMember,
)

START = date(2010, 8, 1)
MAYORS_2010 = [
    ("Frank Jensen", "Overborgmester"),
    ("Bo Asmus Kjeldgaard", "Teknik- og miljøborgmester"),
    ("Pia Allerslev", "Kultur- og fritidsborgmester"),
    ("Ninna Thomsen", "Sundheds- og omsorgsborgmester"),
    ("Anne Vang", "Børne- og ungdomsborgmester"),
    ("Mikkel Warming", "Socialborgmester"),
    ("Klaus Bondam", "Beskæftigelses- og integrationsborgmester"),
]
# (name, title, organisation short name, e-mail)
DEMO_PEOPLE = [
    ("Demo Sekretær", "Fuldmægtig", "CfB", "sekretariat@example.org"),
    ("Demo Medlem", "Direktør", "BL 1. kreds", "medlem@example.org"),
    ("Birthe Boligsen", "Formand", "BL 1. kreds", "birthe.boligsen@example.org"),
    ("Lars Lejer", "Næstformand", "LLO", "lars.lejer@example.org"),
    ("Karen Kontorchef", "Kontorchef", "TMF", "karen.kontorchef@example.org"),
    ("Søren Socialchef", "Kontorchef", "SOF", "soeren.socialchef@example.org"),
    ("Østen Økonomi", "Kontorchef", "ØKF", "oesten.oekonomi@example.org"),
]
ACCOUNTS = [
    ("sekretariat@example.org", "demo-sekretariat", "secretariat"),
    ("medlem@example.org", "demo-medlem", "member"),
    ("admin@example.org", "demo-admin", "superuser"),
]


class Command(BaseCommand):
    help = "Load demo people, accounts, memberships and a theme group (idempotent)."

    @transaction.atomic
    def handle(self, *args, **options):
        orgs = {o.short_name: o for o in Organisation.objects.all()}
        forums = {f.slug: f for f in Forum.objects.all()}
        people = {}
        for name, title in MAYORS_2010:
            people[name], _ = Person.objects.get_or_create(
                name=name, defaults={"title": title, "organisation": orgs["BR"]}
            )
        for name, title, org, email in DEMO_PEOPLE:
            people[name], _ = Person.objects.get_or_create(
                email=email, defaults={"name": name, "title": title, "organisation": orgs[org]}
            )

        bmf = forums["borgmesterforum"]
        for name, title in MAYORS_2010:
            role = (
                Membership.Role.CO_CHAIR
                if title in ("Overborgmester", "Teknik- og miljøborgmester")
                else Membership.Role.MEMBER
            )
            self._member(people[name], bmf, Seat.objects.get(forum=bmf, title=title), role)
        styregruppe = forums["tvaerkommunal-styregruppe"]
        for name, org in [
            ("Karen Kontorchef", "TMF"),
            ("Søren Socialchef", "SOF"),
            ("Østen Økonomi", "ØKF"),
        ]:
            role = Membership.Role.CHAIR if org == "TMF" else Membership.Role.MEMBER
            self._member(
                people[name],
                styregruppe,
                Seat.objects.get(forum=styregruppe, organisation=orgs[org]),
                role,
            )
        samarbejde = forums["samarbejdsforum"]
        bl_seat = Seat.objects.get(forum=samarbejde, organisation=orgs["BL 1. kreds"])
        self._member(people["Demo Medlem"], samarbejde, bl_seat, Membership.Role.MEMBER)
        self._member(people["Birthe Boligsen"], samarbejde, bl_seat, Membership.Role.MEMBER)
        self._member(
            people["Lars Lejer"],
            samarbejde,
            Seat.objects.get(forum=samarbejde, organisation=orgs["LLO"]),
            Membership.Role.MEMBER,
        )
        partnerskab = forums["partnerskabsforum"]
        self._member(
            people["Birthe Boligsen"],
            partnerskab,
            Seat.objects.get(forum=partnerskab),
            Membership.Role.MEMBER,
        )
        for forum in forums.values():
            Membership.objects.get_or_create(
                person=people["Demo Sekretær"],
                forum=forum,
                role=Membership.Role.SECRETARIAT,
                defaults={"starts_on": START},
            )

        group, _ = ThemeGroup.objects.get_or_create(
            forum=samarbejde,
            name="Temagruppe om udlejning og anvisning",
            defaults={
                "mandate": "Udarbejder konkrete indstillinger om udmøntningen af aftaler på "
                "udlejningsområdet, herunder fleksibel udlejning og boligsocial anvisning.",
                "is_standing": True,
                "set_up_on": date(2010, 10, 1),
            },
        )
        for name, side, chair in [
            ("Karen Kontorchef", "municipal", True),
            ("Birthe Boligsen", "housing", False),
            ("Lars Lejer", "housing", False),
        ]:
            ThemeGroupMember.objects.get_or_create(
                theme_group=group, person=people[name], defaults={"side": side, "is_chair": chair}
            )

        secretariat_group, _ = Group.objects.get_or_create(name=settings.SECRETARIAT_GROUP)
        for email, password, kind in ACCOUNTS:
            user = User.objects.filter(email=email).first()
            if user is None:
                user = User.objects.create_user(
                    email=email,
                    password=password,
                    is_staff=kind == "superuser",
                    is_superuser=kind == "superuser",
                )
            person = Person.objects.filter(email=email).first()
            if person and person.user_id is None:
                person.user = user
                person.save(update_fields=["user"])
            if person:
                User.objects.filter(pk=user.pk, full_name="").update(full_name=person.name)
            if kind == "secretariat":
                user.groups.add(secretariat_group)
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))

    @staticmethod
    def _member(person: Person, forum: Forum, seat: Seat, role: str) -> None:
        Membership.objects.get_or_create(
            person=person, forum=forum, seat=seat, role=role, defaults={"starts_on": START}
        )
