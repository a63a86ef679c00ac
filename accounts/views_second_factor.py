"""The second step of signing in, and setting up the second factor (ASVS 4.0 V2.7/V2.8).

/konto/totrin/            the second step: a code from the app, a recovery code or a passkey
/konto/totrin/opsaet/     set up an authenticator app or a passkey; recovery codes; turn off
/konto/totrin/gendannelseskoder/  POST: make 10 new recovery codes and show them once
/konto/totrin/slaa-fra/   POST: a member turns two-step sign-in off
"""

from functools import wraps
from urllib.parse import quote

import django_otp
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST
from django.views.i18n import JavaScriptCatalog
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_otp.util import random_hex

from accounts import second_factor, services
from accounts.forms import SecondFactorForm, TOTPSetupForm
from core.errors import DomainError

# The secret of an authenticator app being set up, until a code confirms it.
TOTP_KEY_SESSION_KEY = "second_factor_totp_key"


def _next_url(request: HttpRequest) -> str:
    url = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return url if safe else reverse("accounts:dashboard")


def _with_next(url_name: str, next_url: str) -> str:
    return f"{reverse(url_name)}?next={quote(next_url)}"


def _verified(request: HttpRequest, device) -> None:
    """Mark the session as verified by `device`, with a new session key (ASVS V3.2.1)."""
    request.session.cycle_key()
    django_otp.login(request, device)
    request.session.pop(second_factor.PENDING_SESSION_KEY, None)


def verified_if_enrolled(view):
    """A user who already has a device must have verified it in this session before they
    may change their devices (else a stolen password would be enough to add one)."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if second_factor.has_device(request.user) and not request.user.is_verified():
            return redirect(_with_next("accounts:second_factor", request.get_full_path()))
        return view(request, *args, **kwargs)

    return wrapper


@never_cache
@login_required
def second_step(request: HttpRequest) -> HttpResponse:
    """Verify a code (app or recovery code) or a passkey; then go on to `next`."""
    next_url = _next_url(request)
    if request.user.is_verified():
        return redirect(next_url)
    if not second_factor.has_device(request.user):
        return redirect(_with_next("accounts:second_factor_setup", next_url))
    form = SecondFactorForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            device = services.second_factor_verify(
                user=request.user, code=form.cleaned_data["code"]
            )
        except DomainError as error:
            form.add_error(None, error)  # {"code": …}: shown at the field
        else:
            _verified(request, device)
            return redirect(next_url)
    context = {
        "form": form,
        "next": next_url,
        "has_totp": second_factor.totp_device(request.user) is not None,
        "has_passkey": bool(second_factor.webauthn_credentials(request.user)),
    }
    return render(request, "accounts/second_step.html", context)


def _pending_totp(request: HttpRequest) -> TOTPDevice:
    """An unsaved device holding the secret shown on the setup page (kept in the session)."""
    key = request.session.get(TOTP_KEY_SESSION_KEY)
    if not key:
        key = request.session[TOTP_KEY_SESSION_KEY] = random_hex(20)
    return TOTPDevice(user=request.user, key=key, name=_("Authenticator app"))


@never_cache
@login_required
@verified_if_enrolled
def setup(request: HttpRequest) -> HttpResponse:
    """Set up an authenticator app (QR code and code) or a passkey; recovery codes."""
    user, next_url = request.user, _next_url(request)
    has_totp = second_factor.totp_device(user) is not None
    form = TOTPSetupForm(request.POST or None)
    if request.method == "POST" and not has_totp and form.is_valid():
        pending = _pending_totp(request)
        try:
            device = services.totp_device_add(
                user=user, key=pending.key, token=form.cleaned_data["token"]
            )
        except DomainError as error:
            form.add_error(None, error)  # {"token": …}: shown at the field
        else:
            del request.session[TOTP_KEY_SESSION_KEY]
            if not user.is_verified():
                _verified(request, device)
            messages.success(request, _("Your authenticator app is set up."))
            if second_factor.recovery_device(user) is None:
                return _show_recovery_codes(request, next_url)
            return redirect(_with_next("accounts:second_factor_setup", next_url))
    context = {
        "form": form,
        "next": next_url,
        "has_totp": has_totp,
        "passkeys": second_factor.webauthn_credentials(user),
        "recovery": second_factor.recovery_device(user),
        "required": second_factor.is_required_by_role(user),
        "enrolled": second_factor.has_device(user),
    }
    if not has_totp:
        pending = _pending_totp(request)
        context["qr_svg"] = second_factor.qr_code_svg(pending.config_url)
        context["secret"] = _grouped(pending.config_url.split("secret=")[1].split("&")[0])
    return render(request, "accounts/second_factor_setup.html", context)


def _grouped(secret: str) -> str:
    """The base32 secret in groups of four, for typing it into an app by hand."""
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _show_recovery_codes(request: HttpRequest, next_url: str) -> HttpResponse:
    codes = services.recovery_codes_generate(user=request.user)
    response = render(request, "accounts/recovery_codes.html", {"codes": codes, "next": next_url})
    response["Cache-Control"] = "no-store"
    return response


@never_cache
@login_required
@require_POST
@verified_if_enrolled
def recovery_codes(request: HttpRequest) -> HttpResponse:
    """Make 10 new recovery codes (the old ones stop working) and show them this once."""
    return _show_recovery_codes(request, _next_url(request))


@login_required
@require_POST
@verified_if_enrolled
def turn_off(request: HttpRequest) -> HttpResponse:
    """A member who opted in turns two-step sign-in off again (removes every device)."""
    try:
        services.second_factor_turn_off(
            user=request.user, password=request.POST.get("password", "")
        )
    except DomainError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("accounts:second_factor_setup")
    messages.success(request, _("Two-step sign-in is turned off."))
    return redirect("accounts:dashboard")


class PasskeyScriptCatalog(JavaScriptCatalog):
    """The Danish texts of django-otp-webauthn's scripts (gettext() in the browser), from
    locale/da/LC_MESSAGES/djangojs.po: the package ships no Danish catalogue of its own."""

    domain = "djangojs"

    def get_paths(self, packages: list[str]) -> list[str]:
        return [str(path) for path in settings.LOCALE_PATHS]
