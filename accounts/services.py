"""Accounts: inviting a person to sign in, and the e-mails for invitations and resets."""

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
