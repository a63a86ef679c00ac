"""Public forum pages, and the members' page of a forum (members and secretariat only).
The embeddable snippet of a forum's meetings is in meetings/views_embed.py."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from core.cache_stamps import public_cache
from core.contributions import contributed_context
from forums.models import Forum
from forums.selectors import (
    forum_contacts,
    forum_for_member_or_404,
    forum_history,
    forum_list,
    forum_seat_groups,
    forum_secretariat,
    forum_theme_groups,
)


@public_cache("forums")
def forum_index(request):
    return render(request, "forums/forum_list.html", {"forums": forum_list()})


@public_cache("forums", "meetings")
def forum_detail(request, slug: str):
    forum = get_object_or_404(
        Forum.objects.select_related("secretariat", "chair_organisation", "includes_members_of"),
        slug=slug,
    )
    context = {
        "forum": forum,
        "seat_groups": forum_seat_groups(forum),
        "theme_groups": forum_theme_groups(forum),
        "standard_items": forum.standard_items.all(),
        "chair_seats": forum.chair_seats.all(),
        "agenda_sources": forum.agenda_set_from.all(),
        # The forum's meetings and archive come from `meetings` (core/contributions.py).
        **contributed_context("forum_page", request, forum),
    }
    return render(request, "forums/forum_detail.html", context)


@login_required
def forum_members(request, slug: str):
    forum = forum_for_member_or_404(request.user, slug)
    context = {
        "forum": forum,
        "contacts": forum_contacts(forum),
        "secretariat": forum_secretariat(forum),
        "history": forum_history(forum),
        "theme_groups": forum_theme_groups(forum),
    }
    return render(request, "forums/forum_members.html", context)
