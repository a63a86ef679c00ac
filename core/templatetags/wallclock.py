"""`{{ moment|wallclock:"j. b Y H:i" }}`: local time, marked »(sommertid)« / »(vintertid)«
when the clocks pass that time twice (see core.wallclock)."""

from django import template

from core.wallclock import wall_clock

register = template.Library()


@register.filter
def wallclock(moment, fmt: str = "H:i") -> str:
    """The filter form of core.wallclock.wall_clock; "" for an empty value."""
    return wall_clock(moment, fmt) if moment else ""


@register.filter
def goes_out(send_after) -> str:
    """»Udsendes kl. HH:MM — kan fortrydes indtil da« (core.grace.pending_text)."""
    from core.grace import pending_text

    return pending_text(send_after) if send_after else ""


@register.filter
def goes_out_public(send_after) -> str:
    """»Udsendes kl. HH:MM« for members and the public (core.grace.pending_text_public)."""
    from core.grace import pending_text_public

    return pending_text_public(send_after) if send_after else ""
