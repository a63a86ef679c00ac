"""Who is signing in, and from where: the two keys of the lock-out (django-axes).

Both are also used by the password reset's rate limit, so that one rule decides what
"the same account" and "the same client" mean everywhere.
"""

from django.conf import settings
from django.http import HttpRequest


def normalise_email(address: str | None) -> str:
    """``" Frank.Jensen@EXAMPLE.org "`` -> ``"frank.jensen@example.org"``.

    An account is one address whatever its letter case (the model stores it lower-case,
    with a unique constraint on ``Lower("email")``). Strictly RFC 5321 allows a
    case-sensitive local part, but no mail system the forums use treats it so.
    """
    return (address or "").strip().lower()


def axes_username(request: HttpRequest, credentials: dict | None = None) -> str:
    """``AXES_USERNAME_CALLABLE``: the address being tried, normalised.

    ``credentials`` is what ``authenticate()`` received (``{"username": ..., ...}``);
    without it the posted form field is read. Normalising here makes
    ``FRANK.JENSEN@EXAMPLE.ORG`` and ``frank.jensen@example.org`` count as one account.
    """
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        return normalise_email(credentials.get(field))
    return normalise_email(getattr(request, "data", request.POST).get(field))


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address as a string (``"192.0.2.7"``), or None if unknown.

    Read the way django-axes reads it (django-ipware with the ``AXES_IPWARE_*``
    settings): behind ``AXES_PROXY_COUNT`` trusted reverse proxies, the address the
    outermost proxy appended to ``X-Forwarded-For``; with no proxy, ``REMOTE_ADDR``
    (a client-sent ``X-Forwarded-For`` is then ignored).
    """
    from axes.helpers import get_client_ip_address

    return get_client_ip_address(request)
