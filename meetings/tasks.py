from celery import shared_task

from meetings.attachments import attachment_text_extract
from meetings.models import AgendaVersion
from meetings.services import agenda_version_distribute, agenda_version_render


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
