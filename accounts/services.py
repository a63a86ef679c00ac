"""Accounts: inviting a person to sign in, the e-mails for invitations and resets, and the
second factor (authenticator app, recovery codes; passkeys are django-otp-webauthn's)."""

import math
import time
from typing import Any

import django_otp
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from accounts import second_factor
from accounts.models import User
from core.audit import audit_record
from core.errors import DomainError
from forums.models import Person
from notifications.services import outbox_enqueue


def _token_path(user: User, url_name: str) -> tuple[str, str]:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return token, reverse(url_name, kwargs={"uidb64": uid, "token": token})


@transaction.atomic
def account_invite(*, actor: Any, person: Person) -> User:
    """Give `person` an account (or reuse theirs) and e-mail a link to set a password.

    1. the person must have an e-mail address not used by another person's account;
    2. create the account without a usable password, linked to the person;
    3. queue the invitation through the outbox and record who invited whom.
    """
    if not person.email:
        raise DomainError(
            {"email": _("The person has no e-mail address to send the invitation to.")}
        )
    user = person.user or User.objects.filter(email__iexact=person.email).first()
    if user is None:
        user = User.objects.create_user(email=person.email, full_name=person.name)
    elif hasattr(user, "person") and user.person.pk != person.pk:
        raise DomainError({"email": _("This e-mail address belongs to another person's account.")})
    if not user.is_active:
        raise DomainError(_("The account is deactivated; activate it in the admin first."))
    if person.user_id != user.pk:
        person.user = user
        person.save(update_fields=["user"])
    token, path = _token_path(user, "accounts:invitation_accept")
    outbox_enqueue(
        kind="invitation",
        key=f"invitation:{user.pk}:{token}",
        to=user.email,
        user=user,
        concerns=person,
        context={"person": person, "inviter": actor, "path": path},
    )
    audit_record(actor=actor, action="account.invite", obj=person, data={"email": user.email})
    return user


def password_reset_enqueue(*, user: User) -> None:
    token, path = _token_path(user, "accounts:password_reset_confirm")
    outbox_enqueue(
        kind="password_reset",
        key=f"password_reset:{user.pk}:{token}",
        to=user.email,
        user=user,
        concerns=user,
        context={"user": user, "path": path},
    )


# --- Second factor (ASVS 4.0 V2.7/V2.8) -----------------------------------------------------

RECOVERY_CODE_COUNT = 10


def totp_device_add(*, user: User, key: str, token: str) -> TOTPDevice:
    """Confirm an authenticator app (RFC 6238 TOTP, SHA-1, 6 digits, 30 s) for `user`.

    `key` is the hex secret the setup page showed as a QR code (kept in the session until
    now); `token` the code the app shows. The code is accepted one step either side of now.
    The device is created only once a code proves the app holds the secret, so an
    abandoned setup leaves nothing behind. Raises DomainError({"token": …}) on a wrong code.
    """
    device = TOTPDevice(user=user, key=key, name=_("Authenticator app"), confirmed=True)
    normalised = token.replace(" ", "").strip()
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time()
    if not (normalised.isdigit() and totp.verify(int(normalised), device.tolerance)):
        raise DomainError(
            {"token": _("The code is wrong. Type the 6 digits the app shows right now.")}
        )
    device.last_t = totp.t()  # the code just used cannot be used again (RFC 6238 §5.2)
    with transaction.atomic():
        device.save()
        audit_record(actor=user, action="second_factor.totp_added", obj=user)
    return device


@transaction.atomic
def recovery_codes_generate(*, user: User) -> list[str]:
    """Replace `user`'s recovery codes with RECOVERY_CODE_COUNT new single-use codes.

    Returns the codes (8 characters of RFC 4648 base32, lower case); they are shown once
    and stored as django-otp StaticTokens, each deleted when it is used.
    """
    device, _created = StaticDevice.objects.get_or_create(
        user=user, defaults={"name": _("Recovery codes"), "confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _n in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    audit_record(actor=user, action="second_factor.recovery_codes", obj=user)
    return codes


def _device_for_code(user: User, code: str) -> Device | None:
    if len(code) == second_factor.TOTP_DIGITS and code.isdigit():
        return second_factor.totp_device(user)
    return second_factor.recovery_device(user)


def second_factor_verify(*, user: User, code: str) -> Device:
    """Check a code from the authenticator app (6 digits) or a recovery code for `user`.

    Returns the device that accepted it; the caller marks the session verified with
    django_otp.login(). Brute force is bounded by django-otp's throttling: after n wrong
    codes on a device the next try waits 2^(n-1) seconds. A recovery code works once.
    Raises DomainError({"code": …}) with the reason in Danish.
    """
    code = code.replace(" ", "").replace("-", "").strip().lower()
    device = _device_for_code(user, code)
    if device is None:
        raise DomainError({"code": _("The code is wrong.")})
    allowed, details = device.verify_is_allowed()
    if not allowed:
        raise DomainError({"code": _throttled_message(details)})
    if django_otp.verify_token(user, device.persistent_id, code) is None:
        raise DomainError({"code": _("The code is wrong.")})
    if isinstance(device, StaticDevice):
        left = device.token_set.count()
        audit_record(
            actor=user, action="second_factor.recovery_code_used", obj=user, data={"left": left}
        )
    return device


def _throttled_message(details: dict | None) -> str:
    if details and details.get("locked_until"):
        wait = max(1, math.ceil((details["locked_until"] - timezone.now()).total_seconds()))
        return ngettext(
            "Too many wrong codes. Wait %(seconds)d second and try again.",
            "Too many wrong codes. Wait %(seconds)d seconds and try again.",
            wait,
        ) % {"seconds": wait}
    return _("Too many wrong codes. Wait a moment and try again.")


@transaction.atomic
def second_factor_turn_off(*, user: User) -> None:
    """Remove every second-factor device of a member who opted in (app, passkeys, codes).

    Raises DomainError when the user's role requires a second factor (the secretariat,
    staff and superusers cannot turn it off).
    """
    if second_factor.is_required_by_role(user):
        raise DomainError(_("The secretariat and administrators cannot turn two-step sign-in off."))
    for device in list(django_otp.devices_for_user(user, confirmed=None)):
        device.delete()
    audit_record(actor=user, action="second_factor.turned_off", obj=user)
