"""The minutes' texts in the search (core.search): items (summary, decision) and follow-up
actions, documents of the meeting they belong to.

Who may read what is decided by this app's selectors, the pages' own:
- approved minutes the public may read (`public_minutes_for`): the open items of the final
  version (`public_minutes_items`) PUBLIC, its closed items MEMBERS of the forum;
- other minutes once sent: the items of the current version, MEMBERS;
- a draft never sent: its live items, SECRETARIAT;
- follow-up actions: MEMBERS once the minutes are sent (the decisions register), before
  that SECRETARIAT."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from core.search import MEMBERS, PUBLIC, SECRETARIAT, SearchDoc, search_provider_register
from meetings.models import Meeting
from meetings.search import meeting_year
from minutes.models import FollowUpAction, Minutes
from minutes.selectors import current_version, public_minutes_for, public_minutes_items

KINDS = {"minutes": _("Minutes"), "action": _("Follow-up actions")}


def _text(item) -> str:
    get = item.get if isinstance(item, dict) else lambda k: getattr(item, k)
    return "\n\n".join(t for t in (get("summary"), get("decision")) if t)


def _items(minutes: Minutes) -> list[tuple[dict, str, str]]:
    """(item dict, visibility, url name) for each item its readers see."""
    public = public_minutes_for(minutes.meeting)
    if public is not None:
        # a closed item's place holder ("Punkt N: Lukket punkt") has no id
        public_ids = {i["id"] for i in public_minutes_items(public) if not i.get("withheld")}
        version = current_version(minutes)
        return [
            (i, PUBLIC, "minutes:public")
            if i["id"] in public_ids
            else (i, MEMBERS, "minutes:member")
            for i in version.items
        ]
    version = current_version(minutes)
    if minutes.status != Minutes.Status.DRAFT and version is not None:
        return [(i, MEMBERS, "minutes:member") for i in version.items]
    live = minutes.items.order_by("position").values(
        "id", "position", "title", "summary", "decision"
    )
    return [(i, SECRETARIAT, "minutes:editor") for i in live]


def minutes_documents(meeting: Meeting) -> list[SearchDoc]:
    """The minutes items' and follow-up actions' documents of `meeting` (none without
    minutes) (core.search.Provider)."""
    minutes = Minutes.objects.filter(meeting=meeting).first()
    if minutes is None:
        return []
    year, forum_id = meeting_year(meeting), meeting.forum_id
    docs = [
        SearchDoc(
            kind="minutes",
            ref=f"minutes.minutesitem:{item['id']}",
            url=reverse(url_name, args=[meeting.pk]),
            title=f"{item['position']}. {item['title']}",
            body=_text(item),
            visibility=visibility,
            year=year,
            forum_id=forum_id,
        )
        for item, visibility, url_name in _items(minutes)
    ]
    sent = minutes.status != Minutes.Status.DRAFT
    actions = FollowUpAction.objects.filter(item__minutes=minutes).select_related("item")
    docs += [
        SearchDoc(
            kind="action",
            ref=f"minutes.followupaction:{a.pk}",
            url=reverse("minutes:register")
            if sent
            else reverse("minutes:editor", args=[meeting.pk]),
            title=a.item.title,
            body=a.what,
            visibility=MEMBERS if sent else SECRETARIAT,
            year=year,
            forum_id=forum_id,
        )
        for a in actions
    ]
    return docs


def register() -> None:
    search_provider_register(
        Meeting,
        minutes_documents,
        roots=lambda: Meeting.objects.select_related("forum").iterator(),
        kinds=KINDS,
    )
