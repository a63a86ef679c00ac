"""Every write about meetings, proposals, agendas and attendance.

Each function checks the state it starts from and raises a DomainError (with a Danish
message, keyed by field where one is to blame), writes inside a transaction, records an
audit entry and queues the e-mails through the outbox after commit."""

# The services by topic, one module each; every name stays importable from here.
from meetings.services._common import (  # noqa: F401
    _absolute,
    grace_end,
)
from meetings.services.agenda import (  # noqa: F401
    _editable,
    _queue_pack,
    _queue_processing,
    _renumber,
    _reorder,
    _same_recent_item,
    agenda_item_delete,
    agenda_item_delete_check,
    agenda_item_move_to,
    agenda_item_save,
    agenda_item_shift,
    agenda_send,
    agenda_send_check,
    agenda_send_undo,
    agenda_snapshot,
    agenda_version_distribute,
    agenda_version_render,
    proposals_undecided,
)
from meetings.services.attachments import (  # noqa: F401
    _attachment_owner,
    _check_may_change_attachment,
    _sent_with_a_version,
    _take_away,
    attachment_remove,
    attachment_replace,
    attachment_shift,
)
from meetings.services.attendance import (  # noqa: F401
    _presence_errors,
    attendance_register,
    presence_record,
)
from meetings.services.pack import (  # noqa: F401
    _conversions,
    _file_bytes,
    _pack_items,
    _queue_conversions,
    _render_pack,
    _sha256,
    _stale_after,
    _version_attachments,
    agenda_pack_build,
    agenda_pack_catch_up,
    attachment_pdf_convert,
    pack_attachment,
)
from meetings.services.proposals import (  # noqa: F401
    _check_own_open_proposal,
    _check_proposal_window,
    _decidable,
    _next_position,
    _same_files,
    _same_recent_proposal,
    _tell_proposer,
    proposal_accept,
    proposal_decline,
    proposal_move,
    proposal_submit,
    proposal_update,
    proposal_withdraw,
)
from meetings.services.referral import (  # noqa: F401
    item_refer,
)
from meetings.services.scheduling import (  # noqa: F401
    FOLLOW_UP_TITLE,
    PENDING_FIELDS,
    QUARTER_MONTHS,
    _add_standard_items,
    _call_members,
    _follow_up_item,
    _iso,
    _lock,
    _notify_members,
    _notify_secretariat,
    _refuse_while_mail_pending,
    _set_deadlines,
    _standing_item_text,
    _tell_members_after_grace,
    meeting_cancel,
    meeting_change_check,
    meeting_draft,
    meeting_mail_context,
    meeting_mail_undo,
    meeting_move,
    meeting_rule_errors,
    meeting_schedule,
)
from meetings.services.sweep import (  # noqa: F401
    _armed,
    agenda_catch_up,
    alert_agenda_overdue,
    calendar_token_renew,
    mark_held,
    remind_agenda,
    remind_proposals,
)
