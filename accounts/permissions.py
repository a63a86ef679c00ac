"""Who may see what: the decorators live in `core.permissions` (below every app, so that
`notifications` may use them too); imported here as well for the apps that name them so."""

from core.permissions import secretariat_required

__all__ = ["secretariat_required"]
