"""Secret links in e-mails: made at delivery, for the recipient only, never stored.

A message whose kind carries a secret (a password-reset or invitation link, a one-time
code) is stored and shown with `REDACTED` where the link goes. When the outbox delivers it,
the kind's *secret provider* makes a fresh link for the message's `recipient_user`, and the
link replaces the marker in the e-mail that leaves, and nowhere else. So the outbox pages,
the admin, the audit log and the logs never hold a live secret, and sending a message again
issues a fresh secret to its owner instead of replaying an old one.

The registry is filled by the apps that own the secrets, from their `AppConfig.ready()`
(accounts registers "invitation" and "password_reset"), so this module imports no app.

A provider is ``provider(user) -> str``: it takes the recipient's user account and returns
the site-relative path of the secret link (e.g. ``/konto/invitation/<uid>/<token>/``). It
may raise `SecretUnavailable` with a Danish reason when no link may be made for that user.
"""

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.html import escape
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

SecretProvider = Callable[[Any], str]

_PROVIDERS: dict[str, SecretProvider] = {}

# Where the link goes in the stored text; the e-mail that leaves has the link instead.
REDACTED = _("[link hidden – sent only to the recipient]")


class SecretUnavailable(Exception):
    """No secret link may be made for this message; the argument says why (in Danish)."""


def secret_provider_register(kind: str, provider: SecretProvider) -> None:
    """Make messages of `kind` carry a secret link made by `provider` at delivery.

    Registering a kind twice with another provider is a programming error (ValueError)."""
    if _PROVIDERS.get(kind, provider) is not provider:
        raise ValueError(f"A secret provider for {kind!r} is already registered.")
    _PROVIDERS[kind] = provider


def has_secret(kind: str) -> bool:
    """Whether messages of `kind` carry a secret link made at delivery."""
    return kind in _PROVIDERS


def redaction_marker() -> str:
    """The marker text as it is written into stored bodies (in the site's language)."""
    with translation.override(settings.LANGUAGE_CODE):
        return str(REDACTED)


def secret_link(*, kind: str, user: Any, recipient: str) -> str:
    """A fresh absolute secret link (``SITE_URL`` + the provider's path) for `user`.

    Raises `SecretUnavailable` when the message has no account behind it, when the account
    is deactivated, or when the account's address is no longer the message's recipient
    (the link must reach only the person whose account it opens)."""
    if user is None:
        raise SecretUnavailable(gettext("The recipient's account no longer exists."))
    if not user.is_active:
        raise SecretUnavailable(gettext("The recipient's account is deactivated."))
    if user.email.strip().lower() != recipient.strip().lower():
        raise SecretUnavailable(
            gettext("The account's e-mail address has changed since the message was written.")
        )
    return f"{settings.SITE_URL}{_PROVIDERS[kind](user)}"


def fill_in(*, text: str, html: str, link: str) -> tuple[str, str]:
    """The text and HTML bodies with the marker replaced by `link` (escaped in HTML).

    The marker is looked for in the site's language and in English (a row written while
    the catalogue was missing). Raises `SecretUnavailable` if the text body has neither:
    the message would otherwise leave without the link it exists for."""
    with translation.override(None):
        markers = {redaction_marker(), str(REDACTED)}
    if not any(marker in text for marker in markers):
        raise SecretUnavailable(gettext("The message has no place for its link."))
    for marker in markers:
        text, html = text.replace(marker, link), html.replace(escape(marker), escape(link))
    return text, html
