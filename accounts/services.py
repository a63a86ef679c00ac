"""Accounts: inviting a person to sign in, and the e-mails for invitations and resets.

The links in those e-mails are secrets: the outbox stores the messages with a marker where
the link goes, and makes the link at delivery through the providers below (registered in
`AccountsConfig.ready()`), so only the recipient ever sees it.
"""

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts.models import PasswordResetRequest, User
from accounts.signin import normalise_email
from core.audit import audit_record
from core.errors import DomainError
from forums.models import Person
from notifications.services import outbox_enqueue


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
