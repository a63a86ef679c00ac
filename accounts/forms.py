from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _


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
