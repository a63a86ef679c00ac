from celery import shared_task

from core.sweep import sweep_run


@shared_task(name="core.tasks.run_sweep", ignore_result=True)
def run_sweep() -> None:
    """Beat calls this every few minutes; the sweep itself is safe to run at any time."""
    sweep_run()
