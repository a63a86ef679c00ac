"""One account per e-mail address whatever its letter case.

The unique constraint on ``Lower("email")`` came with 0001; this migration gives it a
Danish message and makes sure the data obeys it: every address is stored lower-case, and
if two accounts differ only in letter case the migration stops and names them, so that
someone merges them by hand (which account keeps the person, the history?) instead of
the migration guessing.
"""

import django.db.models.functions.text
from django.db import migrations, models
from django.db.models import Count
from django.db.models.functions import Lower


class DuplicateAccounts(RuntimeError):
    pass


def check_and_lower(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    duplicates = (
        User.objects.annotate(address=Lower("email"))
        .values("address")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
        .values_list("address", flat=True)
    )
    if duplicates:
        raise DuplicateAccounts(
            "accounts.0003: these e-mail addresses belong to more than one account when "
            "letter case is ignored; merge or rename the accounts, then migrate again: "
            + ", ".join(sorted(duplicates))
        )
    for user in User.objects.exclude(email=Lower("email")):
        User.objects.filter(pk=user.pk).update(email=user.email.lower())


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_secretariat_group"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [
        migrations.RunPython(check_and_lower, migrations.RunPython.noop),
        migrations.AlterConstraint(
            model_name="user",
            name="user_email_ci_unique",
            constraint=models.UniqueConstraint(
                django.db.models.functions.text.Lower("email"),
                name="user_email_ci_unique",
                violation_error_message="An account with this e-mail address already exists.",
            ),
        ),
    ]
