"""Page helpers shared by the secretariat's views of every app."""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render


def form_page(
    request,
    form,
    *,
    title: str,
    cancel_url: str,
    intro: str = "",
    multipart: bool = False,
    after: str = "",
    extra: dict | None = None,
):
    """One generic page for a form: a heading, an optional lead text, the form, cancel;
    `after` names a template included below the form (outside it, so it may hold forms of
    its own), rendered with `extra` added to the context."""
    return render(
        request,
        "forums/secretariat/form.html",
        {
            "form": form,
            "title": title,
            "cancel_url": cancel_url,
            "intro": intro,
            "multipart": multipart,
            "after": after,
            **(extra or {}),
        },
    )


def post_action(
    request,
    action: Callable[[], object],
    success: str,
    redirect_to: str,
    *,
    level: int = messages.SUCCESS,
):
    """Run a service for a button (a POST without a form); say what happened (`success`,
    at `level`, a django.contrib.messages level), go back."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.add_message(request, level, success)
    return redirect(redirect_to)


def reach_level(reach) -> int:
    """The message level for a send's status (issue 13 §3: nobody is silently left out).

    `reach`: a forums.selectors.Reach (duck-typed: lists `members` and `reached`).
    messages.SUCCESS when every member was reached; messages.ERROR when members there were
    and nobody was reached (the status text then names who lacks an address);
    messages.WARNING when some were left out; messages.INFO when the forum has no members
    (nobody was left out, and nothing went anywhere: no success either)."""
    if not reach.members:
        return messages.INFO
    if len(reach.reached) == len(reach.members):
        return messages.SUCCESS
    return messages.WARNING if reach.reached else messages.ERROR


def reach_message(request, reach, text: str) -> None:
    """Add `text`, which says whom a send reached (Reach.text), at `reach_level(reach)`."""
    messages.add_message(request, reach_level(reach), text)


@dataclass
class LinkedWarning:
    """A confirmation page warning with a link to put it right (e.g. »Fremmøde er ikke
    registreret« with a link to the attendance page); `str()` gives the text."""

    text: str
    url: str
    link_text: str

    def __str__(self) -> str:
        return str(self.text)


@dataclass
class Confirmation:
    """What an action that cannot quietly be taken back will do, shown before it is done
    (issue 13 §2: nothing leaves by accident). Rendered by `confirm_page`.

    `reach` is a forums.selectors.Reach (duck-typed: `members`, each with `name` and
    `email`, and `without_email`); `losses` lists what a deletion destroys; `warnings` are texts or LinkedWarnings; `carried` is a
    valid form whose values travel along hidden; `form` is shown for editing;
    `second_confirmation` is the label of a checkbox the server requires
    (`second_confirmed`), with `second_error` when it was left unticked."""

    title: str
    button: str
    cancel_url: str
    intro: str = ""
    reach: Any = None
    subject: str = ""
    preview_url: str = ""
    losses: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    form: Any = None
    carried: Any = None
    second_confirmation: str = ""
    second_error: str = ""
    danger: bool = False


def confirmed(request) -> bool:
    """A POST from a confirmation page's button (its hidden field ``confirm=1``)."""
    return request.method == "POST" and request.POST.get("confirm") == "1"


def second_confirmed(request) -> bool:
    """The confirmation page's extra checkbox (``confirm_second=1``) was ticked."""
    return request.POST.get("confirm_second") == "1"


def confirm_page(request, confirmation: Confirmation):
    """The confirmation page: works without JavaScript; GET (or a POST without
    ``confirm``) shows it, its button POSTs ``confirm=1`` to the same address."""
    return render(request, "core/confirm.html", {"c": confirmation})
