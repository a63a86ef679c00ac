"""The secretariat's minutes pages: the editor (optimistic locking), sending and
revising, the comment overview with dispositions, errata."""

from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse

from core.pages import (
    post_action,
)
from meetings.models import Meeting


def _meeting(pk: int) -> Meeting:
    return get_object_or_404(Meeting.objects.select_related("forum"), pk=pk)


def _back(meeting_pk: int):
    return redirect("minutes:editor", pk=meeting_pk)


def _post_action(request, meeting_pk: int, action, success: str, **kwargs):
    return post_action(
        request, action, success, reverse("minutes:editor", args=[meeting_pk]), **kwargs
    )
