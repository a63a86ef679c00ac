from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST
from django.views.generic import FormView

from accounts import second_factor, services
from accounts.forms import (
    CalendarRemindersForm,
    EmailAuthenticationForm,
    PasswordResetRequestForm,
)
from accounts.signin import client_address
from accounts.tasks import password_reset_request
from core.contributions import contributed_context
from core.forms import call_service
from core.queue import send_task


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True


class LogoutView(auth_views.LogoutView):
    pass


class PasswordResetView(FormView):
    """Queue the request and answer at once: the same page, the same time, the same (no)
    database writes whether or not the address has an account (the task looks it up)."""

    template_name = "accounts/password_reset.html"
    form_class = PasswordResetRequestForm
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form):
        send_task(password_reset_request, form.cleaned_data["email"], client_address(self.request))
        return super().form_valid(form)


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_set.html"
    success_url = reverse_lazy("accounts:login")
    heading = _("Choose a new password")

    def form_valid(self, form):
        messages.success(self.request, _("Your password is set. You can sign in now."))
        return super().form_valid(form)

    def get_context_data(self, **kwargs):
        return {**super().get_context_data(**kwargs), "heading": self.heading}


class InvitationAcceptView(PasswordResetConfirmView):
    """The link in an invitation: the invited person chooses their password."""

    heading = _("Welcome to Fællesindgang – choose your password")


def _dashboard(request, reminders_form: CalendarRemindersForm | None = None, status: int = 200):
    """The member's own page: the apps above add their sections (the person and their
    forums from `forums`, the calendar address from `meetings`, the sections of the
    member's page from `members`) through core/contributions.py."""
    context = {
        **contributed_context("account_page", request),
        "second_factor_on": second_factor.has_device(request.user),
        "reminders_form": reminders_form
        or CalendarRemindersForm(initial={"calendar_reminders": request.user.calendar_reminders}),
    }
    return render(request, "accounts/dashboard.html", context, status=status)


@login_required
def dashboard(request):
    return _dashboard(request)


@login_required
@require_POST
def calendar_reminders(request):
    """The member's choice of alarms in their personal calendar feed."""
    form = CalendarRemindersForm(request.POST)
    if form.is_valid() and call_service(
        form,
        lambda: services.user_set_calendar_reminders(
            actor=request.user,
            user=request.user,
            reminders=form.cleaned_data["calendar_reminders"],
        ),
    ):
        messages.success(request, _("Your calendar reminders are saved."))
        return redirect("accounts:dashboard")
    return _dashboard(request, reminders_form=form, status=400)
