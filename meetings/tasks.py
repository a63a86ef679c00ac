from celery import shared_task
from django.conf import settings

from core.queue import send_task
from meetings.attachments import attachment_text_extract
from meetings.models import AgendaVersion
from meetings.services import (
    agenda_pack_build,
    agenda_version_distribute,
    agenda_version_render,
    attachment_pdf_convert,
)


@shared_task(
    bind=True,
    name="meetings.tasks.process_agenda_version",
    max_retries=5,
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
)
def process_agenda_version(self, version_id: int) -> None:
    """Render a sent agenda version's PDFs and e-mail the members once its grace period
    has ended; safe to run again, and a no-op for a version withdrawn meanwhile."""
    if not AgendaVersion.objects.filter(pk=version_id).exists():
        return
    agenda_version_render(version_id=version_id)
    agenda_version_distribute(version_id=version_id)


@shared_task(
    name="meetings.tasks.extract_attachment_text",
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=3,
)
def extract_attachment_text(attachment_id: int) -> None:
    """Read an attachment's text for the search, once (safe to run again)."""
    attachment_text_extract(attachment_id=attachment_id)


@shared_task(
    bind=True,
    name="meetings.tasks.build_agenda_pack",
    max_retries=5,
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    soft_time_limit=600,
    time_limit=660,
)
def build_agenda_pack(self, version_id: int) -> None:
    """Build a version's agenda pack, or queue the conversions it waits for
    (meetings.services.agenda_pack_build)."""
    agenda_pack_build(version_id=version_id)


@shared_task(
    bind=True,
    name="meetings.tasks.convert_attachment_pdf",
    max_retries=3,
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    # Beyond the subprocess's own timeout: the soft limit marks the conversion failed, the
    # hard one kills the worker child (the build then counts the claim as dead).
    soft_time_limit=settings.AGENDA_PACK_CONVERT_TIMEOUT_SECONDS + 30,
    time_limit=settings.AGENDA_PACK_CONVERT_TIMEOUT_SECONDS + 60,
)
def convert_attachment_pdf(self, attachment_id: int, version_id: int) -> None:
    """Convert one attachment to PDF for the pack (meetings.services.attachment_pdf_convert);
    when it did, build the version's pack again, which goes on once nothing waits."""
    if attachment_pdf_convert(attachment_id=attachment_id):
        send_task(build_agenda_pack, version_id)  # a lost message: the sweep catches up
