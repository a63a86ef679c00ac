"""Take the live links out of invitations and password resets already in the outbox.

Before this, the stored body and the idempotency key held the reset token, readable by the
secretariat and in the admin. The link becomes the redaction marker (a queued row then gets
a fresh link when it is delivered), the key loses its token, and an error text loses any
link it quoted. Not reversible: the removed links are not kept anywhere.
"""

import re

from django.db import migrations

SECRET_KINDS = ("invitation", "password_reset")
# An absolute or site-relative link to a token page of accounts (see accounts/urls.py).
LINK = re.compile(
    r"(?:https?://[^\s\"'<>/]+)?[^\s\"'<>]*/(?:nulstil-adgangskode|invitation)/"
    r"[A-Za-z0-9_-]+/[A-Za-z0-9_:-]+/"
)
KEY = re.compile(r"^(invitation|password_reset):(\d+):.+$")


def redact(apps, schema_editor):
    from notifications.secrets import redaction_marker

    marker = redaction_marker()
    OutboxMessage = apps.get_model("notifications", "OutboxMessage")
    for message in OutboxMessage.objects.filter(kind__in=SECRET_KINDS).iterator():
        message.body_text = LINK.sub(marker, message.body_text)
        message.body_html = LINK.sub(marker, message.body_html)
        message.last_error = LINK.sub(marker, message.last_error)
        key = KEY.match(message.key)
        if key:
            message.key = f"{key[1]}:{key[2]}:redacted-{message.pk}"
        message.save(update_fields=["body_text", "body_html", "last_error", "key"])


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(redact, migrations.RunPython.noop),
    ]
