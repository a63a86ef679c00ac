"""Reads about meetings: who may see and do what, what is due, the timeline."""

# The services by topic, one module each; every name stays importable from here.
from forums.selectors import forum_people, forums_for_user  # noqa: F401
from meetings.selectors._common import (  # noqa: F401
    SentVersion,
    agenda_versions_sent,
    failed_deliveries,
    latest_version,
    meeting_for_member_or_404,
    outbox_reach,
    secretariat_users,
    user_sees_forum,
    version_in_grace,
)
from meetings.selectors.archive import (  # noqa: F401
    public_archive_year,
    public_archive_years,
    public_past_meetings,
)
from meetings.selectors.attendance import (  # noqa: F401
    AttendanceRow,
    SendPreview,
    agenda_send_preview,
    attendance_rows,
    item_delete_losses,
    public_changes_after,
    recorded_presence,
)
from meetings.selectors.public import (  # noqa: F401
    WINDOW_STEPS,
    TimelineEntry,
    YearCount,
    _in_items,
    _mandate_words,
    _minutes_of,
    _timeline_steps,
    attachment_visible,
    forum_year_counts,
    items_missing_responsible,
    mandate_count_warning,
    may_change_attachment,
    may_propose,
    meeting_items,
    meeting_timeline,
    meetings_still_possible,
    member_person,
    proposals_closed_message,
    proposals_open,
    proposals_to_decide,
    public_agenda_items,
    public_agenda_pending,
    public_agenda_version,
    public_agenda_visible,
    public_agendas,
    public_calendar,
    public_meeting_or_404,
    public_meetings,
    released_versions,
    required_items_absent,
    substitutes_for,
    upcoming_meetings,
)
