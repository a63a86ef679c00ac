from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _account_page(request) -> dict:
    from members.selectors import member_page

    return {"page": member_page(request.user)}


class MembersConfig(AppConfig):
    """The member's own page (/konto/, issue 14 §5): what is theirs to read and do, from
    the forums, meetings and minutes; it sits above them and adds its part to accounts'
    page through core/contributions.py."""

    name = "members"
    verbose_name = _("The member's page")

    def ready(self) -> None:
        from core.contributions import contribution_register

        contribution_register("account_page", _account_page)
