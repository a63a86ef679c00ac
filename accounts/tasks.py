from celery import shared_task
from django.utils import timezone

from accounts.services import password_reset_request_handle


@shared_task(name="accounts.tasks.password_reset_request", ignore_result=True)
def password_reset_request(address: str, client_address: str | None) -> None:
    """A "forgot your password?" request from the web page; see the service."""
    password_reset_request_handle(
        address=address, client_address=client_address, now=timezone.now()
    )
