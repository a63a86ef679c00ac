"""On PostgreSQL, approved minutes refuse UPDATE and DELETE at the database itself, so
that neither the admin, the ORM nor SQL can change them (errata are separate rows).

- minutes_minutes: a row whose status is 'approved' cannot change or go.
- minutes_minutesitem, minutes_comment: rows of approved minutes cannot change or go.
- minutes_minutesversion: versions of approved minutes cannot change, except that the
  final version's PDFs are written once, after it is created."""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION minutes_refuse_change_when_approved() RETURNS trigger AS $$
DECLARE
    parent_status text;
BEGIN
    IF TG_TABLE_NAME = 'minutes_minutes' THEN
        parent_status := OLD.status;
    ELSE
        SELECT status INTO parent_status FROM minutes_minutes WHERE id = OLD.minutes_id;
    END IF;
    IF parent_status = 'approved' THEN
        IF TG_TABLE_NAME = 'minutes_minutesversion' AND TG_OP = 'UPDATE'
           AND OLD.is_final AND OLD.pdf = '' AND NEW.snapshot = OLD.snapshot
           AND NEW.number = OLD.number AND NEW.is_final THEN
            RETURN NEW;
        END IF;
        RAISE EXCEPTION 'Approved minutes cannot change (% on %)', TG_OP, TG_TABLE_NAME
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""
TABLES = ["minutes_minutes", "minutes_minutesitem", "minutes_comment", "minutes_minutesversion"]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION, params=None)
    for table in TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION minutes_refuse_change_when_approved();"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_immutable ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS minutes_refuse_change_when_approved();")


class Migration(migrations.Migration):
    dependencies = [("minutes", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
