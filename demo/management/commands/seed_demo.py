"""Demo people, accounts, memberships and a theme group, for `make run`. Idempotent.

The seat holders of 2010 named in the terms of reference stand as demo mayors; everyone
else is invented, with addresses under example.org, so that nothing looks like real
contact data."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal

from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

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
# (name, title, organisation short name, e-mail, level)
_HEAD = Person.Level.HEAD_OF_OFFICE
DEMO_PEOPLE = [
    ("Demo Sekretær", "Fuldmægtig", "CfB", "sekretariat@example.org", Person.Level.EMPLOYEE),
    ("Demo Medlem", "Direktør", "BL 1. kreds", "medlem@example.org", Person.Level.DIRECTOR),
    ("Birthe Boligsen", "Formand", "BL 1. kreds", "birthe.boligsen@example.org", None),
    ("Lars Lejer", "Næstformand", "LLO", "lars.lejer@example.org", None),
    ("Karen Kontorchef", "Kontorchef", "TMF", "karen.kontorchef@example.org", _HEAD),
    ("Søren Socialchef", "Kontorchef", "SOF", "soeren.socialchef@example.org", _HEAD),
    ("Østen Økonomi", "Kontorchef", "ØKF", "oesten.oekonomi@example.org", _HEAD),
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
        from django.core.management.base import CommandError

        if not settings.DEMO_DATA_ALLOWED:
            raise CommandError(
                "seed_demo creates demo accounts with published passwords (a superuser among "
                "them) and runs only where DEMO_DATA_ALLOWED is on: `make run`, the tests and "
                "the benchmarks. Never on a real installation."
            )
        orgs = {o.short_name: o for o in Organisation.objects.all()}
        forums = {f.slug: f for f in Forum.objects.all()}
        people = {}
        # A seat is held by the person it is for (forums/rules.py): a mayor's seat by the
        # mayor of that administration, a Styregruppe seat by a head of office or higher.
        offices = {seat.title: seat.organisation for seat in forums["borgmesterforum"].seats.all()}
        for name, title in MAYORS_2010:
            people[name], _ = Person.objects.get_or_create(
                name=name,
                defaults={
                    "title": title,
                    "organisation": offices[title],
                    "level": Person.Level.MAYOR,
                },
            )
        for name, title, org, email, level in DEMO_PEOPLE:
            people[name], _ = Person.objects.get_or_create(
                email=email,
                defaults={"name": name, "title": title, "organisation": orgs[org], "level": level},
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
            # Styregruppen is chaired by Center for Bydesign (Forum.chair_organisation),
            # not by a seat: its holders are members (forums/rules.py chair_role_error).
            self._member(
                people[name],
                styregruppe,
                Seat.objects.get(forum=styregruppe, organisation=orgs[org]),
                Membership.Role.MEMBER,
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
        secretary = User.objects.get(email="sekretariat@example.org")
        member = User.objects.get(email="medlem@example.org")
        self._meetings_and_agreement(secretary, member, orgs, forums)
        self.stdout.write(self.style.SUCCESS("Demo data is in place."))

    @staticmethod
    def _meetings_and_agreement(secretary, member, orgs, forums) -> None:
        """A coming Samarbejdsforum meeting with a member's proposal, a Partnerskabsforum
        meeting whose public agenda is sent, an earlier Styregruppe meeting with minutes
        whose comment window has closed (the first sweep approves them), the framework
        agreement in force with its themes, a sub-agreement and two initiatives."""
        from meetings import services as meeting_services
        from meetings.deadlines import TZ
        from meetings.models import AgendaItem, Meeting
        from minutes import services as minutes_services

        if Meeting.objects.filter(title__startswith="Demo:").exists():
            return
        today = timezone.localdate()

        def at(day, hour):
            return datetime.combine(day, time(hour), tzinfo=TZ)

        sf_day = today + timedelta(days=45)
        sf = meeting_services.meeting_schedule(
            actor=secretary,
            forum=forums["samarbejdsforum"],
            title="Demo: Samarbejdsforum",
            starts_at=at(sf_day, 13),
            ends_at=at(sf_day, 15),
        )
        meeting_services.proposal_submit(
            actor=member,
            meeting=sf,
            title="Fleksibel udlejning – status",
            treatment="discussion",
            description="Status på aftalerne om fleksibel udlejning og forslag til næste skridt.",
            responsible=orgs["TMF"],
        )

        pf_day = date(today.year + 1, 5, 20)
        pf = meeting_services.meeting_schedule(
            actor=secretary,
            forum=forums["partnerskabsforum"],
            title="Demo: Partnerskabsforum",
            starts_at=at(pf_day, 15),
            ends_at=at(pf_day, 17),
        )
        meeting_services.agenda_item_save(
            actor=secretary,
            item=AgendaItem(meeting=pf),
            title="Tryghed og trivsel i de almene boligområder",
            presentation="Oplæg om de boligsociale indsatser.",
            recommendation="At forummet drøfter oplægget.",
            treatment="discussion",
            responsible=orgs["SOF"],
        )
        meeting_services.agenda_send(actor=secretary, meeting=pf, grace_minutes=0)

        held_day = today - timedelta(days=30)
        then = at(held_day - timedelta(days=10), 9)
        held = meeting_services.meeting_schedule(
            actor=secretary,
            forum=forums["tvaerkommunal-styregruppe"],
            title="Demo: Styregruppen",
            starts_at=at(held_day, 10),
            ends_at=at(held_day, 12),
            now=then,
        )
        minutes = minutes_services.minutes_start(
            actor=secretary, meeting=held, now=at(held_day, 13)
        )
        item = minutes.items.first()
        minutes_services.minutes_save(
            actor=secretary,
            minutes=minutes,
            lock_version=0,
            introduction="Mødet blev holdt som planlagt.",
            items={
                item.pk: {"summary": "Gensidig orientering.", "decision": "Taget til efterretning."}
            },
            now=at(held_day, 13),
        )
        minutes_services.action_add(
            actor=secretary,
            item=item,
            what="Udarbejd notat om anvisning",
            responsible=orgs["SOF"],
            due_on=today + timedelta(days=20),
        )
        minutes_services.minutes_send(
            actor=secretary, minutes=minutes, now=at(held_day + timedelta(days=2), 9)
        )
        Meeting.objects.filter(pk=held.pk).update(status=Meeting.Status.HELD)

        from agreements.models import FrameworkAgreement, Initiative, SubAgreement, Theme

        agreement = FrameworkAgreement.objects.create(
            title="Hovedaftale 2025–2028",
            period_start=date(2025, 1, 1),
            period_end=date(2028, 12, 31),
            introduction="Demo: Den politiske hovedaftale mellem Borgerrepræsentationen og BL 1. kreds.",
            status=FrameworkAgreement.Status.NEGOTIATED,
        )
        for position, (title, goals) in enumerate(
            [
                ("Udlejning og anvisning", "Fleksibel udlejning og boligsocial anvisning."),
                ("Fremtidssikring", "De almene boliger skal være attraktive i fremtiden."),
                ("Tryghed og trivsel", "Trygge og velfungerende boligområder."),
                ("Boligsociale indsatser", "Helhedsplaner i udsatte områder."),
                ("Områdebaserede indsatser", "Områdefornyelse, hvor der er almene afdelinger."),
            ],
            start=1,
        ):
            Theme.objects.create(
                agreement=agreement,
                position=position,
                title=title,
                goals=goals,
                priorities="Demo: prioriteringer fastlægges af Partnerskabsforum.",
            )
        from agreements import services as agreement_services

        agreement_services.agreement_record_br_approval(
            actor=secretary,
            agreement=agreement,
            approved_on=date(2024, 12, 12),
            case_reference="Demo-2024-1",
        )
        agreement_services.agreement_record_housing_approval(
            actor=secretary, agreement=agreement, approved_on=date(2024, 12, 19)
        )
        housing = Organisation.objects.get_or_create(
            name="Demo Boligselskab", defaults={"kind": "housing_organisation", "short_name": "DBS"}
        )[0]
        agreement_services.sub_agreement_save(
            actor=secretary,
            sub_agreement=SubAgreement(),
            title="Demo: Rammeaftale om fleksibel udlejning",
            theme="Udlejning og anvisning",
            administration=orgs["TMF"],
            housing_organisation=housing,
            period_start=date(2025, 3, 1),
            period_end=date(2027, 2, 28),
            status=SubAgreement.Status.SIGNED,
            is_published=True,
        )
        for name, area, kind, status in [
            ("Demo: Områdefornyelse Nordvest", "Bispebjerg", "area_renewal", "active"),
            ("Demo: Helhedsplan Tingbjerg", "Brønshøj-Husum", "master_plan", "planned"),
        ]:
            agreement_services.initiative_save(
                actor=secretary,
                initiative=Initiative(),
                name=name,
                area=area,
                kind=kind,
                status=status,
                period_start=date(2025, 1, 1),
                responsible=orgs["TMF"],
            )
        _archive_meetings(secretary, orgs, forums, today, at)
        _pools_dialogue_and_reports(secretary, group_name="Temagruppe om udlejning og anvisning")

    @staticmethod
    def _member(person: Person, forum: Forum, seat: Seat, role: str) -> None:
        Membership.objects.get_or_create(
            person=person, forum=forum, seat=seat, role=role, defaults={"starts_on": START}
        )


def _archive_meetings(secretary, orgs, forums, today, at) -> None:
    """For the archive (issue 14 §1): a past Partnerskabsforum meeting whose minutes are
    approved and public, and a past and a coming Borgmesterforum meeting. Each is
    scheduled, sent and approved through the services, at the moments it would have been."""
    from meetings import services as meeting_services
    from meetings.models import AgendaItem, Meeting
    from minutes import services as minutes_services

    year = today.year if today.month > 6 else today.year - 1
    pf_day = date(year, 5, 12)
    pf = meeting_services.meeting_schedule(
        actor=secretary,
        forum=forums["partnerskabsforum"],
        title="Demo: Partnerskabsforum (afholdt)",
        starts_at=at(pf_day, 15),
        ends_at=at(pf_day, 17),
        now=at(pf_day - timedelta(days=150), 9),
    )
    meeting_services.agenda_item_save(
        actor=secretary,
        item=AgendaItem(meeting=pf),
        title="Udlejning af almene boliger",
        presentation="Status på den fleksible udlejning i de almene boligafdelinger.",
        recommendation="At forummet tager status til efterretning.",
        treatment="orientation",
        responsible=orgs["TMF"],
    )
    meeting_services.agenda_send(
        actor=secretary, meeting=pf, now=at(pf_day - timedelta(days=10), 9), grace_minutes=0
    )
    minutes = minutes_services.minutes_start(actor=secretary, meeting=pf, now=at(pf_day, 18))
    items = {
        item.pk: {
            "summary": f"Forummet drøftede punktet »{item.title}«.",
            "decision": "Taget til efterretning.",
        }
        for item in minutes.items.all()
    }
    minutes = minutes_services.minutes_save(
        actor=secretary,
        minutes=minutes,
        lock_version=minutes.lock_version,
        introduction="Mødet blev holdt som planlagt.",
        items=items,
        now=at(pf_day, 18),
    )
    minutes_services.minutes_send(
        actor=secretary, minutes=minutes, now=at(pf_day + timedelta(days=2), 9)
    )
    minutes_services.minutes_approve(minutes_id=minutes.pk, now=timezone.now())
    Meeting.objects.filter(pk=pf.pk).update(status=Meeting.Status.HELD)

    bmf = forums["borgmesterforum"]
    past_day = today - timedelta(days=60)
    past = meeting_services.meeting_schedule(
        actor=secretary,
        forum=bmf,
        title="Demo: Borgmesterforum (afholdt)",
        starts_at=at(past_day, 10),
        ends_at=at(past_day, 12),
        now=at(past_day - timedelta(days=90), 9),
    )
    Meeting.objects.filter(pk=past.pk).update(status=Meeting.Status.HELD)
    coming_day = today + timedelta(days=120)
    meeting_services.meeting_schedule(
        actor=secretary,
        forum=bmf,
        title="Demo: Borgmesterforum",
        starts_at=at(coming_day, 10),
        ends_at=at(coming_day, 12),
    )


def _pools_dialogue_and_reports(secretary, *, group_name: str) -> None:
    """A public funding pool of Samarbejdsforum (nothing granted yet), this year's
    steering dialogue in planning, and a report cadence for the demo theme group, so the
    pools page, the year wheel and the cockpit have something to show (issues 10, 14)."""
    from django.utils import timezone

    from dialogue import services as dialogue_services
    from dialogue.models import DialogueRound
    from pools import services as pool_services
    from pools.models import Pool

    today = timezone.localdate()
    if not Pool.objects.filter(slug="demo-tryghed").exists():
        pool_services.pool_save(
            actor=secretary,
            name="Demo: Pulje til tryghed i boligområderne",
            slug="demo-tryghed",
            purpose="Tryghedsskabende indsatser i de almene boligområder.",
            amount=Decimal("2500000.00"),
            authorised_on=date(today.year - 1, 12, 1),
            authorisation_reference="BR 123/" + str(today.year - 1),
            period_start=date(today.year, 1, 1),
            period_end=date(today.year + 1, 12, 31),
            is_public=True,
        )
    if not DialogueRound.objects.filter(year=today.year).exists():
        dialogue_services.round_create(
            actor=secretary, year=today.year, note="Demo: årets styringsdialog."
        )
    from forums.services import theme_group_save

    for group in ThemeGroup.objects.filter(name=group_name, first_report_on__isnull=True):
        theme_group_save(
            actor=secretary,
            theme_group=group,
            first_report_on=date(today.year, 3, 1),
            report_every_months=6,
        )
