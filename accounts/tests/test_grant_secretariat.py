"""The operator gives the secretariat role with a command; an invitation alone gives none."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from core.models import AuditEntry
from notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_grant_secretariat_creates_the_account_with_the_role_and_a_password_link():
    out = StringIO()
    call_command("grant_secretariat", "Klerk@KK.dk", "--name", "Kim Klerk", stdout=out)

    user = User.objects.get(email="klerk@kk.dk")
    assert user.is_secretariat and user.full_name == "Kim Klerk"
    assert not user.has_usable_password()
    assert OutboxMessage.objects.filter(kind="password_reset", recipient="klerk@kk.dk").count() == 1
    assert AuditEntry.objects.filter(action="account.secretariat_grant").count() == 1
    assert "Created klerk@kk.dk" in out.getvalue()


def test_grant_secretariat_gives_an_existing_member_the_role_without_a_new_password(member_user):
    call_command("grant_secretariat", member_user.email, stdout=StringIO())

    assert User.objects.get(pk=member_user.pk).is_secretariat
    assert not OutboxMessage.objects.filter(kind="password_reset").exists()


def test_the_role_can_be_taken_away_again(member_user):
    call_command("grant_secretariat", member_user.email, stdout=StringIO())
    call_command("grant_secretariat", member_user.email, "--revoke", stdout=StringIO())

    assert not User.objects.get(pk=member_user.pk).is_secretariat
    again = StringIO()
    call_command("grant_secretariat", member_user.email, "--revoke", stdout=again)
    assert "did not have" in again.getvalue()
    assert AuditEntry.objects.filter(action="account.secretariat_revoke").count() == 1


def test_a_malformed_address_is_refused_naming_the_problem():
    with pytest.raises(CommandError, match="e-mail"):
        call_command("grant_secretariat", "ikke-en-adresse", stdout=StringIO())
    assert not User.objects.exists()
