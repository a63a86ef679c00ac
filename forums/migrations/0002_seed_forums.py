"""The four forums, their organisations, seats, chairs and standard agenda items."""

from django.db import migrations

from forums.seed import seed_forums


def forward(apps, schema_editor):
    seed_forums(apps)


class Migration(migrations.Migration):
    dependencies = [("forums", "0001_initial")]

    operations = [migrations.RunPython(forward, migrations.RunPython.noop)]
