"""Public pages cached by the data they show (issue 12).

A *stamp* is a named token in Django's cache ("forums", "meetings", "meeting:<id>",
"agreements"): a random string that the services which change what public pages show
replace with `bump(...)`. A public view decorated with `public_cache(...)` names the
stamps it depends on; its cached copy is keyed by the current tokens of those stamps,
the language and the full path, so a bump makes every affected copy unreachable at once
and nothing stale is served. There is no time-based expiry for data changes.

Some public content changes with time alone (a meeting drops off "coming meetings" when
it starts; an agenda version appears when its grace period ends; dated memberships). So
a copy lives at most until the next such moment: the next Copenhagen midnight, or an
earlier moment a registered *horizon* names (`horizon_register`, filled by the apps in
their AppConfig.ready()).

Only anonymous requests without a session read or fill the cache: a signed-in person's
page carries their name and a CSRF token and is never stored, and never answered from a
copy (see tests/test_public_cache.py). Copies are stored with an ETag (RFC 9110 §8.8.3)
and gzip-compressed bytes (RFC 9110 §8.4.1), so a conditional request is answered 304 and
a warm request is answered without rendering, querying or compressing.
"""

from __future__ import annotations

import gzip
import hashlib
import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta
from functools import wraps

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.http import parse_etags, parse_http_date_safe
from django.utils.translation import get_language

# Content types worth compressing (HTML, XML incl. Atom/sitemaps, JSON, iCalendar).
COMPRESSIBLE = ("text/html", "application/xml", "text/xml", "application/atom+xml")
COMPRESSIBLE += ("application/rss+xml", "application/json", "text/calendar")
# Headers a view sets that a copy must carry; the middleware adds the rest on every answer.
KEPT_HEADERS = (
    "Content-Disposition",
    "Content-Language",
    "X-Content-Type-Options",
    "Last-Modified",
    "Cache-Control",
)

# stamp family ("meetings", "meeting" for "meeting:<id>") -> fn(now) -> the next moment
# public pages that depend on that family change by time alone, or None.
HORIZONS: dict[str, Callable[[datetime], datetime | None]] = {}


# Each process keeps its most recent copies in memory too, keyed like the shared cache
# (the key holds the stamps' tokens, so a bump makes them unreachable here as well): a warm
# request then costs one small read of the stamps instead of fetching and unpickling the
# whole page from Redis. Bounded; each copy still ends at its own moment ("expires").
LOCAL_COPIES = 64
_local: OrderedDict[str, dict] = OrderedDict()
_local_lock = threading.Lock()


def _local_get(key: str) -> dict | None:
    with _local_lock:
        entry = _local.get(key)
        if entry is None:
            return None
        if entry["expires"] <= time.time():
            del _local[key]
            return None
        _local.move_to_end(key)
        return entry


def _local_put(key: str, entry: dict) -> None:
    with _local_lock:
        _local[key] = entry
        _local.move_to_end(key)
        while len(_local) > LOCAL_COPIES:
            _local.popitem(last=False)


def _cache():
    return caches[settings.PUBLIC_CACHE_ALIAS]


def _stamp_key(name: str) -> str:
    return f"stamp:{name}"


def horizon_register(family: str, fn: Callable[[datetime], datetime | None]) -> None:
    """Register `fn(now) -> datetime | None` as the next time-only change of the pages
    that depend on stamps of `family` ("meetings" covers "meetings"; "meeting" covers
    "meeting:<id>"). Called from an AppConfig.ready(); registering again replaces."""
    HORIZONS[family] = fn


def bump(*names: str) -> None:
    """Give each stamp in `names` (e.g. "meetings", "meeting:12") a new token, now and
    again when the current transaction commits.

    The bump at commit is the one that counts: a request that rendered the old data
    during the transaction may have stored it under the token set inside it, and that
    copy becomes unreachable at commit. Outside a transaction both happen at once."""

    def replace() -> None:
        _cache().set_many({_stamp_key(n): secrets.token_hex(8) for n in names}, timeout=None)

    replace()
    transaction.on_commit(replace)


def stamps(names: Iterable[str]) -> dict[str, str]:
    """The current token of each stamp in `names` ({name: token}); a stamp never set
    (or evicted by the cache) gets a fresh random token, so no old copy matches it."""
    names = list(names)
    cache = _cache()
    found = cache.get_many([_stamp_key(n) for n in names])
    tokens = {}
    for name in names:
        token = found.get(_stamp_key(name))
        if token is None:
            token = secrets.token_hex(8)
            if not cache.add(_stamp_key(name), token, timeout=None):
                token = cache.get(_stamp_key(name)) or token
        tokens[name] = token
    return tokens


def next_midnight(now: datetime) -> datetime:
    """The next midnight in the current time zone (Europe/Copenhagen), as an aware
    datetime: dated data (memberships, agreements in force) turns over then."""
    local = timezone.localtime(now)
    day = local.date() + timedelta(days=1)
    return timezone.make_aware(datetime(day.year, day.month, day.day))


def valid_until(names: Iterable[str], now: datetime) -> datetime:
    """The moment a copy of a page that depends on stamps `names` must be rebuilt even
    if no stamp changes: the earliest registered horizon of their families, at the latest
    the next midnight."""
    moments = [next_midnight(now)]
    for family in {n.split(":", 1)[0] for n in names}:
        fn = HORIZONS.get(family)
        moment = fn(now) if fn else None
        if moment is not None:
            moments.append(moment)
    return min(moments)


def is_cacheable_request(request: HttpRequest) -> bool:
    """True for a GET or HEAD by an anonymous visitor without a session (no personal
    data, no messages, no CSRF token can be on the page)."""
    if request.method not in ("GET", "HEAD"):
        return False
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    user = getattr(request, "user", None)
    return not (user is not None and user.is_authenticated)


def _has_messages(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and bool(storage.used or getattr(storage, "_queued_messages", ()))


def _is_storable(request: HttpRequest, response: HttpResponse) -> bool:
    session = getattr(request, "session", None)
    return (
        response.status_code == 200
        and not _has_messages(request)
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_USED")
        and not (session is not None and session.modified)
        and "private" not in response.get("Cache-Control", "")
    )


def _compressible(content_type: str) -> bool:
    return content_type.split(";", 1)[0].strip().lower() in COMPRESSIBLE


def _accepts_gzip(request: HttpRequest) -> bool:
    return "gzip" in request.headers.get("Accept-Encoding", "").lower()


def _etag_matches(request: HttpRequest, etag: str) -> bool:
    wanted = parse_etags(request.headers.get("If-None-Match", ""))
    return "*" in wanted or etag in wanted


def _entry(key: str, response: HttpResponse) -> dict:
    body = response.content
    content_type = response["Content-Type"]
    return {
        "etag": f'"{hashlib.sha256(key.encode() + body).hexdigest()[:32]}"',
        "content_type": content_type,
        "body": body,
        "gzip": gzip.compress(body, compresslevel=6, mtime=0)
        if _compressible(content_type)
        else None,
        "headers": {h: response[h] for h in KEPT_HEADERS if h in response},
    }


def _not_modified(request: HttpRequest, entry: dict) -> bool:
    """If-None-Match against the copy's ETag; without it, If-Modified-Since against the
    copy's Last-Modified when the page has one (RFC 9110 §13.2.2: the ETag comes first)."""
    if request.headers.get("If-None-Match"):
        return _etag_matches(request, entry["etag"])
    since = parse_http_date_safe(request.headers.get("If-Modified-Since", ""))
    modified = parse_http_date_safe(entry["headers"].get("Last-Modified", ""))
    return since is not None and modified is not None and modified <= since


def _answer(request: HttpRequest, entry: dict) -> HttpResponse:
    if _not_modified(request, entry):
        response = HttpResponseNotModified()
    else:
        use_gzip = entry["gzip"] is not None and _accepts_gzip(request)
        response = HttpResponse(
            entry["gzip"] if use_gzip else entry["body"], content_type=entry["content_type"]
        )
        for header, value in entry["headers"].items():
            response[header] = value
        if use_gzip:
            response["Content-Encoding"] = "gzip"
    response["ETag"] = entry["etag"]
    if entry["gzip"] is not None:
        patch_vary_headers(response, ("Accept-Encoding",))
    return response


def public_cache(*names: str):
    """Decorate a public view: answer anonymous visitors from a copy keyed by the stamps
    `names` (format strings filled with the view's keyword arguments, e.g. "meeting:{pk}"),
    the language and the full path; send an ETag and answer If-None-Match with 304; serve
    gzip to clients that accept it. Other requests (signed in, with a session, POST) get
    the view's own answer, never a copy and never compressed (BREACH: their pages carry a
    CSRF token or personal data)."""

    def decorator(view):
        @wraps(view)
        def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if not settings.PUBLIC_CACHE_ENABLED or not is_cacheable_request(request):
                return view(request, *args, **kwargs)
            filled = [n.format(**kwargs) for n in names]
            tokens = stamps(filled)
            raw = "|".join(
                [request.scheme, request.get_host(), request.get_full_path(), get_language() or ""]
                + [f"{n}={t}" for n, t in sorted(tokens.items())]
            )
            key = "page:" + hashlib.sha256(raw.encode()).hexdigest()
            entry = _local_get(key)
            if entry is None:
                entry = _cache().get(key)
                if entry is not None and entry["expires"] > time.time():
                    _local_put(key, entry)
            if entry is None:
                now = timezone.now()
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and callable(response.render):
                    response = response.render()  # a TemplateResponse (the sitemap)
                if not _is_storable(request, response):
                    return response
                entry = _entry(raw, response)
                timeout = (valid_until(filled, now) - timezone.now()).total_seconds()
                entry["expires"] = time.time() + timeout
                if timeout >= 1:
                    _cache().set(key, entry, timeout=int(timeout))
                    _local_put(key, entry)
            return _answer(request, entry)

        wrapped.public_cache_stamps = names
        return wrapped

    return decorator
