"""Danish kroner as text: »1.250.000,00 kr.« (thousands with '.', decimals with ',')."""

from decimal import ROUND_HALF_UP, Decimal


def format_dkk(amount: Decimal | int) -> str:
    """`amount` in kroner (Decimal or int, never float) as »1.250.000,00 kr.«; a negative
    amount keeps its minus sign (»-500,00 kr.«). Rounded half up to whole øre."""
    if isinstance(amount, float):
        raise TypeError("Money is Decimal, never float.")
    value = Decimal(amount).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
    sign = "-" if value < 0 else ""
    whole, _, cents = f"{abs(value):.2f}".partition(".")
    groups = []
    while whole:
        groups.insert(0, whole[-3:])
        whole = whole[:-3]
    return f"{sign}{'.'.join(groups)},{cents} kr."
