"""The public archive of past meetings on /moeder/ and on each forum's page (issue 14 §1):
one year per page, newest first, each meeting with its date, place and status, and links
to the agenda and the approved minutes where the forum's rules make them public (the
public selectors decide: public_agendas(), and `minutes`, through core/contributions.py,
marks each meeting's `minutes_public`)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from core.contributions import contributions
from core.forms import FilterForm
from forums.models import Forum
from forums.selectors import forums_for_user
from meetings.selectors import public_archive_year, public_archive_years


class ArchiveFilterForm(FilterForm):
    """?arkiv=2025: the archive's year; anything else shows the newest year and says why."""

    arkiv = forms.IntegerField(required=False, min_value=2000, max_value=2100, label=_("Year"))


def archive_context(request, *, forum: Forum | None = None) -> dict:
    """{"archive_years": [2026, 2025, …], "archive_year": the year shown (or None),
    "archive": its meetings with `agenda_public` and `minutes_public`, "archive_member_forums":
    the ids of the forums whose members' pages the reader may open, "archive_chosen": the
    year when the address asked for it (?arkiv=2010, the page is then that year's archive),
    else None (members: their forums'
    whole history, agendas and minutes in all versions; the secretariat: every forum)};
    each meeting of those forums also carries `decision_count`, the decisions of its minutes
    as members read them (minutes.selectors.decision_counts), linked from the archive."""
    form = ArchiveFilterForm(request.GET or None)
    form.explain(request)
    years = public_archive_years(forum=forum)
    wanted = form.values()["arkiv"]
    year = wanted if wanted in years else (years[0] if years else None)
    meetings = list(public_archive_year(year, forum=forum)) if year else []
    for meeting in meetings:
        meeting.minutes_public = False
        meeting.decision_count = 0
    for annotate in contributions("archive_meetings"):
        # `minutes` sets minutes_public where the minutes are public, and decision_count for
        # the meetings of the reader's own forums.
        annotate(request, meetings)
    return {
        "archive_years": years,
        "archive_year": year,
        "archive_chosen": year if wanted in years else None,
        "archive": meetings,
        "archive_member_forums": {f.pk for f in forums_for_user(request.user)},
    }
