"""One account per e-mail address, whatever its letter case."""

import importlib

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from accounts.models import User
from accounts.services import account_invite
from core.errors import DomainError
from core.models import AuditEntry
from forums.tests.factories import PersonFactory, UserFactory
from notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db

migration = importlib.import_module("accounts.migrations.0003_email_unique_whatever_the_case")


@pytest.fixture
def admin_client(client, forums):
    client.force_login(UserFactory(email="admin@example.org", is_staff=True, is_superuser=True))
    return client


def test_a_case_variant_of_an_account_is_refused_at_the_e_mail_field_in_danish(forums):
    UserFactory(email="frank.jensen@example.org")
    user = User(email="FRANK.Jensen@Example.ORG")
    with pytest.raises(ValidationError) as refused:
        user.full_clean()
    assert refused.value.message_dict["email"] == [
        "Der findes allerede en konto med e-mailadressen »frank.jensen@example.org«."
    ]


def test_the_admin_refuses_a_case_variant_and_keeps_what_was_typed(admin_client):
    UserFactory(email="frank.jensen@example.org")
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "email": "Frank.Jensen@EXAMPLE.org",
            "usable_password": "true",
            "password1": "en-lang-adgangskode",
            "password2": "en-lang-adgangskode",
        },
    )
    form = response.context["adminform"].form
    assert form.errors["email"] == [
        "Der findes allerede en konto med e-mailadressen »frank.jensen@example.org«."
    ]
    assert form["email"].value() == "Frank.Jensen@EXAMPLE.org"
    assert User.objects.filter(email__iexact="frank.jensen@example.org").count() == 1


def test_an_account_keeps_its_own_address_when_it_is_edited(forums):
    frank = UserFactory(email="frank.jensen@example.org")
    frank.full_name = "Frank Jensen"
    frank.full_clean()


def test_the_database_refuses_a_case_variant_that_skips_validation(forums):
    UserFactory(email="frank.jensen@example.org")
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.bulk_create([User(email="FRANK.JENSEN@example.org")])


def test_the_migration_stops_and_names_accounts_that_differ_only_in_case(forums):
    constraint = next(c for c in User._meta.constraints if c.name == "user_email_ci_unique")
    with connection.schema_editor() as editor:
        editor.remove_constraint(User, constraint)
    User.objects.bulk_create(
        [User(email="frank.jensen@example.org"), User(email="Frank.Jensen@example.org")]
    )
    with pytest.raises(migration.DuplicateAccounts, match="frank.jensen@example.org"):
        migration.check_and_lower(django_apps, None)


def test_the_migration_lowers_stored_addresses(forums):
    User.objects.bulk_create([User(email="Birthe@Example.org")])
    migration.check_and_lower(django_apps, None)
    assert list(User.objects.values_list("email", flat=True)) == ["birthe@example.org"]


def test_inviting_a_person_whose_address_is_a_case_variant_of_another_persons_account_is_refused(
    secretariat_user,
):
    owner = UserFactory(email="lars@example.org")
    PersonFactory(name="Lars Lejer", email="lars.lejer@example.org", user=owner)
    namesake = PersonFactory(name="Lars Andersen", email="LARS@Example.org")
    with pytest.raises(DomainError) as refused:
        account_invite(actor=secretariat_user, person=namesake)
    assert refused.value.message_dict["email"] == [
        "E-mailadressen hører til en anden persons konto."
    ]
    assert User.objects.filter(email__iexact="lars@example.org").count() == 1
    assert OutboxMessage.objects.count() == 0
    assert not AuditEntry.objects.filter(action="account.invite").exists()
