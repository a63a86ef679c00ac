from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ThemeReportsConfig(AppConfig):
    """Theme groups' reports to the forum that set them up (issue 14 §6): a report becomes a
    proposal to the forum's next meeting, and its trail runs on to the decision in the
    minutes. It sits above `minutes` and adds its part to forums' theme group page, the
    registry of what is due and the sweep from here (core/contributions.py, core/due.py,
    core/sweep.py)."""

    name = "theme_reports"
    verbose_name = _("Theme group reports")

    def ready(self) -> None:
        from core.contributions import contribution_register
        from core.due import due_source_register
        from core.sweep import sweep_step_register
        from theme_reports.contributions import theme_group_page
        from theme_reports.due import theme_group_reports_due

        sweep_step_register("theme_reports.services.theme_group_reports_propose_waiting")
        due_source_register("theme_group_reports", theme_group_reports_due)
        contribution_register("theme_group_page", theme_group_page)
