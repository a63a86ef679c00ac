"""One-time submission keys: a form posted twice (a double click, the back button, a post
repeated after a dropped connection) has its effect once.

A form that creates something mixes in `SubmitOnceMixin`, which adds a hidden
`submission_key` (a fresh UUID each time the empty form is rendered). The view runs its
service through `submit_once`: the first post with a key claims it (a row in
`core.SubmissionKey`, unique per user and key) in the same transaction as the service, and
records where the result is; a repeated post with the same key does nothing and is sent
to that result with a message. A refused post (a domain error) releases the key, so the
corrected form can be posted again. The sweep forgets keys after `KEEP_DAYS`.

The back button defeats a key: the page it shows again is re-rendered with a fresh one. So
the creating services also recognise a repeat by its content: the same person posting the
same content on the same target within `REPEAT_MINUTES` lands on the row already there
(`mark_repeated`), and the view says calmly that it was already saved (`landed_on`)."""

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta

from django import forms
from django.contrib import messages
from django.db import IntegrityError, transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from core.models import SubmissionKey

KEEP_DAYS = 30
REPEAT_MINUTES = 10


class Repeated(str):
    """The URL of a row that already existed: a repeated post landed on it (`landed_on`)."""


def repeat_since(now: datetime) -> datetime:
    """The earliest creation time (aware datetime) of a row a repeated post may land on:
    `now` minus REPEAT_MINUTES. An identical post made earlier than that is a new one."""
    return now - timedelta(minutes=REPEAT_MINUTES)


def mark_repeated(obj):
    """Mark `obj`, an existing row a service returns instead of creating an identical one,
    so that the view can tell the person it was already saved. Returns `obj`."""
    obj.repeated = True
    return obj


def landed_on(obj, url: str) -> str:
    """`url` for the service's result `obj`, as `Repeated` when `obj` is an existing row
    (`mark_repeated`): `submit_once` then shows its `repeated` message instead of success."""
    return Repeated(url) if getattr(obj, "repeated", False) else url


class SubmitOnceMixin:
    """Adds the hidden one-time `submission_key` field to a (Model)Form.

    The key is optional so that a post without it (a script, an old page) still works,
    unguarded; every rendered form carries one."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["submission_key"] = forms.UUIDField(
            required=False, widget=forms.HiddenInput, initial=uuid.uuid4
        )


def submit_once(
    request,
    form: forms.BaseForm,
    act: Callable[[], str | None],
    *,
    success: str,
    repeated: str | None = None,
) -> HttpResponse | None:
    """Run `act` once per (user, `form.cleaned_data["submission_key"]`).

    `act` calls the service and returns the URL of the result, or None when the service
    refused (its message is then on the form). Returns a redirect to the result with
    `success` as a message; for a repeated key, a redirect to the first post's result
    with a message that it was saved once; None when `act` refused (the caller shows
    the form again, with the same key, which is released). When `act` returns a `Repeated`
    URL (the service landed on an identical row, see `landed_on`), the message is
    `repeated` instead of `success`, at info level: nothing went wrong."""
    key = form.cleaned_data.get("submission_key")
    if key is None:
        url = act()
        if url is None:
            return None
        return _done(request, url, success, repeated)
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = SubmissionKey.objects.create(user=request.user, key=key)
        except IntegrityError:
            first = SubmissionKey.objects.get(user=request.user, key=key)
            messages.info(
                request, _("This form was already sent; what it contained is saved once.")
            )
            return redirect(first.result_url or "/")
        url = act()
        if url is None:
            transaction.set_rollback(True)  # release the key: the corrected form may come
            return None
        SubmissionKey.objects.filter(pk=row.pk).update(result_url=url)
    return _done(request, url, success, repeated)


def _done(request, url: str, success: str, repeated: str | None) -> HttpResponse:
    if isinstance(url, Repeated):
        messages.info(request, repeated or _("This was already saved."))
    else:
        messages.success(request, success)
    return redirect(url)


def submission_keys_prune(*, now: datetime) -> dict:
    """Sweep step: forget keys older than KEEP_DAYS days (a re-post that late is new)."""
    deleted, _details = SubmissionKey.objects.filter(
        created_at__lt=now - timedelta(days=KEEP_DAYS)
    ).delete()
    return {"deleted": deleted}
