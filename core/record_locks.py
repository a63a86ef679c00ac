"""What freezes a meeting's recorded attendance (issue 13 §3): a registry of checks.

`meetings` owns the attendance record but sits below `minutes`, which decides when the record
is final (the minutes are approved). So `core` keeps a list of checks, each a callable
`check(meeting) -> str | None` that returns a Danish reason when the attendance may no longer
change (None otherwise), and an app registers its check from `AppConfig.ready()`.
"""

from collections.abc import Callable
from typing import Any

AttendanceLock = Callable[[Any], str | None]

_attendance_locks: list[AttendanceLock] = []


def attendance_lock_register(check: AttendanceLock) -> AttendanceLock:
    """Add a check (see the module docstring); returns it, so it can decorate. Idempotent."""
    if check not in _attendance_locks:
        _attendance_locks.append(check)
    return check


def attendance_locked(meeting: Any) -> str | None:
    """The first registered reason why `meeting`'s recorded attendance is frozen, or None.
    Called inside the recording transaction, a check may lock the row it reads."""
    for check in _attendance_locks:
        reason = check(meeting)
        if reason:
            return str(reason)
    return None
