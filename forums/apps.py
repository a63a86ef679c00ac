from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _forums_changed(sender, **kwargs) -> None:
    from core.cache_stamps import bump

    bump("forums")


class ForumsConfig(AppConfig):
    name = "forums"
    verbose_name = _("Forums")

    def ready(self) -> None:
        from core.sweep import sweep_step_register

        sweep_step_register("forums.retention.contact_data_expire")

        from forums import privacy

        privacy.register()
        from forums import contributions

        contributions.register()  # its parts of lower apps' pages (core/contributions.py)
        from forums import due

        due.register()  # members without an e-mail address (core.due)

        from django.db.models.signals import post_delete, post_save

        # The services bump the "forums" stamp of the cached public pages; the Django admin
        # edits forums, seats, people and memberships directly (its rules are data), so
        # every saved or deleted row of this app bumps it too (core/cache_stamps.py).
        for model in self.get_models():
            post_save.connect(_forums_changed, sender=model, dispatch_uid=f"stamp:{model}")
            post_delete.connect(_forums_changed, sender=model, dispatch_uid=f"stamp-d:{model}")
