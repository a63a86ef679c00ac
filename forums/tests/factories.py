from datetime import date

import factory
from django.conf import settings
from django.contrib.auth.models import Group

from accounts.models import User
from forums.models import Forum, Membership, Organisation, Person, Seat, ThemeGroup


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"bruger{n}@example.org")
    full_name = factory.Faker("name", locale="da_DK")
    password = factory.django.Password("korrekt-hest-batteri")

    @factory.post_generation
    def secretariat(self, create, extracted, **kwargs):
        if create and extracted:
            group, _ = Group.objects.get_or_create(name=settings.SECRETARIAT_GROUP)
            self.groups.add(group)


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    name = factory.Sequence(lambda n: f"Boligorganisation {n}")
    short_name = factory.Sequence(lambda n: f"BO{n}")
    kind = Organisation.Kind.HOUSING_ORGANISATION


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Faker("name", locale="da_DK")
    title = "Direktør"
    email = factory.Sequence(lambda n: f"person{n}@example.org")


def holder_for(seat: Seat, **fields) -> Person:
    """A person the seat is for: of its appointing organisation, at its required level
    (forums/rules.py seat_holder_error)."""
    return PersonFactory(organisation=seat.organisation, level=seat.holder_min_level, **fields)


def forum(slug: str) -> Forum:
    return Forum.objects.get(slug=slug)


def seat(slug: str, **filters) -> Seat:
    return Seat.objects.filter(forum__slug=slug, **filters).order_by("position").first()


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    # By default a person the seat is for (forums/rules.py seat_holder_error).
    person = factory.LazyAttribute(
        lambda m: PersonFactory(
            organisation=m.seat.organisation if m.seat else None,
            level=m.seat.holder_min_level if m.seat else None,
        )
    )
    forum = factory.LazyFunction(lambda: forum("samarbejdsforum"))
    seat = factory.LazyAttribute(lambda m: m.forum.seats.order_by("position").first())
    role = Membership.Role.MEMBER
    starts_on = date(2024, 1, 1)
    ends_on = None


class ThemeGroupFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ThemeGroup

    name = factory.Sequence(lambda n: f"Temagruppe {n}")
    forum = factory.LazyFunction(lambda: forum("samarbejdsforum"))
    mandate = "Behandler udlejning og anvisning."
    set_up_on = date(2024, 1, 1)
