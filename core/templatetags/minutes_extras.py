"""{% minutes_extras meeting as extras %}: the documents other apps send with a meeting's
minutes (core.minutes_hooks), for the minutes pages to link."""

from django import template

from core.minutes_hooks import minutes_extras as collect

register = template.Library()


@register.simple_tag
def minutes_extras(meeting) -> list:
    return collect(meeting)
