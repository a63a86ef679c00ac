from django import template

from pools.money import format_dkk

register = template.Library()


@register.filter
def kroner(amount) -> str:
    """{{ pool.amount|kroner }} → »1.250.000,00 kr.«"""
    return "" if amount is None else format_dkk(amount)
