"""`{% load attachment_labels %}` … `{% for a, label in attachments|labelled %}`: a label per
attachment that tells same-named files apart (issue 13 §4: after a replacement two files on
one item may share a name)."""

from collections import Counter

from django import template
from django.utils.translation import gettext

register = template.Library()


def _name(attachment) -> str:
    return attachment["name"] if isinstance(attachment, dict) else attachment.name


@register.filter
def labelled(attachments) -> list[tuple]:
    """(attachment, label) in the given order; attachments are models or snapshot dicts.
    A name that occurs once is its own label; a name that occurs more than once is numbered
    by the attachment's place in the list: »Bilag 2: notat.pdf«."""
    attachments = list(attachments)
    counts = Counter(_name(a).casefold() for a in attachments)
    return [
        (
            a,
            gettext("Attachment %(number)d: %(name)s") % {"number": number, "name": _name(a)}
            if counts[_name(a).casefold()] > 1
            else _name(a),
        )
        for number, a in enumerate(attachments, start=1)
    ]
