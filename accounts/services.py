"""Accounts: inviting a person to sign in, and the e-mails for invitations and resets.

The links in those e-mails are secrets: the outbox stores the messages with a marker where
the link goes, and makes the link at delivery through the providers below (registered in
`AccountsConfig.ready()`), so only the recipient ever sees it.
"""

import uuid
from typing import Any

from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from accounts.models import User
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
