"""How many reverse proxies stand in front of gunicorn, as django-ipware settings."""

from django.core.exceptions import ImproperlyConfigured


def ipware_settings(proxy_count: int) -> dict:
    """The ``AXES_IPWARE_*`` settings for ``proxy_count`` trusted reverse proxies.

    Each proxy appends the address it received the request from to X-Forwarded-For
    (de facto standard; RFC 7239 §5.2 for its ``Forwarded`` successor), and the last
    one connects to gunicorn (``REMOTE_ADDR``). The client is therefore the
    ``proxy_count``-th entry from the right of the header. django-ipware counts only the
    proxies *inside* the header and picks from the right-hand end when not strict, hence
    ``proxy_count - 1``; anything further left was sent by the client and is ignored.
    With no proxy the header is not read at all, so a client cannot choose its address.

    ``ipware_settings(0)`` -> REMOTE_ADDR only; ``ipware_settings(1)`` -> the last entry
    of X-Forwarded-For (REMOTE_ADDR if the header is missing).
    Raises ImproperlyConfigured for a negative count.
    """
    if proxy_count < 0:
        raise ImproperlyConfigured("The environment variable AXES_PROXY_COUNT must be 0 or more.")
    if proxy_count == 0:
        return {
            "AXES_IPWARE_PROXY_COUNT": None,
            "AXES_IPWARE_META_PRECEDENCE_ORDER": ("REMOTE_ADDR",),
            "AXES_IPWARE_PROXY_ORDER": "left-most",
            "IPWARE_STRICT": False,
        }
    return {
        "AXES_IPWARE_PROXY_COUNT": proxy_count - 1,
        "AXES_IPWARE_META_PRECEDENCE_ORDER": ("HTTP_X_FORWARDED_FOR", "REMOTE_ADDR"),
        "AXES_IPWARE_PROXY_ORDER": "left-most",
        # Not strict: extra entries the client put in front must not make ipware give up
        # on the header and fall back to the proxy's address (one address for everyone).
        "IPWARE_STRICT": False,
    }
