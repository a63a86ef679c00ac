"""Plain-text e-mails carry plain text; HTML e-mails escape it.

Every kind of message (every `<kind>_subject.txt` in notifications/templates/notifications/
email/) is rendered through render_email with every variable its templates name set to
what a person typed: `Tom's "plan" & co <b>`."""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.apps import apps

from meetings import services
from meetings.tests.factories import schedule
from notifications.models import OutboxMessage
from notifications.services import render_email

TYPED = 'Tom\'s "plan" & co <b>'
ESCAPED = "Tom&#x27;s &quot;plan&quot; &amp; co &lt;b&gt;"


def _email_dirs() -> list[Path]:
    dirs = [Path(app.path) / "templates" for app in apps.get_app_configs()]
    return [email for d in dirs if d.is_dir() for email in d.glob("*/email") if email.is_dir()]


def _kinds() -> list[tuple[Path, str]]:
    return sorted(
        (d, path.name.removesuffix("_subject.txt"))
        for d in _email_dirs()
        for path in d.glob("*_subject.txt")
    )


KINDS = _kinds()


WHEN = datetime(2027, 3, 10, 14, 0, tzinfo=UTC)


class Typed:
    """Any attribute, key or item of it is itself (or WHEN, for the names the templates
    format with |date or |time); printed, it is what a person typed."""

    def __init__(self, dates: frozenset[str] = frozenset()):
        self._dates = dates

    def __str__(self) -> str:
        return TYPED

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return WHEN if name in self._dates else self

    def __getitem__(self, key):
        return getattr(self, key) if isinstance(key, str) else self

    def __iter__(self):
        return iter([self])


def _typed_context(folder: Path, kind: str) -> dict:
    """Every name used in the kind's templates (and the base they extend) -> Typed()."""
    source = "".join(path.read_text() for path in folder.glob(f"{kind}_*"))
    tags = re.findall(r"{[{%](.*?)[}%]}", source)
    names = {word for tag in tags for word in re.findall(r"\b[a-z_][a-z0-9_]*\b", tag)}
    dated = {
        m.split(".")[-1]
        for m in re.findall(r"([a-z_][a-z0-9_.]*)\|(?:date|time|wallclock)", source)
    }
    context = dict.fromkeys(names - {"site_url"}, Typed(frozenset(dated)))
    return context | {name: WHEN for name in dated if name in context}


def _typed_names(path: Path) -> set[str]:
    """The variables a template prints that can hold typed text: all but the site's address
    and the secret link (which the outbox replaces by a marker; see notifications.secrets)."""
    printed = re.findall(r"{{\s*([a-z_][a-z0-9_]*)", path.read_text())
    return set(printed) - {"site_url", "secret_link"}


def test_every_kind_of_message_is_tested():
    assert len(KINDS) >= 20 and all((d / f"{k}_body.txt").exists() for d, k in KINDS)


@pytest.mark.parametrize(("folder", "kind"), KINDS, ids=[k for _d, k in KINDS])
def test_plain_text_arrives_as_typed_and_html_stays_escaped(folder, kind):
    subject, text, html = render_email(kind, _typed_context(folder, kind))

    for plain in (subject, text):
        assert "&#x27;" not in plain and "&quot;" not in plain and "&amp;" not in plain
        assert "&lt;" not in plain
    if "{{" in (folder / f"{kind}_subject.txt").read_text():
        assert 'Tom\'s "plan" & co' in subject
    if _typed_names(folder / f"{kind}_body.txt"):
        assert TYPED in text
    if _typed_names(folder / f"{kind}_body.html"):
        assert ESCAPED in html
    assert TYPED not in html


@pytest.mark.django_db
def test_a_cancellation_reason_reaches_the_outbox_and_the_inbox_as_typed(
    forums, secretariat_user, member_user, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = schedule(forums["samarbejdsforum"], days_ahead=40)
    reason = 'Tom\'s "plan" & co <b>'
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(actor=secretariat_user, meeting=meeting, reason=reason)

    message = OutboxMessage.objects.get(kind="meeting_cancelled", recipient=member_user.email)
    assert f"Begrundelse: {reason}" in message.body_text
    assert f"Begrundelse: {ESCAPED}" in message.body_html
    sent = next(m for m in mailoutbox if member_user.email in m.to)
    assert f"Begrundelse: {reason}" in sent.body
