"""Who may see what: the secretariat manages everything; members see their own forums."""

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import PermissionDenied


def secretariat_required(view):
    """Anonymous visitors are sent to sign in; signed-in non-secretariat users get 403."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not request.user.is_secretariat:
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
