"""Where attachments and rendered PDFs live: outside the web root, served only by views
that check who is asking."""

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.functional import LazyObject, empty

PRIVATE_STORAGE_SETTINGS = {
    "PRIVATE_MEDIA_ROOT",
    "PRIVATE_S3_BUCKET",
    "PRIVATE_S3_ENDPOINT_URL",
    "PRIVATE_S3_REGION",
    "PRIVATE_S3_ACCESS_KEY_ID",
    "PRIVATE_S3_SECRET_ACCESS_KEY",
}


def _s3_storage():
    from storages.backends.s3 import S3Storage

    return S3Storage(
        bucket_name=settings.PRIVATE_S3_BUCKET,
        endpoint_url=settings.PRIVATE_S3_ENDPOINT_URL,
        region_name=settings.PRIVATE_S3_REGION,
        access_key=settings.PRIVATE_S3_ACCESS_KEY_ID,
        secret_key=settings.PRIVATE_S3_SECRET_ACCESS_KEY,
        default_acl="private",
        querystring_auth=True,
        file_overwrite=False,
    )


class PrivateStorage(LazyObject):
    """The local folder PRIVATE_MEDIA_ROOT, or the S3 bucket PRIVATE_S3_BUCKET when set."""

    def _setup(self):
        if settings.PRIVATE_S3_BUCKET:
            self._wrapped = _s3_storage()
        else:
            self._wrapped = FileSystemStorage(location=settings.PRIVATE_MEDIA_ROOT, base_url=None)


private_storage = PrivateStorage()


@receiver(setting_changed)
def _reset_private_storage(*, setting: str, **kwargs) -> None:
    # As Django's own storages do for MEDIA_ROOT: an overridden PRIVATE_MEDIA_ROOT (tests)
    # takes effect instead of the location the storage was first set up with.
    if setting in PRIVATE_STORAGE_SETTINGS:
        private_storage._wrapped = empty


def get_private_storage():
    """Callable storage for FileFields, so migrations do not record the path."""
    return private_storage
