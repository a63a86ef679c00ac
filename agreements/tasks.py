from celery import shared_task

from agreements.services import agreement_version_render


@shared_task(
    name="agreements.tasks.render_agreement_version",
    ignore_result=True,
    autoretry_for=(OSError,),
    retry_backoff=30,
    max_retries=5,
)
def render_agreement_version(version_id: int) -> None:
    agreement_version_render(version_id=version_id)
