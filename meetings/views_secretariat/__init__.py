"""The secretariat's meeting pages: scheduling, the workspace (timeline, proposals to
decide, the agenda editor, sending), moving and cancelling, referrals."""

# The services by topic, one module each; every name stays importable from here.
from meetings.views_secretariat._common import (  # noqa: F401
    _after_change,
    _agenda_send_warnings,
    _grace_note,
    _members_told,
    _pending_warnings,
    _post_action,
    _when,
    pending_reach_text,
)
from meetings.views_secretariat.attendance import (  # noqa: F401
    attendance_record,
)
from meetings.views_secretariat.items import (  # noqa: F401
    _back_to_item,
    item_delete,
    item_edit,
    item_move_to,
    item_refer,
    item_shift,
)
from meetings.views_secretariat.proposals import (  # noqa: F401
    proposal_accept,
    proposal_decline,
    proposal_move,
)
from meetings.views_secretariat.scheduling import (  # noqa: F401
    _rules_allow,
    _schedule_warnings,
    _wheel_year,
    _year_warning,
    meeting_cancel,
    meeting_list,
    meeting_mail_undo,
    meeting_move,
    meeting_schedule,
    workspace,
    year_wheel,
    year_wheel_pdf,
)
from meetings.views_secretariat.sending import (  # noqa: F401
    _sent_message,
    agenda_send,
    agenda_send_preview,
    agenda_send_undo,
)
