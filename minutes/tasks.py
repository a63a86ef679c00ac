from celery import shared_task

from minutes.services import minutes_version_distribute, minutes_version_render


@shared_task(
    name="minutes.tasks.process_minutes_version",
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=5,
)
def process_minutes_version(version_id: int) -> None:
    """Render a minutes version's PDF and e-mail the draft to the members; safe to rerun."""
    if minutes_version_render(version_id=version_id) is None:
        return  # withdrawn in its grace period
    minutes_version_distribute(version_id=version_id)
