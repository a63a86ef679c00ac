"""What `meetings` adds to pages of the apps below it (core/contributions.py)."""

from core.contributions import contribution_register


def _home(request) -> dict:
    from meetings.selectors import upcoming_meetings

    return {"meetings": upcoming_meetings(limit=6)}


def _forum_page(request, forum) -> dict:
    from meetings.archive import archive_context
    from meetings.selectors import upcoming_meetings, user_sees_forum

    return {
        "meetings": upcoming_meetings(forum=forum),
        "sees_members_page": user_sees_forum(request.user, forum),
        **archive_context(request, forum=forum),
    }


def _account_page(request) -> dict:
    from django.urls import reverse

    from meetings.models import CalendarToken

    token = CalendarToken.objects.filter(user=request.user).first()
    path = reverse("meetings:personal_feed", args=[token.token]) if token else ""
    return {"calendar_url": request.build_absolute_uri(path) if token else ""}


def register() -> None:
    """Called from MeetingsConfig.ready()."""
    contribution_register("home", _home)
    contribution_register("forum_page", _forum_page)
    contribution_register("account_page", _account_page)
    from meetings.admin import renew_calendar_address

    contribution_register("user_admin_actions", renew_calendar_address)
