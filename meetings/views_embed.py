"""The embeddable snippet of a forum's meetings (issue 10 §6) at /fora/<slug>/indlejr/,
and the page that tells the municipality's web editors how to frame it. The only pages that
may be framed, and only by settings.EMBED_ALLOWED_HOSTS."""

from functools import wraps

from django.conf import settings
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_exempt

from core.cache_stamps import public_cache
from forums.models import Forum
from meetings.selectors import public_agenda_version, public_agendas, upcoming_meetings

EMBED_MEETINGS = 5  # how many coming meetings the snippet lists


def frameable_by_embed_hosts(view):
    """Let the pages of `view` be framed by settings.EMBED_ALLOWED_HOSTS only: no
    X-Frame-Options header (RFC 7034 cannot name several origins) and CSP
    `frame-ancestors` listing those origins (CSP Level 2 §7.7.3), which browsers obey
    instead. Every other page keeps DENY and frame-ancestors 'none' (settings). Applied
    outside public_cache, so a cached copy is framed by the same rule."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        response = view(request, *args, **kwargs)
        response._csp_replace = {"frame-ancestors": list(settings.EMBED_ALLOWED_HOSTS)}
        return response

    return xframe_options_exempt(wrapped)


def _latest_public_agenda(forum: Forum):
    """The forum's meeting with the most recent published agenda, or None."""
    for meeting in public_agendas().filter(forum=forum).order_by("-starts_at")[:3]:
        if public_agenda_version(meeting) is not None:
            return meeting
    return None


@frameable_by_embed_hosts
@public_cache("forums", "meetings")
def forum_embed(request, slug: str):
    """The snippet another site frames: the forum's next meetings and a link to its latest
    public agenda; no site chrome, no script, its own small style sheet."""
    forum = get_object_or_404(Forum, slug=slug)
    context = {
        "forum": forum,
        "meetings": upcoming_meetings(forum=forum, limit=EMBED_MEETINGS),
        "agenda_meeting": _latest_public_agenda(forum),
    }
    return render(request, "meetings/embed.html", context)


@public_cache("forums")
def forum_embed_help(request, slug: str):
    """How the municipality's web editors put the snippet on their pages."""
    forum = get_object_or_404(Forum, slug=slug)
    embed_url = request.build_absolute_uri(reverse("meetings:embed", kwargs={"slug": slug}))
    context = {
        "forum": forum,
        "embed_url": embed_url,
        "allowed_hosts": settings.EMBED_ALLOWED_HOSTS,
        "api_url": request.build_absolute_uri(reverse("api:event-list")),
    }
    return render(request, "meetings/embed_help.html", context)
