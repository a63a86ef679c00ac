"""Every write about minutes: drafting (with optimistic locking), sending, revising,
comments and their dispositions, automatic approval exactly once, errata, and the
follow-up actions of the decisions register."""

# The services by topic, one module each; every name stays importable from here.
from core.errors import DomainError  # noqa: F401
from minutes.services._common import (  # noqa: F401
    MinutesConflict,
    _day,
    _extras,
    _member_url,
    _notify_members,
    _notify_secretariat,
    _queue_version,
)
from minutes.services.comments import (  # noqa: F401
    _check_window,
    _commenter,
    _own_comment,
    comment_add,
    comment_delete,
    comment_dispose,
    comment_update,
    mark_opened,
    no_remarks,
)
from minutes.services.drafting import (  # noqa: F401
    _check_editable,
    _locked,
    action_add,
    action_delete,
    action_set_status,
    minutes_save,
    minutes_save_if_changed,
    minutes_start,
    minutes_text_unchanged,
)
from minutes.services.reminders import (  # noqa: F401
    OVERDUE_ALERT_HORIZON,
    _minutes_unsent,
    _notify_meeting_secretariat,
    alert_minutes_overdue,
    remind_comment_window,
    remind_minutes_due,
    versions_catch_up,
)
from minutes.services.versions import (  # noqa: F401
    APPROVE_BATCH,
    _ApprovalRace,
    _approve_batch,
    _distribute_final,
    _final_versions,
    _lock_due,
    _snapshot,
    approve_due,
    comments_close_if_sent_now,
    empty_items_message,
    erratum_add,
    minutes_approve,
    minutes_approve_many,
    minutes_revise,
    minutes_send,
    minutes_send_check,
    minutes_send_undo,
    minutes_snapshot,
    minutes_version_distribute,
    minutes_version_render,
)
