"""The admin is no side door: what the secretariat's pages change through services, the
admin only shows, and it neither shows nor adds anyone's second factor."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp_webauthn.models import WebAuthnCredential

from accounts import services as account_services
from accounts.models import User
from core.models import AuditEntry
from forums.tests.factories import UserFactory
from tests.test_permissions import objects  # noqa: F401 (a fixture)

pytestmark = pytest.mark.django_db

VIEW_ONLY_APPS = {"meetings", "agreements"}


@pytest.fixture
def superuser(forums):
    return UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)


@pytest.fixture
def superuser_client(client, superuser):
    client.force_login(superuser)
    return client


def view_only_models():
    return [m for m in admin.site._registry if m._meta.app_label in VIEW_ONLY_APPS]


def test_meetings_and_agreements_are_shown_but_never_written_through_the_admin(
    objects,  # noqa: F811
    superuser_client,
):
    models = view_only_models()
    assert {m._meta.model_name for m in models} >= {"meeting", "agendaversion", "agreementversion"}
    for model in models:
        info = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        assert superuser_client.get(reverse(f"{info}_add")).status_code == 403, model
        obj = model._default_manager.first()
        if obj is None:
            continue
        before = model._default_manager.filter(pk=obj.pk).values().get()
        change = reverse(f"{info}_change", args=[obj.pk])
        assert superuser_client.get(change).status_code == 200, model  # it is shown
        superuser_client.post(change, {"title": "FORFALSKET", "place": "FORFALSKET"})
        delete = reverse(f"{info}_delete", args=[obj.pk])
        assert superuser_client.post(delete, {"post": "yes"}).status_code == 403, model
        assert model._default_manager.filter(pk=obj.pk).values().get() == before, model


def test_an_account_is_deactivated_never_deleted(superuser_client, member_user):
    url = reverse("admin:accounts_user_delete", args=[member_user.pk])
    assert superuser_client.post(url, {"post": "yes"}).status_code == 403
    assert User.objects.filter(pk=member_user.pk).exists()


def test_the_admin_neither_shows_nor_adds_a_second_factor():
    for model in (TOTPDevice, StaticDevice, WebAuthnCredential):
        assert not admin.site.is_registered(model), model


def test_a_superuser_resets_a_lost_second_factor_and_the_audit_log_says_who(
    superuser, superuser_client, secretariat_user
):
    TOTPDevice.objects.create(user=secretariat_user, name="app", confirmed=True)
    account_services.recovery_codes_generate(user=secretariat_user)
    superuser_client.post(
        reverse("admin:accounts_user_changelist"),
        {"action": "reset_second_factor", "_selected_action": [secretariat_user.pk]},
    )
    assert not TOTPDevice.objects.filter(user=secretariat_user).exists()
    assert not StaticDevice.objects.filter(user=secretariat_user).exists()
    entry = AuditEntry.objects.get(action="second_factor.reset")
    assert entry.actor == superuser and entry.object_id == str(secretariat_user.pk)
