"""Accounts: inviting a person to sign in, the e-mails for invitations and resets, and the
second factor (authenticator app, recovery codes; passkeys are django-otp-webauthn's).

The links in those e-mails are secrets: the outbox stores the messages with a marker where
the link goes, and makes the link at delivery through the providers below (registered in
`AccountsConfig.ready()`), so only the recipient ever sees it.
"""

import math
import time
import uuid
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

import django_otp
from django.conf import settings
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
from accounts.models import CalendarReminders, PasswordResetRequest, User
from accounts.signin import normalise_email
from core.audit import audit_record
from core.errors import DomainError
from notifications.services import outbox_enqueue

if TYPE_CHECKING:  # forums sit above accounts: no import at run time
    from forums.models import Person


def _token_path(user: User, url_name: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return reverse(url_name, kwargs={"uidb64": uid, "token": token})


def invitation_path(user: User) -> str:
    """Secret provider for "invitation": a fresh ``/konto/invitation/<uid>/<token>/`` path.

    The token is Django's stateless HMAC (`default_token_generator`): valid for
    PASSWORD_RESET_TIMEOUT from now, void once the password is set."""
    return _token_path(user, "accounts:invitation_accept")


def password_reset_path(user: User) -> str:
    """Secret provider for "password_reset": a fresh ``/konto/nulstil-adgangskode/<uid>/<token>/``
    path (same token rules as `invitation_path`)."""
    return _token_path(user, "accounts:password_reset_confirm")


def _message_key(kind: str, user: User) -> str:
    # Unique per request and free of the secret: the key is shown in the admin.
    return f"{kind}:{user.pk}:{uuid.uuid4().hex}"


@transaction.atomic
def account_invite(*, actor: Any, person: "Person") -> User:
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
    outbox_enqueue(
        kind="invitation",
        key=_message_key("invitation", user),
        to=user.email,
        user=user,
        concerns=person,
        context={"person": person, "inviter": actor},
    )
    audit_record(actor=actor, action="account.invite", obj=person, data={"email": user.email})
    return user


@transaction.atomic
def secretariat_grant(*, actor: Any, email: str, full_name: str = "") -> tuple[User, bool, bool]:
    """Give the account with `email` the secretariat role (the group
    settings.SECRETARIAT_GROUP), creating the account when there is none.

    Returns (user, created, link_sent). An account without a usable password (a new one,
    or one whose owner never set it) gets a link to set one by e-mail (and then the second factor, which the
    role requires). An invitation alone gives no role; this is how the role is given.
    Raises DomainError for an address that is not an e-mail address.
    """
    from django.contrib.auth.models import Group
    from django.core.exceptions import ValidationError
    from django.core.validators import validate_email

    address = normalise_email(email)
    try:
        validate_email(address)
    except ValidationError:
        raise DomainError({"email": _("Enter a valid e-mail address.")}) from None
    user = User.objects.filter(email__iexact=address).first()
    created = user is None
    if created:
        user = User.objects.create_user(email=address, full_name=full_name)
    group, _created = Group.objects.get_or_create(name=settings.SECRETARIAT_GROUP)
    user.groups.add(group)
    link_sent = not user.has_usable_password()
    if link_sent:
        password_reset_enqueue(user=user)
    audit_record(actor=actor, action="account.secretariat_grant", obj=user, data={"email": address})
    return user, created, link_sent


@transaction.atomic
def secretariat_revoke(*, actor: Any, email: str) -> tuple[User, bool]:
    """Take the secretariat role from the account with `email`. Returns (user, revoked):
    False when the account did not have the role (nothing changes, nothing is audited).
    DomainError when no account has the address."""
    user = User.objects.filter(email__iexact=normalise_email(email)).first()
    if user is None:
        raise DomainError({"email": _("No account has this e-mail address.")})
    groups = list(user.groups.filter(name=settings.SECRETARIAT_GROUP))
    if not groups:
        return user, False
    user.groups.remove(*groups)
    audit_record(actor=actor, action="account.secretariat_revoke", obj=user, data={})
    return user, True


def password_reset_enqueue(*, user: User) -> None:
    """Queue a password-reset e-mail to `user`; its link is made when it is delivered."""
    outbox_enqueue(
        kind="password_reset",
        key=_message_key("password_reset", user),
        to=user.email,
        user=user,
        concerns=user,
        context={"user": user},
    )


def _reset_outcome(*, address: str, client_address: str | None, user: User | None, now) -> str:
    since = now - settings.PASSWORD_RESET_LIMIT_WINDOW
    recent = PasswordResetRequest.objects.filter(requested_at__gt=since, requested_at__lte=now)
    Outcome = PasswordResetRequest.Outcome
    if (
        client_address
        and recent.filter(client_address=client_address).count()
        >= settings.PASSWORD_RESET_MAX_PER_CLIENT
    ):
        return Outcome.LIMITED
    if user is None:
        return Outcome.UNKNOWN
    sent = recent.filter(address=address, outcome=Outcome.SENT).count()
    return Outcome.LIMITED if sent >= settings.PASSWORD_RESET_MAX_PER_ADDRESS else Outcome.SENT


@transaction.atomic
def password_reset_request_handle(
    *, address: str, client_address: str | None, now: datetime
) -> PasswordResetRequest:
    """Handle one "forgot your password?" request, out of the web request (a Celery task),
    so that the page answers alike, and as fast, for known and unknown addresses.

    ``address`` as typed (any case); ``client_address`` an IP address string or None.
    1. find the active account with a usable password (Django's PasswordResetForm rule),
       locking its row so that two workers count the same mails;
    2. refuse when the client made PASSWORD_RESET_MAX_PER_CLIENT requests within
       PASSWORD_RESET_LIMIT_WINDOW (any address, known or not), or when the address was
       sent PASSWORD_RESET_MAX_PER_ADDRESS links within it;
    3. record the request with its outcome (the limits count these rows);
    4. queue the link through the outbox only when the outcome is "sent".
    Never raises for an unknown or limited address: nothing is revealed to anyone.
    (The per-client count takes no lock: two workers at the same instant may each serve
    one request more; the per-address count, the one that protects a person's inbox, is
    serialised by the account's row lock.)
    """
    address = normalise_email(address)
    user = next(
        (
            u
            for u in User.objects.select_for_update().filter(email__iexact=address, is_active=True)
            if u.has_usable_password()
        ),
        None,
    )
    outcome = _reset_outcome(address=address, client_address=client_address, user=user, now=now)
    request = PasswordResetRequest.objects.create(
        address=address, client_address=client_address, requested_at=now, outcome=outcome
    )
    if outcome == PasswordResetRequest.Outcome.SENT:
        password_reset_enqueue(user=user)
    return request


def password_reset_requests_prune(*, now: datetime) -> dict:
    """Sweep step: forget requests older than a day (the limits look back one hour)."""
    deleted, _ = PasswordResetRequest.objects.filter(
        requested_at__lt=now - max(settings.PASSWORD_RESET_LIMIT_WINDOW, timedelta(days=1))
    ).delete()
    return {"deleted": deleted}


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
def second_factor_turn_off(*, user: User, password: str) -> None:
    """Remove every second-factor device of a member who opted in (app, passkeys, codes).

    The member confirms with their password, so that an unattended signed-in browser
    cannot weaken the account (ASVS 4.0 V2.5/V3.7: re-authenticate before a sensitive
    change). Raises DomainError when the user's role requires a second factor (the
    secretariat, staff and superusers cannot turn it off), or
    DomainError({"password": …}) when the password is wrong.
    """
    if second_factor.is_required_by_role(user):
        raise DomainError(_("The secretariat and administrators cannot turn two-step sign-in off."))
    if not user.check_password(password):
        raise DomainError({"password": _("The password is wrong.")})
    _devices_delete(user)
    audit_record(actor=user, action="second_factor.turned_off", obj=user)


@transaction.atomic
def second_factor_reset(*, actor: Any, user: User) -> None:
    """A superuser's help for someone who lost their phone or passkey: remove every
    second-factor device of `user` (app, passkeys, recovery codes) and audit who did it.

    The admin never shows or adds a device (its key or codes would let the viewer pass the
    owner's second step); after a reset, a user whose role requires a second factor sets a
    new one up at the next sign-in, with their password."""
    _devices_delete(user)
    audit_record(actor=actor, action="second_factor.reset", obj=user)


def _devices_delete(user: User) -> None:
    for device in list(django_otp.devices_for_user(user, confirmed=None)):
        device.delete()


@transaction.atomic
def user_set_calendar_reminders(*, actor: Any, user: User, reminders: str) -> User:
    """Set the alarms (VALARM) of `user`'s personal calendar feed: one of
    `CalendarReminders` ("none", "hour", "day", "both"); anything else raises
    DomainError({"calendar_reminders": …}). Audited as "calendar.reminders"."""
    if reminders not in CalendarReminders.values:
        raise DomainError({"calendar_reminders": _("Choose one of the reminders shown.")})
    user.calendar_reminders = reminders
    user.save(update_fields=["calendar_reminders"])
    audit_record(actor=actor, action="calendar.reminders", obj=user, data={"to": reminders})
    return user
