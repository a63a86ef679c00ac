"""Meetings and agendas (issue: meetings and agendas). The app is registered now so that
the layout is fixed; its models arrive with that issue."""
