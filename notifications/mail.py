"""The e-mail as it leaves: headers that mark it as automatic, and the shape of a meeting
request.

- `Auto-Submitted: auto-generated` (RFC 3834 §5) and `X-Auto-Response-Suppress: All`
  (Exchange's own switch) on every message, so out-of-office replies do not come back;
- `Message-ID` under the site's own domain (the host of SITE_URL), not the worker's host
  name;
- `Date` in the local offset of TIME_ZONE (`+0100` in winter, `+0200` in summer);
- `List-Id: <slug.domain>` (RFC 2919) on every message about one forum, for filtering;
- the subject encoded with its first encoded word on the `Subject:` line itself (Python's
  compat32 generator otherwise folds right after the colon, which some clients show as an
  empty subject);
- an iCalendar attachment also becomes the last part of `multipart/alternative`
  (`text/calendar; method=…`, RFC 6047 §2.4), beside the text and the HTML, as Outlook
  expects a meeting request; the `.ics` file stays attached (`application/ics`) for the
  clients that only read attachments.
"""

from datetime import datetime
from email.header import Header
from email.utils import format_datetime, make_msgid
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.utils import timezone

CALENDAR_TYPE = "text/calendar"


def site_domain() -> str:
    """The host name of SITE_URL (`faellesindgang.example`), without a port."""
    return urlsplit(settings.SITE_URL).hostname or "localhost"


def list_id(forum_slug: str) -> str:
    """RFC 2919 List-Id of one forum: `<partnerskabsforum.faellesindgang.example>`."""
    return f"<{forum_slug}.{site_domain()}>"


def automatic_headers(*, now: datetime, forum_slug: str = "") -> dict[str, str]:
    """The headers every message carries (see the module docstring); `now` is an aware
    datetime, written in TIME_ZONE's offset (RFC 5322 §3.3)."""
    headers = {
        "Auto-Submitted": "auto-generated",
        "X-Auto-Response-Suppress": "All",
        "Message-ID": make_msgid(domain=site_domain()),
        "Date": format_datetime(timezone.localtime(now)),
    }
    if forum_slug:
        headers["List-Id"] = list_id(forum_slug)
    return headers


class AutomaticEmail(EmailMultiAlternatives):
    """An EmailMultiAlternatives whose Subject is folded after its first encoded word,
    never right after `Subject:`."""

    def message(self, *args, **kwargs):
        msg = super().message(*args, **kwargs)
        charset = "us-ascii" if self.subject.isascii() else "utf-8"
        msg.replace_header("Subject", Header(self.subject, charset, header_name="Subject"))
        return msg


def attach_calendar(email: EmailMultiAlternatives, *, filename: str, mimetype: str, content: bytes):
    """Add an iCalendar object twice: as the `text/calendar; method=…` alternative (RFC 6047
    §2.4: the method parameter must equal the object's METHOD) and as `filename`, an
    `application/ics` attachment."""
    email.attach_alternative(content.decode("utf-8"), mimetype)
    email.attach(filename, content, "application/ics")
