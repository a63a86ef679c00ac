"""On PostgreSQL, approved minutes refuse every change at the database itself, so that
neither the admin, the ORM, a bulk update nor plain SQL can alter the approved record.

Replaces migration 0002's trigger (UPDATE and DELETE only; it also failed with
'record "old" has no field "is_final"' on every table but the versions).

- minutes_minutes: an approved row can neither change nor go (the approval itself, sent
  -> approved, is an UPDATE of a row that is not yet approved, so it passes).
- minutes_minutesitem, minutes_comment, minutes_followupaction, minutes_minutesversion,
  minutes_erratum: no INSERT into approved minutes, no UPDATE of or into them, no DELETE.
  The writes the rules allow after approval pass:
  * INSERT of the final version (the approval writes it; a unique constraint keeps it one);
  * UPDATE of a version's pdf/public_pdf while pdf is still empty (rendered once), every
    other column unchanged;
  * INSERT of an erratum (a dated correction);
  * UPDATE of a follow-up action's status, updated_at and updated_by_id, every other
    column (what, responsible, due date, item) unchanged.

A refusal raises SQLSTATE 23F01 (class 23, integrity constraint violation) with the
message 'minutes <id> are approved and cannot change (<op> on <table> refused)'.
minutes.models.refusing_approved turns it into ApprovedMinutesError."""

import importlib

from django.db import migrations

FUNCTIONS = """
CREATE OR REPLACE FUNCTION minutes_approved_id(tbl text, r jsonb) RETURNS bigint AS $$
    -- The id of the approved minutes that row r of table tbl belongs to, else NULL.
    SELECT m.id FROM minutes_minutes m
    WHERE m.status = 'approved' AND m.id = CASE tbl
        WHEN 'minutes_minutes' THEN (r ->> 'id')::bigint
        WHEN 'minutes_followupaction' THEN (
            SELECT i.minutes_id FROM minutes_minutesitem i WHERE i.id = (r ->> 'item_id')::bigint
        )
        ELSE (r ->> 'minutes_id')::bigint
    END
$$ LANGUAGE sql STABLE;

CREATE OR REPLACE FUNCTION minutes_refuse_change_when_approved() RETURNS trigger AS $$
DECLARE
    old_row jsonb;
    new_row jsonb;
    approved_id bigint;
BEGIN
    -- OLD exists for UPDATE and DELETE, NEW for INSERT and UPDATE: read each only then.
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        old_row := to_jsonb(OLD);
        approved_id := minutes_approved_id(TG_TABLE_NAME, old_row);
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') THEN
        new_row := to_jsonb(NEW);
        -- A part may not move into approved minutes; the minutes row itself becomes
        -- approved by an UPDATE, which is the approval.
        IF approved_id IS NULL AND TG_TABLE_NAME <> 'minutes_minutes' THEN
            approved_id := minutes_approved_id(TG_TABLE_NAME, new_row);
        END IF;
    END IF;

    IF approved_id IS NOT NULL THEN
        IF TG_OP = 'INSERT' THEN
            IF TG_TABLE_NAME = 'minutes_erratum'
               OR (TG_TABLE_NAME = 'minutes_minutesversion' AND (new_row ->> 'is_final')::boolean)
            THEN
                RETURN NEW;
            END IF;
        ELSIF TG_OP = 'UPDATE' THEN
            IF TG_TABLE_NAME = 'minutes_minutesversion'
               AND old_row ->> 'pdf' = ''
               AND (new_row - 'pdf' - 'public_pdf') = (old_row - 'pdf' - 'public_pdf')
            THEN
                RETURN NEW;
            END IF;
            IF TG_TABLE_NAME = 'minutes_followupaction'
               AND (new_row - 'status' - 'updated_at' - 'updated_by_id')
                   = (old_row - 'status' - 'updated_at' - 'updated_by_id')
            THEN
                RETURN NEW;
            END IF;
        END IF;
        RAISE EXCEPTION 'minutes % are approved and cannot change (% on % refused)',
                approved_id, TG_OP, TG_TABLE_NAME
            USING ERRCODE = '23F01',
                  HINT = 'A correction to approved minutes is a dated erratum.';
    END IF;

    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
"""

# table -> the operations its trigger watches
TABLES = {
    "minutes_minutes": "UPDATE OR DELETE",
    "minutes_minutesitem": "INSERT OR UPDATE OR DELETE",
    "minutes_comment": "INSERT OR UPDATE OR DELETE",
    "minutes_followupaction": "INSERT OR UPDATE OR DELETE",
    "minutes_minutesversion": "INSERT OR UPDATE OR DELETE",
    "minutes_erratum": "INSERT OR UPDATE OR DELETE",
}
OLD_TABLES = ["minutes_minutes", "minutes_minutesitem", "minutes_comment", "minutes_minutesversion"]


def _old_migration():
    return importlib.import_module("minutes.migrations.0002_immutable_when_approved")


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in OLD_TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_immutable ON {table};")
    schema_editor.execute(FUNCTIONS, params=None)
    for table, operations in TABLES.items():
        schema_editor.execute(
            f"CREATE TRIGGER {table}_frozen BEFORE {operations} ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION minutes_refuse_change_when_approved();"
        )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table in TABLES:
        schema_editor.execute(f"DROP TRIGGER IF EXISTS {table}_frozen ON {table};")
    schema_editor.execute("DROP FUNCTION IF EXISTS minutes_approved_id(text, jsonb);")
    schema_editor.execute(_old_migration().FUNCTION, params=None)
    for table in OLD_TABLES:
        schema_editor.execute(
            f"CREATE TRIGGER {table}_immutable BEFORE UPDATE OR DELETE ON {table} "
            f"FOR EACH ROW EXECUTE FUNCTION minutes_refuse_change_when_approved();"
        )


class Migration(migrations.Migration):
    dependencies = [("minutes", "0003_minutesversion_minutes_version_pending_idx")]

    operations = [migrations.RunPython(create, drop)]
