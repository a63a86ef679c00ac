"""No page shows a live secret to anyone but its owner.

Plants each kind of secret (a queued and a sent password reset, an invitation, a member's
personal calendar address), then reads every page the secretariat may open (the URL table
of `tests/test_permissions.py`, every person, every outbox message) and every Django admin
page of every registered model, as the secretariat and as a superuser, and fails on any
sight of a secret: a reset or invitation token, a token path for a planted account, or
the calendar token."""

import re
import time
from base64 import b32encode

import pytest
from django.contrib import admin
from django.contrib.auth.tokens import default_token_generator
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django_otp.oath import TOTP
from django_otp.util import random_hex

from accounts import services
from accounts.services import account_invite, password_reset_enqueue
from core.models import AuditEntry
from forums.models import Person
from forums.tests.factories import PersonFactory, UserFactory
from meetings.models import CalendarToken
from notifications.models import OutboxMessage
from notifications.secrets import redaction_marker
from tests.test_permissions import EXPECTED, objects  # noqa: F401 (objects is a fixture)

pytestmark = pytest.mark.django_db

ADMIN_OBJECTS_PER_MODEL = 25


def token_in(body: str) -> str:
    return re.search(r"http://testserver/konto/\S+/(\S+)/", body).group(1)


@pytest.fixture
def superuser_client(forums) -> Client:
    superuser = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(superuser)
    return client


@pytest.fixture
def planted(
    objects,  # noqa: F811 (the fixture imported above)
    superuser_client,
    member_user,
    member_client,
    django_capture_on_commit_callbacks,
) -> list[str]:
    """The secrets: what each planted owner received or could use now."""
    superuser = UserFactory(email="admin@example.org")
    password_reset_enqueue(user=superuser)  # queued: its task has not run
    with django_capture_on_commit_callbacks(execute=True):
        password_reset_enqueue(user=member_user)
        invited = account_invite(
            actor=superuser, person=PersonFactory(name="Lars Lejer", email="lars@example.org")
        )
    member_client.post(reverse("meetings:calendar_token_reset"))
    owners = [superuser, member_user, invited]
    assert OutboxMessage.objects.get(recipient_user=superuser).status == "queued"
    assert len(mail.outbox) == 2
    secrets = [token_in(message.body) for message in mail.outbox]
    secrets += [default_token_generator.make_token(user) for user in owners]
    for user in owners:
        uid = urlsafe_base64_encode(force_bytes(user.pk))
        secrets += [f"/nulstil-adgangskode/{uid}/", f"/invitation/{uid}/"]
    secrets.append(CalendarToken.objects.get(user=member_user).token)
    secrets += second_factor_secrets(member_user)
    return secrets


def second_factor_secrets(user) -> list[str]:
    """An authenticator app's key (hex, and base32 as the QR code carries it) and the
    recovery codes of `user`, set up through the services as the member would."""
    key = random_hex(20)
    totp = TOTP(bytes.fromhex(key))
    totp.time = time.time()
    services.totp_device_add(user=user, key=key, token=f"{totp.token():06d}")
    codes = services.recovery_codes_generate(user=user)
    return [key, b32encode(bytes.fromhex(key)).decode().rstrip("="), *codes]


def secretariat_urls(pks: dict) -> list[str]:
    """Every page of the permission table the secretariat may read, every person's page
    and every outbox message's page."""
    urls = []
    for name, (kwargs, *answers) in EXPECTED.items():
        if answers[-1] == 200:
            urls.append(reverse(name, kwargs={k: pks.get(v, v) for k, v in kwargs.items()}))
    people = Person.objects.values_list("pk", flat=True)
    urls += [reverse("secretariat:person", args=[pk]) for pk in people]
    urls += [m.get_absolute_url() for m in OutboxMessage.objects.all()]
    return urls


def admin_urls() -> list[str]:
    """The admin's index, and the list, add, change and history pages of every model."""
    urls = [reverse("admin:index")]
    for model in admin.site._registry:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls += [reverse(f"{info}_changelist"), reverse(f"{info}_add")]
        for pk in model._default_manager.values_list("pk", flat=True)[:ADMIN_OBJECTS_PER_MODEL]:
            urls += [reverse(f"{info}_change", args=[pk]), reverse(f"{info}_history", args=[pk])]
    return urls


def body_of(response) -> bytes:
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content)
    return response.content


def sightings(
    client: Client, urls: list[str], secrets: list[str], *, answers: tuple[int, ...] = (200,)
) -> list[tuple[str, str]]:
    """(url, secret) for every secret found on every page; each page must answer with one
    of `answers` (a crawl sent to a sign-in page would prove nothing)."""
    found = []
    for url in urls:
        response = client.get(url)
        assert response.status_code in answers, url
        body = body_of(response)
        found += [(url, secret) for secret in secrets if secret.encode() in body]
    return found


def test_the_secretariat_and_a_superuser_see_no_secret_on_any_page(
    planted,
    objects,  # noqa: F811
    secretariat_client,
    superuser_client,
):
    urls = secretariat_urls(objects)
    assert sightings(secretariat_client, urls, planted) == []
    assert sightings(superuser_client, urls, planted) == []
    # 403: the add page of a model nobody adds by hand (the audit log)
    assert sightings(superuser_client, admin_urls(), planted, answers=(200, 403)) == []


def test_the_crawl_reads_the_planted_messages_and_the_admin(
    planted,
    objects,  # noqa: F811
    superuser_client,
):
    """The crawl above proves something only if it reaches the pages that hold them."""
    reset = OutboxMessage.objects.filter(kind="password_reset").first()
    detail = superuser_client.get(reset.get_absolute_url()).content.decode()
    assert reset.recipient in detail and redaction_marker() in detail
    change = reverse("admin:notifications_outboxmessage_change", args=[reset.pk])
    assert change in admin_urls()
    page = superuser_client.get(change)
    assert page.status_code == 200 and reset.recipient in page.text
    assert redaction_marker() in page.text


def test_the_owner_sees_their_own_calendar_address(planted, member_client, member_user):
    token = CalendarToken.objects.get(user=member_user).token
    assert token in member_client.get(reverse("accounts:dashboard")).content.decode()


def test_a_superuser_renews_a_leaked_calendar_address_without_seeing_it(
    forums, member_user, member_client, secretariat_user, superuser_client, anonymous_client
):
    member_client.post(reverse("meetings:calendar_token_reset"))
    old = CalendarToken.objects.get(user=member_user).token
    response = superuser_client.post(
        reverse("admin:accounts_user_changelist"),
        {
            "action": "renew_calendar_address",
            "_selected_action": [member_user.pk, secretariat_user.pk],
        },
        follow=True,
    )
    new = CalendarToken.objects.get(user=member_user).token
    assert new != old and new.encode() not in response.content
    assert anonymous_client.get(reverse("meetings:personal_feed", args=[old])).status_code == 404
    assert anonymous_client.get(reverse("meetings:personal_feed", args=[new])).status_code == 200
    assert not CalendarToken.objects.filter(user=secretariat_user).exists()
    entries = AuditEntry.objects.filter(action="calendar.renew", object_id=str(member_user.pk))
    assert [entry.actor.is_superuser for entry in entries] == [True, False]
    assert all(new not in str(entry.data) and old not in str(entry.data) for entry in entries)
