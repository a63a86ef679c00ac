"""Where attachments and rendered PDFs live: outside the web root, served only by views
that check who is asking."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.functional import LazyObject


class PrivateStorage(LazyObject):
    def _setup(self):
        self._wrapped = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


private_storage = PrivateStorage()


def get_private_storage():
    """Callable storage for FileFields, so migrations do not record the path."""
    return private_storage
