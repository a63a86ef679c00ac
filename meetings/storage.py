"""Where attachments and rendered PDFs live: outside the web root, served only by views
that check who is asking."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty


class PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


private_storage = PrivateStorage()


@receiver(setting_changed)
def _reset_private_storage(*, setting: str, **kwargs) -> None:
    # As Django's own storages do for MEDIA_ROOT: an overridden PRIVATE_MEDIA_ROOT (tests)
    # takes effect instead of the location the storage was first set up with.
    if setting == "PRIVATE_MEDIA_ROOT":
        private_storage._wrapped = empty


def get_private_storage():
    """Callable storage for FileFields, so migrations do not record the path."""
    return private_storage
