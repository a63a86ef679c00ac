from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from accounts.models import CalendarReminders


class EmailAuthenticationForm(AuthenticationForm):
    username = forms.EmailField(
        label=_("E-mail address"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )
    error_messages = {
        "invalid_login": _("The e-mail address or the password is wrong."),
        "inactive": _("This account is deactivated."),
    }


class PasswordResetRequestForm(forms.Form):
    """The address to send a reset link to; whether it has an account is not looked up
    here (the task does it), so the answer cannot tell."""

    email = forms.EmailField(
        label=_("E-mail address"),
        max_length=254,
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )


class SecondFactorForm(forms.Form):
    """The second step of signing in: a code from the authenticator app or a recovery code."""

    code = forms.CharField(
        label=_("Code"),
        max_length=32,
        help_text=_("The 6 digits your authenticator app shows, or one of your recovery codes."),
        widget=forms.TextInput(
            attrs={"autofocus": True, "autocomplete": "one-time-code", "spellcheck": "false"}
        ),
        error_messages={"required": _("Type the code.")},
    )


class TOTPSetupForm(forms.Form):
    """Setting up an authenticator app: the code it shows proves it holds the secret."""

    token = forms.CharField(
        label=_("Code from the app"),
        max_length=10,
        widget=forms.TextInput(
            attrs={"inputmode": "numeric", "autocomplete": "one-time-code", "spellcheck": "false"}
        ),
        error_messages={"required": _("Type the 6 digits the app shows.")},
    )


class CalendarRemindersForm(forms.Form):
    """The alarms on the events of the member's personal calendar feed."""

    calendar_reminders = forms.ChoiceField(
        label=_("Reminders in my calendar"),
        choices=CalendarReminders.choices,
        widget=forms.RadioSelect,
        help_text=_(
            "Your calendar program shows them before each meeting, proposal deadline and "
            "end of a comment window in your personal calendar."
        ),
        error_messages={
            "required": _("Choose when you want to be reminded."),
            "invalid_choice": _("Choose one of the reminders shown."),
        },
    )
