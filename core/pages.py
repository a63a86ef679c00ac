"""Page helpers shared by the secretariat's views of every app."""

from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render


def form_page(
    request, form, *, title: str, cancel_url: str, intro: str = "", multipart: bool = False
):
    """One generic page for a form: a heading, an optional lead text, the form, cancel."""
    return render(
        request,
        "forums/secretariat/form.html",
        {
            "form": form,
            "title": title,
            "cancel_url": cancel_url,
            "intro": intro,
            "multipart": multipart,
        },
    )


def post_action(request, action: Callable[[], object], success: str, redirect_to: str):
    """Run a service for a button (a POST without a form); say what happened, go back."""
    try:
        action()
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, success)
    return redirect(redirect_to)
