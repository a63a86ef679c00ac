"""Who needs a second factor, and what a session needs to show for it (ASVS 4.0 V2.7/V2.8).

The devices are django-otp's own models: `TOTPDevice` (authenticator app, RFC 6238),
`StaticDevice` (recovery codes) and django-otp-webauthn's `WebAuthnCredential` (passkeys,
W3C WebAuthn level 2). A session is verified when `django_otp.login(request, device)` has
stored the device that proved the second factor (`request.user.is_verified()`).
"""

from typing import Any

import segno
from django.conf import settings
from django.http import HttpRequest
from django_otp import devices_for_user
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

# Set at sign-in for a user who opted in (has a device): they finish the second step first.
PENDING_SESSION_KEY = "second_factor_pending"
# A TOTP code has 6 digits; anything else typed at the second step is a recovery code.
TOTP_DIGITS = 6


def is_exempt(user: Any) -> bool:
    """True for the demo accounts listed in settings.SECOND_FACTOR_EXEMPT_EMAILS (local only)."""
    return user.email.lower() in settings.SECOND_FACTOR_EXEMPT_EMAILS


def is_required_by_role(user: Any) -> bool:
    """The secretariat (group settings.SECRETARIAT_GROUP), staff and superusers must use one."""
    return bool(user.is_active and (user.is_secretariat or user.is_staff or user.is_superuser))


def has_device(user: Any) -> bool:
    """True when the user has at least one confirmed device (app, passkey or recovery codes)."""
    return next(devices_for_user(user, confirmed=True), None) is not None


def is_required(user: Any) -> bool:
    """True when `user` must pass the second step: by role, or because they opted in."""
    if is_exempt(user):
        return False
    return is_required_by_role(user) or has_device(user)


def session_needs_second_step(request: HttpRequest) -> bool:
    """True when the signed-in user of `request` must still verify a second factor.

    Checked on every request by accounts.middleware.SecondFactorMiddleware: the role is
    checked live (a colleague added to the secretariat mid-session is asked at once); an
    opted-in member is marked at sign-in (PENDING_SESSION_KEY), which saves the device
    look-up on each of their requests.
    """
    user = request.user
    if not user.is_authenticated or user.is_verified() or is_exempt(user):
        return False
    return is_required_by_role(user) or bool(request.session.get(PENDING_SESSION_KEY))


def totp_device(user: Any) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).first()


def recovery_device(user: Any) -> StaticDevice | None:
    return StaticDevice.objects.filter(user=user, confirmed=True).first()


def webauthn_credentials(user: Any) -> list:
    from django_otp_webauthn.models import WebAuthnCredential

    return list(WebAuthnCredential.objects.filter(user=user, confirmed=True))


def qr_code_svg(text: str) -> str:
    """The QR code of `text` (an otpauth:// URI) as inline SVG markup, without an XML prologue.

    The SVG uses presentation attributes only, so the page's CSP (no inline styles) holds.
    """
    return segno.make(text, error="m").svg_inline(
        scale=4, border=4, dark="#000", light="#fff", title=""
    )
