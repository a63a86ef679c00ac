"""The domain error that services raise when a rule forbids a change."""

from django.core.exceptions import ValidationError


class DomainError(ValidationError):
    """A rule of the domain refused the change; the message is shown to the user in Danish.

    It is a ValidationError so that a form calling a service can attach it to a field
    (``form.add_error(field, error)``) and show it where it belongs.
    """
