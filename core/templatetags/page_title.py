"""`{% page_title %}…{% endpage_title %}`: the one `<title>` of every page (WCAG 2.4.2).

base.html wraps its `{% block title %}` in it, so a page only names itself. Django cannot ask
whether a block is empty (`{% if self.title %}` is never true in its templates); this tag
renders the block and composes »Page – Forum 12. maj 2027 – Fællesindgang«."""

from django import template
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from core.templatetags.error_summary import forms_with_errors

register = template.Library()

SITE_NAME = "Fællesindgang"
SEPARATOR = " – "


def context_has_errors(context) -> bool:
    """True when a bound form or formset anywhere in the template context has errors."""
    return bool(forms_with_errors(context))


def _meeting_of(context):
    meeting = context.get("meeting")
    if meeting is None:
        meeting = getattr(context.get("minutes"), "meeting", None)
    if hasattr(meeting, "forum") and getattr(meeting, "starts_at", None):
        return meeting
    return None


def compose_title(page: str, *, meeting=None, has_errors: bool = False) -> str:
    """The document title, HTML-escaped (`page` is already escaped, as rendered):
    »[Fejl: ]page – forum day – Fællesindgang«. The meeting's forum and day (Europe/
    Copenhagen, »12. maj 2027«) are added unless the page's own name already holds the
    forum; an empty `page` gives the site name alone (the home page has none)."""
    parts = [" ".join(str(page).split())] if str(page).strip() else []
    if meeting is not None and not any(conditional_escape(meeting.forum.name) in p for p in parts):
        day = date_format(timezone.localtime(meeting.starts_at), "j. F Y")
        parts.append(conditional_escape(f"{meeting.forum.name} {day}"))
    parts.append(SITE_NAME)
    title = SEPARATOR.join(parts)
    if has_errors:
        title = conditional_escape(_("Error: ")) + title
    return mark_safe(title)  # noqa: S308 - every part is escaped above


class PageTitleNode(template.Node):
    def __init__(self, nodelist):
        self.nodelist = nodelist

    def render(self, context) -> str:
        return compose_title(
            self.nodelist.render(context),
            meeting=_meeting_of(context),
            has_errors=context_has_errors(context),
        )


@register.tag
def page_title(parser, token):
    nodelist = parser.parse(("endpage_title",))
    parser.delete_first_token()
    return PageTitleNode(nodelist)
