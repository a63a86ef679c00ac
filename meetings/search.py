"""The meetings' texts in the search (core.search): agenda items and proposals.

Who may read what is decided by this app's selectors, the pages' own:
- the items of the latest released agenda version: PUBLIC where
  `public_agenda_items(public_agenda_version(meeting))` lists them (Partnerskabsforum, sent,
  open items), else MEMBERS of the forum (closed items, other forums' agendas);
- the live items of a meeting whose agenda has not been released: SECRETARIAT;
- proposals: SECRETARIAT (the proposer sees their own on the meeting page);
- attachments (their text, read once by meetings.attachment_text): as their item in the
  latest released version (PUBLIC only where the public agenda lists the attachment, so
  never a closed item's), MEMBERS where an earlier released version carried it, else
  SECRETARIAT (a proposal's, or one added since the agenda went out)."""

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.search import MEMBERS, PUBLIC, SECRETARIAT, SearchDoc, search_provider_register
from meetings.models import Attachment, Meeting
from meetings.selectors import (
    meeting_items,
    public_agenda_items,
    public_agenda_version,
    released_versions,
)

KINDS = {
    "agenda": _("Agenda items"),
    "proposal": _("Proposals"),
    "attachment": _("Attachments"),
}


def meeting_year(meeting: Meeting) -> int:
    return timezone.localtime(meeting.starts_at).year


def _item_text(item: dict) -> str:
    return "\n\n".join(t for t in (item["presentation"], item["recommendation"]) if t)


def _agenda_docs(meeting: Meeting) -> list[SearchDoc]:
    year, forum_id = meeting_year(meeting), meeting.forum_id
    version = released_versions(meeting).first()
    if version is None:
        return [
            SearchDoc(
                kind="agenda",
                ref=f"meetings.agendaitem:{item.pk}",
                url=reverse("meetings:workspace", args=[meeting.pk]),
                title=f"{item.position}. {item.title}",
                body="\n\n".join(t for t in (item.presentation, item.recommendation) if t),
                visibility=SECRETARIAT,
                year=year,
                forum_id=forum_id,
            )
            for item in meeting_items(meeting)
        ]
    public_ids = {
        i["id"]
        for i in public_agenda_items(public_agenda_version(meeting))
        if not i.get("withheld")  # a closed item's place holder ("Punkt N: Lukket punkt")
    }
    return [
        SearchDoc(
            kind="agenda",
            ref=f"meetings.agendaitem:{item['id']}",
            url=reverse(
                "meetings:public" if item["id"] in public_ids else "meetings:member",
                args=[meeting.pk],
            ),
            title=f"{item['position']}. {item['title']}",
            body=_item_text(item),
            visibility=PUBLIC if item["id"] in public_ids else MEMBERS,
            year=year,
            forum_id=forum_id,
        )
        for item in version.items
    ]


def _proposal_docs(meeting: Meeting) -> list[SearchDoc]:
    return [
        SearchDoc(
            kind="proposal",
            ref=f"meetings.proposal:{p.pk}",
            url=reverse("meetings:workspace", args=[meeting.pk]),
            title=p.title,
            body=p.description,
            visibility=SECRETARIAT,
            year=meeting_year(meeting),
            forum_id=meeting.forum_id,
        )
        for p in meeting.proposals.all()
    ]


def _attachment_ids(items: list[dict]) -> set[int]:
    return {a["id"] for item in items for a in item.get("attachments", [])}


def _attachment_visibility(meeting: Meeting) -> dict[int, str]:
    """attachment id -> who may read it, by the released versions that carried it (the
    pages' own rule, meetings.selectors.attachment_visible); others are SECRETARIAT's."""
    released = list(released_versions(meeting))
    if not released:
        return {}
    visibility = {pk: MEMBERS for version in released for pk in _attachment_ids(version.items)}
    public = public_agenda_items(public_agenda_version(meeting))
    public_ids = _attachment_ids([i for i in public if not i.get("withheld")])
    visibility.update(dict.fromkeys(public_ids, PUBLIC))
    return visibility


def _attachment_docs(meeting: Meeting) -> list[SearchDoc]:
    visibility = _attachment_visibility(meeting)
    attachments = (
        Attachment.all_objects.filter(
            Q(item__meeting=meeting) | Q(proposal__meeting=meeting),
        )
        .filter(Q(removed_at__isnull=True) | Q(pk__in=list(visibility)))
        .exclude(text="")
        .only("pk", "name", "text", "item_id", "proposal_id")
    )
    return [
        SearchDoc(
            kind="attachment",
            ref=f"meetings.attachment:{a.pk}",
            url=reverse("meetings:attachment", kwargs={"pk": a.pk}),
            title=a.name,
            body=a.text,
            visibility=visibility.get(a.pk, SECRETARIAT),
            year=meeting_year(meeting),
            forum_id=meeting.forum_id,
        )
        for a in attachments
    ]


def meeting_documents(meeting: Meeting) -> list[SearchDoc]:
    """The agenda items', proposals' and attachments' documents of `meeting`
    (core.search.Provider)."""
    return _agenda_docs(meeting) + _proposal_docs(meeting) + _attachment_docs(meeting)


def register() -> None:
    search_provider_register(
        Meeting,
        meeting_documents,
        roots=lambda: Meeting.objects.select_related("forum").iterator(),
        kinds=KINDS,
    )
