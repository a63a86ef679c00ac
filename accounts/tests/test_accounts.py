"""Sign-in by e-mail, invitations and password resets through the outbox, lock-outs."""

import re

import pytest
from django.core import mail

from accounts.models import User
from accounts.services import account_invite
from core.errors import DomainError
from core.models import AuditEntry
from forums.tests.factories import PersonFactory, UserFactory
from notifications.models import OutboxMessage

pytestmark = pytest.mark.django_db


def link_in(body: str) -> str:
    return re.search(r"http://testserver(/konto/\S+)", body).group(1)


def test_a_member_signs_in_with_e_mail_and_password(client, forums):
    UserFactory(email="birthe@example.org", password="en-lang-adgangskode")
    response = client.post(
        "/konto/log-ind/", {"username": "Birthe@Example.org", "password": "en-lang-adgangskode"}
    )
    assert response.status_code == 302 and response["Location"] == "/konto/"
    assert client.get("/konto/").wsgi_request.user.email == "birthe@example.org"


def test_a_wrong_password_is_refused_at_the_form(client, forums):
    UserFactory(email="birthe@example.org", password="en-lang-adgangskode")
    response = client.post(
        "/konto/log-ind/", {"username": "birthe@example.org", "password": "forkert"}
    )
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert "_auth_user_id" not in client.session


def test_the_secretariat_invites_a_person_who_then_sets_a_password(
    client, secretariat_client, secretariat_user, django_capture_on_commit_callbacks
):
    person = PersonFactory(name="Lars Lejer", email="lars@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        response = secretariat_client.post(f"/sekretariat/personer/{person.pk}/inviter/")
    assert response.status_code == 302
    person.refresh_from_db()
    assert person.user.email == "lars@example.org" and not person.user.has_usable_password()
    message = OutboxMessage.objects.get(kind="invitation")
    assert (message.recipient, message.status) == ("lars@example.org", "sent")
    assert AuditEntry.objects.filter(action="account.invite", actor=secretariat_user).count() == 1

    set_password = client.get(link_in(mail.outbox[0].body), follow=True)
    form_url = set_password.redirect_chain[-1][0]
    client.post(
        form_url, {"new_password1": "Lejer-2026-kode!", "new_password2": "Lejer-2026-kode!"}
    )
    person.user.refresh_from_db()
    assert person.user.check_password("Lejer-2026-kode!")
    assert client.get(link_in(mail.outbox[0].body), follow=True).context["validlink"] is False


def test_an_invitation_needs_an_e_mail_address(secretariat_user):
    person = PersonFactory(email="")
    with pytest.raises(DomainError):
        account_invite(actor=secretariat_user, person=person)
    assert User.objects.filter(person=person).count() == 0
    assert OutboxMessage.objects.count() == 0


def test_a_password_reset_goes_through_the_outbox(
    client, forums, django_capture_on_commit_callbacks
):
    UserFactory(email="birthe@example.org", password="en-lang-adgangskode")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/konto/nulstil-adgangskode/", {"email": "birthe@example.org"})
    assert response.status_code == 302
    assert OutboxMessage.objects.get().kind == "password_reset"
    assert len(mail.outbox) == 1


def test_a_reset_for_an_unknown_address_reveals_nothing_and_sends_nothing(client, forums):
    response = client.post("/konto/nulstil-adgangskode/", {"email": "ukendt@example.org"})
    assert response.status_code == 302
    assert OutboxMessage.objects.count() == 0


def test_repeated_failures_lock_out_that_address_only_not_a_colleague_elsewhere(client, forums):
    UserFactory(email="birthe@example.org", password="en-lang-adgangskode")
    for _ in range(5):
        client.post(
            "/konto/log-ind/",
            {"username": "birthe@example.org", "password": "forkert"},
            REMOTE_ADDR="10.0.0.66",
        )
    locked = client.post(
        "/konto/log-ind/",
        {"username": "birthe@example.org", "password": "en-lang-adgangskode"},
        REMOTE_ADDR="10.0.0.66",
    )
    assert locked.status_code == 429
    colleague = client.post(
        "/konto/log-ind/",
        {"username": "birthe@example.org", "password": "en-lang-adgangskode"},
        REMOTE_ADDR="10.0.0.7",
    )
    assert colleague.status_code == 302
