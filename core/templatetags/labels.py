"""{% qualified label qualifier %} and {% year_span start end %}: see core/labels.py."""

from django import template

from core import labels

register = template.Library()


@register.simple_tag
def qualified(label, qualifier, pattern: str = "{label} ({qualifier})") -> str:
    """The label with its qualifier, unless one already says the other (core.labels)."""
    return labels.qualified(label, qualifier, pattern)


@register.simple_tag
def year_span(start, end) -> str:
    """ "2025–2028" for two dates (core.labels.year_span)."""
    return labels.year_span(start, end)
