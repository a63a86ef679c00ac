"""The approved record cannot change by any path: not through the ORM (save, delete,
QuerySet update/delete/bulk writes), not through the admin, not through plain SQL on
PostgreSQL (INSERT, UPDATE and DELETE triggers on every part of the minutes, each refusal
with the trigger's own message and SQLSTATE 23F01). The only writes after approval are
the ones the rules allow: the final version and its PDFs (once), a dated erratum, and a
follow-up action's status."""

from datetime import datetime, timedelta

import pytest
from django.db import IntegrityError, connection, transaction

from core.models import AuditEntry
from forums.models import Organisation
from minutes import services
from minutes.models import (
    FROZEN_SQLSTATE,
    ApprovedMinutesError,
    Comment,
    Erratum,
    FollowUpAction,
    Minutes,
    MinutesItem,
    MinutesVersion,
    sqlstate_of,
)
from minutes.tests.test_approval import OPEN_TITLE, SF_DAY, SF_SENT, TZ, approve, send, travel

AFTER = datetime(2027, 3, 30, 1, tzinfo=TZ)  # the sweep's run after the window closed
LATER = datetime(2027, 4, 6, 9, tzinfo=TZ)


@pytest.fixture
def media(settings, tmp_path):
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path)
    return tmp_path


def administration() -> Organisation:
    """One of the administrations the forums' data migration creates."""
    return Organisation.objects.filter(kind="administration").order_by("pk").first()


@pytest.fixture
def record(
    forums, member_user, secretariat_user, media, django_capture_on_commit_callbacks
) -> dict:
    """Samarbejdsforum's minutes approved by the sweep, with a disposed comment, a
    follow-up action, the final version (PDF rendered) and an erratum."""
    with django_capture_on_commit_callbacks(execute=True):
        minutes = send(forums["samarbejdsforum"], secretariat_user, day=SF_DAY, sent=SF_SENT)
    item = minutes.items.get(title=OPEN_TITLE)
    with travel(SF_SENT + timedelta(days=1)):
        action = services.action_add(
            actor=secretariat_user, item=item, what="Send planen", responsible=administration()
        )
        comment = services.comment_add(actor=member_user, minutes=minutes, body="Tak.")
        services.comment_dispose(
            actor=secretariat_user, comment=comment, disposition="answered", note="Godt."
        )
    approve(minutes, django_capture_on_commit_callbacks, AFTER)
    erratum = Erratum.objects.create(minutes=minutes, text="Rettelse.", created_by=None)
    return {
        "minutes": minutes,
        "item": item,
        "action": action,
        "comment": Comment.objects.get(pk=comment.pk),
        "version": minutes.versions.get(is_final=False),
        "final": minutes.versions.get(is_final=True),
        "erratum": erratum,
        "member": member_user,
        "secretary": secretariat_user,
    }


def snapshot_of(minutes: Minutes) -> dict:
    """Everything the approved record holds, to compare before and after."""
    return {
        "minutes": Minutes.objects.filter(pk=minutes.pk).values().get(),
        "items": list(MinutesItem.objects.filter(minutes=minutes).order_by("pk").values()),
        "comments": list(Comment.objects.filter(minutes=minutes).order_by("pk").values()),
        "actions": list(
            FollowUpAction.objects.filter(item__minutes=minutes).order_by("pk").values()
        ),
        "versions": list(MinutesVersion.objects.filter(minutes=minutes).order_by("pk").values()),
        "errata": list(Erratum.objects.filter(minutes=minutes).order_by("pk").values()),
    }


# --- The ORM -------------------------------------------------------------------------------------


def _saves(record) -> dict:
    item, comment, action = record["item"], record["comment"], record["action"]
    version, final, erratum = record["version"], record["final"], record["erratum"]

    def change(obj, **values):
        def run():
            for name, value in values.items():
                setattr(obj, name, value)
            obj.save()

        return run

    return {
        "item summary": change(item, summary="Forfalsket"),
        "comment body": change(comment, body="Forfalsket"),
        "comment disposition": change(comment, disposition="incorporated"),
        "action what": change(action, what="Forfalsket"),
        "action what with update_fields": lambda: (
            setattr(action, "what", "Forfalsket"),
            action.save(update_fields=["what", "status"]),
        ),
        "version snapshot": change(version, snapshot={"items": []}),
        "final pdf rewritten": lambda: (
            setattr(final, "pdf", "minutes/forfalsket.pdf"),
            final.save(update_fields=["pdf"]),
        ),
        "erratum text": change(erratum, text="Forfalsket"),
        "new item": lambda: MinutesItem.objects.create(
            minutes=record["minutes"], position=9, title="Forfalsket"
        ),
        "new comment": lambda: Comment.objects.create(
            minutes=record["minutes"], author=record["member"].person, body="Forfalsket"
        ),
        "new action": lambda: FollowUpAction.objects.create(
            item=item, what="Forfalsket", responsible=action.responsible
        ),
        "new draft version": lambda: MinutesVersion.objects.create(
            minutes=record["minutes"], number=2, snapshot={}
        ),
        "bulk new items": lambda: MinutesItem.objects.bulk_create(
            [MinutesItem(minutes=record["minutes"], position=9, title="Forfalsket")]
        ),
        "bulk update of comments": lambda: Comment.objects.bulk_update([comment], ["body"]),
        "item delete": item.delete,
        "comment delete": comment.delete,
        "action delete": action.delete,
        "version delete": version.delete,
        "erratum delete": erratum.delete,
        "minutes save": record["minutes"].save,
        "minutes delete": record["minutes"].delete,
        "queryset update of items": lambda: MinutesItem.objects.filter(pk=item.pk).update(
            decision="Forfalsket"
        ),
        "queryset update of actions": lambda: FollowUpAction.objects.filter(pk=action.pk).update(
            due_on=SF_DAY
        ),
        "queryset update of minutes": lambda: Minutes.objects.filter(
            pk=record["minutes"].pk
        ).update(introduction="Forfalsket"),
        "queryset delete of comments": lambda: Comment.objects.filter(pk=comment.pk).delete(),
        "queryset delete of errata": lambda: Erratum.objects.filter(pk=erratum.pk).delete(),
    }


SAVES = [
    "item summary",
    "comment body",
    "comment disposition",
    "action what",
    "action what with update_fields",
    "version snapshot",
    "final pdf rewritten",
    "erratum text",
    "new item",
    "new comment",
    "new action",
    "new draft version",
    "bulk new items",
    "bulk update of comments",
    "item delete",
    "comment delete",
    "action delete",
    "version delete",
    "erratum delete",
    "minutes save",
    "minutes delete",
    "queryset update of items",
    "queryset update of actions",
    "queryset update of minutes",
    "queryset delete of comments",
    "queryset delete of errata",
]


TRIGGERED_TABLES = [
    "minutes_minutes",
    "minutes_minutesitem",
    "minutes_comment",
    "minutes_followupaction",
    "minutes_minutesversion",
    "minutes_erratum",
]


@pytest.fixture
def without_triggers(record):
    """The model guards alone: the triggers are off for this test's transaction (rolled
    back with it), so a refusal here comes from the ORM, not from PostgreSQL."""
    assert connection.vendor == "postgresql"  # scripts/test.sh runs the suite there
    with connection.cursor() as cursor:
        # ALTER TABLE waits for no deferred foreign-key check: run those now.
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        for table in TRIGGERED_TABLES:
            cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        cursor.execute("SET CONSTRAINTS ALL DEFERRED")


@pytest.mark.django_db
@pytest.mark.parametrize("write", SAVES)
def test_the_orm_refuses_every_write_to_approved_minutes(record, without_triggers, write):
    before = snapshot_of(record["minutes"])
    with pytest.raises(ApprovedMinutesError), transaction.atomic():
        _saves(record)[write]()
    assert snapshot_of(record["minutes"]) == before


@pytest.mark.django_db
def test_after_approval_an_actions_status_a_dated_erratum_and_a_pdf_written_once_go_through(
    record,
):
    action = record["action"]
    services.action_set_status(actor=record["secretary"], action=action, status="done")
    action.status = "in_progress"
    action.save(update_fields=["status", "updated_at", "updated_by"])
    assert FollowUpAction.objects.get(pk=action.pk).status == "in_progress"
    assert AuditEntry.objects.filter(action="action.status").count() == 1

    Erratum.objects.create(minutes=record["minutes"], text="Endnu en rettelse.")
    assert record["minutes"].errata.count() == 2


@pytest.mark.django_db
def test_the_orm_writes_a_versions_pdf_once_after_approval(record, without_triggers):
    version = record["version"]
    with connection.cursor() as cursor:  # as if the task that renders it had been lost
        cursor.execute("UPDATE minutes_minutesversion SET pdf = '' WHERE id = %s", [version.pk])
    MinutesVersion.objects.filter(pk=version.pk, pdf="").update(pdf="minutes/v1.pdf")
    with pytest.raises(ApprovedMinutesError), transaction.atomic():
        MinutesVersion.objects.filter(pk=version.pk).update(pdf="minutes/igen.pdf")
    with pytest.raises(ApprovedMinutesError), transaction.atomic():
        MinutesVersion.objects.filter(pk=version.pk).update(pdf="minutes/x.pdf", change_note="x")
    assert MinutesVersion.objects.get(pk=version.pk).pdf.name == "minutes/v1.pdf"


@pytest.mark.django_db
def test_the_trigger_refusal_between_a_guards_read_and_the_write_becomes_approved_minutes_error(
    record, monkeypatch
):
    """The sweep approves right after the model's guard has read the minutes: the trigger
    refuses the write, and the page still gets the domain's refusal, not a 500."""
    assert connection.vendor == "postgresql"  # scripts/test.sh runs the suite there
    monkeypatch.setattr(MinutesItem, "refused_rows", classmethod(lambda cls, rows, f: rows.none()))
    with pytest.raises(ApprovedMinutesError), transaction.atomic():
        MinutesItem.objects.filter(pk=record["item"].pk).update(summary="Forfalsket")
    assert MinutesItem.objects.get(pk=record["item"].pk).summary != "Forfalsket"


# --- SQL (PostgreSQL triggers) --------------------------------------------------------------------

REFUSED_SQL = {
    (
        "minutes_minutes",
        "UPDATE",
    ): "UPDATE minutes_minutes SET introduction = 'x' WHERE id = {minutes}",
    ("minutes_minutes", "DELETE"): "DELETE FROM minutes_minutes WHERE id = {minutes}",
    ("minutes_minutesitem", "INSERT"): (
        "INSERT INTO minutes_minutesitem (minutes_id, position, title, is_closed, summary, "
        "decision) VALUES ({minutes}, 9, 'x', false, '', '')"
    ),
    (
        "minutes_minutesitem",
        "UPDATE",
    ): "UPDATE minutes_minutesitem SET decision = 'x' WHERE id = {item}",
    ("minutes_minutesitem", "DELETE"): "DELETE FROM minutes_minutesitem WHERE id = {item}",
    ("minutes_comment", "INSERT"): (
        "INSERT INTO minutes_comment (minutes_id, author_id, body, created_at, updated_at, "
        "disposition, disposition_note) VALUES ({minutes}, {author}, 'x', now(), now(), '', '')"
    ),
    ("minutes_comment", "UPDATE"): "UPDATE minutes_comment SET body = 'x' WHERE id = {comment}",
    ("minutes_comment", "DELETE"): "DELETE FROM minutes_comment WHERE id = {comment}",
    ("minutes_followupaction", "INSERT"): (
        "INSERT INTO minutes_followupaction (item_id, what, responsible_id, status, updated_at) "
        "VALUES ({item}, 'x', {responsible}, 'open', now())"
    ),
    ("minutes_followupaction", "UPDATE"): (
        "UPDATE minutes_followupaction SET what = 'x', status = 'done' WHERE id = {action}"
    ),
    ("minutes_followupaction", "DELETE"): "DELETE FROM minutes_followupaction WHERE id = {action}",
    ("minutes_minutesversion", "INSERT"): (
        "INSERT INTO minutes_minutesversion (minutes_id, number, is_final, change_note, snapshot, "
        "pdf, public_pdf, created_at) VALUES ({minutes}, 2, false, '', '{{}}', '', '', now())"
    ),
    ("minutes_minutesversion", "UPDATE"): (
        "UPDATE minutes_minutesversion SET pdf = 'minutes/forfalsket.pdf' WHERE id = {final}"
    ),
    ("minutes_minutesversion", "DELETE"): "DELETE FROM minutes_minutesversion WHERE id = {version}",
    ("minutes_erratum", "UPDATE"): "UPDATE minutes_erratum SET text = 'x' WHERE id = {erratum}",
    ("minutes_erratum", "DELETE"): "DELETE FROM minutes_erratum WHERE id = {erratum}",
}


def ids(record) -> dict:
    return {
        "minutes": record["minutes"].pk,
        "item": record["item"].pk,
        "comment": record["comment"].pk,
        "action": record["action"].pk,
        "version": record["version"].pk,
        "final": record["final"].pk,
        "erratum": record["erratum"].pk,
        "author": record["member"].person.pk,
        "responsible": record["action"].responsible_id,
    }


def execute(sql: str) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql)


@pytest.mark.django_db
@pytest.mark.parametrize(("table", "operation"), list(REFUSED_SQL))
def test_postgresql_refuses_sql_on_every_part_of_approved_minutes_with_its_own_message(
    record, table, operation
):
    assert connection.vendor == "postgresql"  # scripts/test.sh runs the suite there
    before = snapshot_of(record["minutes"])
    message = (
        rf"minutes {record['minutes'].pk} are approved and cannot change "
        rf"\({operation} on {table} refused\)"
    )
    with pytest.raises(IntegrityError, match=message) as refused:
        execute(REFUSED_SQL[(table, operation)].format(**ids(record)))
    assert sqlstate_of(refused.value) == FROZEN_SQLSTATE
    assert snapshot_of(record["minutes"]) == before


@pytest.mark.django_db
def test_postgresql_lets_through_exactly_the_writes_the_rules_allow(record):
    assert connection.vendor == "postgresql"
    values = ids(record)
    execute(
        "UPDATE minutes_followupaction SET status = 'done', updated_at = now() "
        f"WHERE id = {values['action']}"
    )
    execute(
        "INSERT INTO minutes_erratum (minutes_id, text, pdf, public_pdf, created_at) "
        f"VALUES ({values['minutes']}, 'Rettelse 2.', '', '', now())"
    )
    assert FollowUpAction.objects.get(pk=values["action"]).status == "done"
    assert record["minutes"].errata.count() == 2


@pytest.mark.django_db
def test_postgresql_writes_the_pdf_of_a_version_once_and_the_final_version_once(
    forums, member_user, secretariat_user, media, django_capture_on_commit_callbacks
):
    """The approval adds the final version after the minutes became approved; its PDF is
    rendered after commit. Without the callbacks run, the PDF is still empty here."""
    assert connection.vendor == "postgresql"
    with django_capture_on_commit_callbacks(execute=True):
        minutes = send(forums["samarbejdsforum"], secretariat_user, day=SF_DAY, sent=SF_SENT)
    with travel(AFTER), django_capture_on_commit_callbacks(execute=False):
        assert services.minutes_approve(minutes_id=minutes.pk, now=AFTER)
    final = MinutesVersion.objects.get(minutes=minutes, is_final=True)
    assert final.pdf == ""
    MinutesVersion.objects.filter(pk=final.pk, pdf="").update(pdf="minutes/endelig.pdf")
    with pytest.raises(ApprovedMinutesError), transaction.atomic():
        MinutesVersion.objects.filter(pk=final.pk).update(pdf="minutes/igen.pdf")
    with pytest.raises(IntegrityError, match="are approved and cannot change"):
        execute(f"UPDATE minutes_minutesversion SET pdf = 'minutes/igen.pdf' WHERE id = {final.pk}")
    with pytest.raises(IntegrityError, match="are approved and cannot change"):
        execute(
            "UPDATE minutes_minutesversion SET public_pdf = 'minutes/x.pdf', "
            f"snapshot = '{{}}' WHERE id = {final.pk}"
        )
    assert MinutesVersion.objects.get(pk=final.pk).pdf.name == "minutes/endelig.pdf"
