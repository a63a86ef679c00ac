"""Exactly once per deadline: the compare-and-set behind every reminder and alert.

A row records in `column` the deadline a reminder was sent for. A sweep may act only
when it moves that column to the current deadline itself; a second sweep, a second
worker or a retried job finds it already there and does nothing. When the deadline
moves (a meeting is moved), the column no longer matches and the reminder is armed again.
"""

from django.db import models
from django.db.models import F, Q


def unsent(column: str, deadline: str | object) -> Q:
    """Rows whose `column` does not hold the current deadline: a field name (the deadline
    stored on the same row) or a value."""
    current = F(deadline) if isinstance(deadline, str) else deadline
    return Q(**{f"{column}__isnull": True}) | ~Q(**{column: current})


def claim_once(model: type[models.Model], pk: int, column: str, deadline: str | object) -> bool:
    """True for exactly one caller per row and deadline value."""
    current = F(deadline) if isinstance(deadline, str) else deadline
    return model.objects.filter(unsent(column, deadline), pk=pk).update(**{column: current}) == 1
