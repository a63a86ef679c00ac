"""What `theme_reports` adds to pages of the apps below it (core/contributions.py)."""


def theme_group_page(request, theme_group) -> dict:
    """The secretariat's theme group page (forums): the group's reports with their trail,
    its open report dates, and the template that shows them
    (`theme_group_reports_template`, included by forums' template by name)."""
    from theme_reports.selectors import theme_group_report_dates, theme_group_reports

    return {
        "theme_group_reports_template": "theme_reports/fragment_theme_group_reports.html",
        "reports": theme_group_reports(theme_group),
        "report_dates": theme_group_report_dates(theme_group),
    }
