"""The account's part of a person's personal data (core.personal_data registry)."""

from django_otp import devices_for_user

from core.personal_data import personal_data_register


def _account(person) -> dict | None:
    user = person.user
    if user is None:
        return None
    return {
        "email": user.email,
        "name": user.full_name,
        "active": user.is_active,
        "joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
        "groups": sorted(user.groups.values_list("name", flat=True)),
        # which second factors exist, never their keys or codes
        "second_factors": sorted(
            {type(device).__name__ for device in devices_for_user(user, confirmed=None)}
        ),
    }


def register() -> None:
    personal_data_register("account", export=_account)
