"""The secretariat's minutes pages: the editor (optimistic locking), sending and
revising, the comment overview with dispositions, errata."""

# The services by topic, one module each; every name stays importable from here.
from minutes.views_secretariat._common import (  # noqa: F401
    _back,
    _meeting,
    _post_action,
)
from minutes.views_secretariat.actions import (  # noqa: F401
    action_add,
    action_delete,
)
from minutes.views_secretariat.comments import (  # noqa: F401
    _comments_page,
    comments,
    dispose,
    erratum,
)
from minutes.views_secretariat.editing import (  # noqa: F401
    EDITOR_FORM_ID,
    _action_form,
    _conflict_view,
    _editor_page,
    _fresh_form,
    _save_carried_text,
    _save_editor_form,
    autosave,
    editor,
    minutes_list,
    start,
)
from minutes.views_secretariat.sending import (  # noqa: F401
    _attendance_warnings,
    _minutes_sent_message,
    _send_notes,
    revise,
    send,
    send_preview,
    send_undo,
)
