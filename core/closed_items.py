"""Closed items in public outputs: kept in their place, with nothing but their number.

Danish municipal practice (and the forums' own minutes, which refer to items by number)
shows a closed item on the public agenda and in the public minutes as "Punkt N: Lukket
punkt", so the public numbering matches the members' and no item seems to be missing."""


def withhold_closed(items: list[dict]) -> list[dict]:
    """The snapshot items `items` (dicts with at least "position" and "is_closed") as the
    public may see them: an open item unchanged, a closed one replaced by a placeholder
    that carries only its position — {"position": N, "is_closed": True, "withheld": True}
    and empty "attachments"/"actions" lists — never its title, texts or files."""
    return [_placeholder(item) if item.get("is_closed") else item for item in items]


def _placeholder(item: dict) -> dict:
    return {
        "position": item["position"],
        "is_closed": True,
        "withheld": True,
        "attachments": [],
        "actions": [],
    }
