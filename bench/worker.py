"""The Django side of the benchmarks: `python -m bench.worker COMMAND [options]`.

Runs with the settings the environment names (bench/registry.py: Context.django_env)
against one database, and prints one JSON object as its last line of output.

    setup-agenda                 a Partnerskabsforum meeting with 40 items and 30 PDF
                                 attachments, sent (version 1 rendered and distributed)
    pdf --version-id N           time meetings.pdf.render_agenda_pdf(version, public=False)
    pack                         the agenda pack of 40 items with 30 attachments (PDF and
                                 DOCX): build time cold and warm, peak memory
    sweep --count N              N meetings with nothing due; time core.sweep.sweep_run
                                 and EXPLAIN the queries it makes on the meeting table
    approve --due N              on those meetings (built unless the database has them),
                                 minutes for every held meeting, N of them due for
                                 approval; time one sweep_run, verify what it wrote, time
                                 the sweep again with nothing due; EXPLAIN approve_due's query
    search --count N             N search documents; p95 of 200 Danish queries, EXPLAIN
                                 (bench/search_worker.py)
"""

import argparse
import importlib
import json
import os
import re
import statistics
import sys
import time
from datetime import date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))


def _django_setup() -> None:
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")
    django.setup()


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 3)


# --- Test data ----------------------------------------------------------------------------

PRESENTATION = (
    "Sekretariatet har på baggrund af drøftelserne i Den Tværkommunale Styregruppe samlet "
    "status for indsatsen i {area}. Boligorganisationerne og forvaltningerne har i perioden "
    "samarbejdet om helhedsplaner, tryghedsskabende initiativer og beskæftigelsesrettede "
    "tiltag, og der er udarbejdet en fælles oversigt over økonomi og tidsplan.\n\n"
    "Punktet forelægges med henblik på {purpose}. Der henvises til de vedlagte bilag for "
    "en nærmere gennemgang af resultater, udfordringer og de næste skridt."
)
RECOMMENDATION = (
    "Det indstilles, at Partnerskabsforum tager orienteringen til efterretning og drøfter de "
    "fremadrettede prioriteringer for {area}."
)
AREAS = [
    "Tingbjerg",
    "Mjølnerparken",
    "Bispeparken",
    "Akacieparken",
    "Lundtoftegade",
    "Urbanplanen",
    "Husumvold",
    "Folehaven",
]
PURPOSES = ["orientering", "drøftelse", "beslutning"]


def tiny_pdf(title: str, padding: int) -> bytes:
    """A small, valid one-page PDF; `padding` comment lines make the sizes differ."""
    text = title.encode("latin-1", "replace").replace(b"(", b"[").replace(b")", b"]")
    content = b"BT /F1 14 Tf 72 770 Td (" + text + b") Tj ET\n" + b"% bilag\n" * padding
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(content) + content + b"endstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def _may_day(today: date, notice_months: int) -> date:
    """A Tuesday in the middle of May, at least `notice_months` months (+ a week) ahead."""
    from dateutil.relativedelta import relativedelta

    earliest = today + relativedelta(months=notice_months) + timedelta(days=7)
    year = today.year
    while date(year, 5, 31) < earliest:
        year += 1
    day = max(date(year, 5, 12), earliest)
    while day.weekday() != 1:
        day += timedelta(days=1)
    assert day.month == 5, day
    return day


def setup_agenda(args) -> dict:
    _django_setup()
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone

    from accounts.models import User
    from config import celery_app
    from forums.models import Forum, Organisation
    from meetings import services
    from meetings.deadlines import TZ
    from meetings.models import AgendaItem, AgendaVersion, Attachment, Treatment

    # agenda_send queues the PDF rendering and the e-mails after commit: run them here.
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True

    started = time.perf_counter()
    actor = User.objects.filter(is_active=True, groups__name=settings.SECRETARIAT_GROUP).first()
    if actor is None:
        raise SystemExit("no secretariat user: run `manage.py seed_demo` first")
    forum = Forum.objects.get(slug="partnerskabsforum")
    administrations = list(Organisation.objects.filter(kind="administration").order_by("pk"))
    now = timezone.now()
    day = _may_day(timezone.localdate(now), forum.notice_months or 0)
    starts_at = datetime(day.year, day.month, day.day, 15, 0, tzinfo=TZ)
    meeting = services.meeting_schedule(
        actor=actor,
        forum=forum,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        title="Partnerskabsforum – forårsmødet",
        now=now,
    )
    standard = meeting.items.count()

    treatments = list(Treatment.values)
    attachments = 0
    closed = []
    for i in range(args.items):
        area = AREAS[i % len(AREAS)]
        title = f"Status på den boligsociale indsats i {area} ({i + 1})"
        # 30 attachments over 40 items: two on every fourth item, one on the next.
        n_files = {0: 2, 1: 1}.get(i % 4, 0) if attachments < args.attachments else 0
        files = [
            SimpleUploadedFile(
                f"Bilag {i + 1}.{k + 1} – {area}.pdf",
                tiny_pdf(f"Bilag {i + 1}.{k + 1}", padding=50 + 400 * ((i + k) % 5)),
                content_type="application/pdf",
            )
            for k in range(n_files)
        ]
        attachments += n_files
        is_closed = i % 8 == 7
        if is_closed:
            closed.append(title)
        services.agenda_item_save(
            actor=actor,
            item=AgendaItem(meeting=meeting),
            files=files,
            title=title,
            presentation=PRESENTATION.format(area=area, purpose=PURPOSES[i % 3]),
            recommendation=RECOMMENDATION.format(area=area) if i % 3 else "",
            treatment=treatments[i % len(treatments)],
            responsible=administrations[i % len(administrations)] if i % 5 else None,
            is_closed=is_closed,
        )
    built = time.perf_counter()

    version = services.agenda_send(actor=actor, meeting=meeting, now=now, grace_minutes=0)
    version = AgendaVersion.objects.get(pk=version.pk)
    if not version.pdf_rendered_at:  # the task did not run eagerly: render here
        version = services.agenda_version_render(version_id=version.pk)
    sent = time.perf_counter()

    return {
        "meeting_id": meeting.pk,
        "version_id": version.pk,
        "meeting_day": day.isoformat(),
        "items_added": args.items,
        "standard_items": standard,
        "items_total": len(version.items),
        # Open items; a closed one stands on the public page by its number alone.
        "public_items": sum(1 for item in version.public_items if not item.get("withheld")),
        "closed_titles": closed,
        "attachments": Attachment.objects.filter(item__meeting=meeting).count(),
        "pdf_rendered": bool(version.pdf_rendered_at),
        "public_pdf": bool(version.public_pdf),
        "build_seconds": round(built - started, 2),
        "send_seconds": round(sent - built, 2),
    }


# --- CPU per uncached render of the public agenda page ----------------------------------------


def _agenda_of(size: int, year_offset: int, actor, now) -> int:
    """A Partnerskabsforum meeting in May of a later year with `size` items (every eighth
    closed), its agenda sent with no grace period; its id. No attachments, no PDF (the
    render task is queued on the broker no worker reads): the page needs neither."""
    from django.utils import timezone

    from forums.models import Forum, Organisation
    from meetings import services
    from meetings.deadlines import TZ
    from meetings.models import AgendaItem

    forum = Forum.objects.get(slug="partnerskabsforum")
    administrations = list(Organisation.objects.filter(kind="administration").order_by("pk"))
    today = timezone.localdate(now)
    day = _may_day(today.replace(year=today.year + year_offset), forum.notice_months or 0)
    starts_at = datetime(day.year, day.month, day.day, 15, 0, tzinfo=TZ)
    meeting = services.meeting_schedule(
        actor=actor,
        forum=forum,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        now=now,
    )
    for i in range(size - meeting.items.count()):
        area = AREAS[i % len(AREAS)]
        services.agenda_item_save(
            actor=actor,
            item=AgendaItem(meeting=meeting),
            title=f"Status på den boligsociale indsats i {area} ({i + 1})",
            presentation=PRESENTATION.format(area=area, purpose=PURPOSES[i % 3]),
            recommendation=RECOMMENDATION.format(area=area) if i % 3 else "",
            responsible=administrations[i % len(administrations)],
            is_closed=i % 8 == 7,
        )
    services.agenda_send(actor=actor, meeting=meeting, now=now, grace_minutes=0)
    return meeting.pk


def render_cpu(args) -> dict:
    """CPU time (time.process_time, this process: Django and the SQLite driver) of one
    uncached GET of the public agenda page per size, through Django's test client (no
    server, no network), the cache cleared before every request; median of `runs`."""
    _django_setup()
    from django.conf import settings
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from accounts.models import User

    actor = User.objects.filter(is_active=True, groups__name=settings.SECRETARIAT_GROUP).first()
    if actor is None:
        raise SystemExit("no secretariat user: run `manage.py seed_demo` first")
    now = timezone.now()
    sizes = [int(n) for n in args.sizes.split(",")]
    client = Client(SERVER_NAME="127.0.0.1")
    result = {}
    for offset, size in enumerate(sizes, start=1):
        path = f"/moeder/{_agenda_of(size, offset, actor, now)}/"
        cpu, wall, queries, length = [], [], 0, 0
        for run in range(args.warmup + args.runs):
            for cache in caches.all():
                cache.clear()  # the page's copy and its stamps: every request renders
            started, cpu_started = time.perf_counter(), time.process_time()
            with CaptureQueriesContext(connection) as captured:
                response = client.get(path)
            cpu_used, wall_used = time.process_time() - cpu_started, time.perf_counter() - started
            if response.status_code != 200:
                raise SystemExit(f"GET {path}: HTTP {response.status_code}")
            if run >= args.warmup:
                cpu.append(cpu_used)
                wall.append(wall_used)
            queries, length = len(captured.captured_queries), len(response.content)
        result[str(size)] = {
            "path": path,
            "cpu_median_ms": _ms(statistics.median(cpu)),
            "wall_median_ms": _ms(statistics.median(wall)),
            "queries": queries,
            "bytes": length,
        }
    return result


# --- The agenda PDF -----------------------------------------------------------------------


def pdf(args) -> dict:
    _django_setup()
    from meetings.models import AgendaVersion
    from meetings.pdf import render_agenda_pdf

    version = AgendaVersion.objects.select_related("meeting__forum").get(pk=args.version_id)
    for _ in range(args.warmup):
        render_agenda_pdf(version, public=False)
    times, cpu_times, size = [], [], 0
    for _ in range(args.runs):
        started, cpu_started = time.perf_counter(), time.process_time()
        data = render_agenda_pdf(version, public=False)
        times.append(time.perf_counter() - started)
        cpu_times.append(time.process_time() - cpu_started)
        size = len(data)
    if not data.startswith(b"%PDF-"):
        raise SystemExit("render_agenda_pdf did not return a PDF")
    return {
        "items": len(version.items),
        "runs_ms": [_ms(t) for t in times],
        "median_ms": _ms(statistics.median(times)),
        "min_ms": _ms(min(times)),
        "cpu_median_ms": _ms(statistics.median(cpu_times)),
        "bytes": size,
    }


# --- The agenda pack ----------------------------------------------------------------------


def minimal_docx(text: str) -> bytes:
    """A small, real Word document (ECMA-376) with one paragraph per line of `text`."""
    import io
    import zipfile
    from xml.sax.saxutils import escape

    main = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
    body = "".join(f"<w:p><w:r><w:t>{escape(line)}</w:t></w:r></w:p>" for line in text.split("\n"))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.'
            'org/package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType'
            f'="application/xml"/><Override PartName="/word/document.xml" ContentType="{main}"/>'
            "</Types>",
        )
        archive.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.'
            'openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http:'
            '//schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" '
            'Target="word/document.xml"/></Relationships>',
        )
        archive.writestr(
            "word/document.xml",
            '<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.'
            f'openxmlformats.org/wordprocessingml/2006/main"><w:body>{body}</w:body></w:document>',
        )
    return buffer.getvalue()


def pack(args) -> dict:
    """A Partnerskabsforum meeting with `items` items and `attachments` attachments (every
    third a DOCX, the others PDFs), sent without building its pack; then
    meetings.services.agenda_pack_build timed cold (every DOCX through LibreOffice, tasks
    eager) and warm (the conversions cached), with the peak memory of this process
    (ru_maxrss), of the LibreOffice children (ru_maxrss of RUSAGE_CHILDREN) and of the
    Python heap during a third, untimed warm build (tracemalloc)."""
    import resource
    import tracemalloc

    _django_setup()
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone
    from pypdf import PdfReader

    from accounts.models import User
    from config import celery_app
    from forums.models import Forum, Organisation
    from meetings import services
    from meetings.deadlines import TZ
    from meetings.models import AgendaItem, AgendaVersion, AttachmentPdf

    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    actor = User.objects.filter(is_active=True, groups__name=settings.SECRETARIAT_GROUP).first()
    if actor is None:
        raise SystemExit("no secretariat user: run `manage.py seed_demo` first")
    forum = Forum.objects.get(slug="partnerskabsforum")
    responsible = Organisation.objects.filter(kind="administration").order_by("pk").first()
    now = timezone.now()
    day = _may_day(timezone.localdate(now), forum.notice_months or 0)
    starts_at = datetime(day.year, day.month, day.day, 15, 0, tzinfo=TZ)
    meeting = services.meeting_schedule(
        actor=actor, forum=forum, starts_at=starts_at, ends_at=starts_at + timedelta(hours=2)
    )
    made = docx_count = 0
    for i in range(args.items):
        area = AREAS[i % len(AREAS)]
        files = []
        for k in range({0: 2, 1: 1}.get(i % 4, 0) if made < args.attachments else 0):
            made += 1
            text = f"Bilag {i + 1}.{k + 1} – {area}\n" + PRESENTATION.format(
                area=area, purpose="drøftelse"
            )
            if made % 3 == 0:
                docx_count += 1
                files.append(SimpleUploadedFile(f"Bilag {i + 1}.{k + 1}.docx", minimal_docx(text)))
            else:
                pdf_bytes = tiny_pdf(f"Bilag {i + 1}.{k + 1}", padding=50 + 400 * (i % 5))
                files.append(SimpleUploadedFile(f"Bilag {i + 1}.{k + 1}.pdf", pdf_bytes))
        services.agenda_item_save(
            actor=actor,
            item=AgendaItem(meeting=meeting),
            files=files,
            title=f"Status på den boligsociale indsats i {area} ({i + 1})",
            presentation=PRESENTATION.format(area=area, purpose=PURPOSES[i % 3]),
            treatment="discussion",
            responsible=responsible,
            is_closed=i % 8 == 7,
        )
    queue_pack = services._queue_pack
    services._queue_pack = lambda version_id: None  # timed below instead
    try:
        version = services.agenda_send(actor=actor, meeting=meeting, grace_minutes=0)
    finally:
        services._queue_pack = queue_pack

    started = time.perf_counter()
    services.agenda_pack_build(version_id=version.pk)
    cold = time.perf_counter() - started
    version = AgendaVersion.objects.get(pk=version.pk)
    if not version.pack_built_at:
        raise SystemExit("the pack was not built")
    AgendaVersion.objects.filter(pk=version.pk).update(pack_built_at=None)
    started = time.perf_counter()
    services.agenda_pack_build(version_id=version.pk)
    warm = time.perf_counter() - started
    # The heap in a third, untimed build: tracemalloc slows Python down several times.
    AgendaVersion.objects.filter(pk=version.pk).update(pack_built_at=None)
    tracemalloc.start()
    services.agenda_pack_build(version_id=version.pk)
    _current, heap_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    version = AgendaVersion.objects.get(pk=version.pk)
    with version.pack.open("rb") as handle:
        pages = len(PdfReader(handle).pages)
    return {
        "items": len(version.items),
        "attachments": made,
        "docx": docx_count,
        "converted": AttachmentPdf.objects.filter(status="done").count(),
        "failed": AttachmentPdf.objects.filter(status="failed").count(),
        "pages": pages,
        "bytes": version.pack.size,
        "public_bytes": version.public_pack.size if version.public_pack else 0,
        "cold_ms": _ms(cold),
        "warm_ms": _ms(warm),
        "warm_heap_peak_mb": round(heap_peak / 1024 / 1024, 1),
        "self_maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "children_maxrss_mb": round(
            resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1
        ),
    }


# --- The sweep ----------------------------------------------------------------------------


SENT_FOR_DEADLINE = {
    "proposal": "proposals_close_at",
    "agenda": "agenda_due_at",
    "minutes": "minutes_due_at",
}


def _populate(count: int, now: datetime, planned_share: float, cancelled_share: float) -> dict:
    from django.db import connection, transaction

    from forums.models import Forum
    from meetings import deadlines
    from meetings.models import Meeting

    forums = list(Forum.objects.order_by("position"))
    planned = int(count * planned_share)
    cancelled = int(count * cancelled_share)
    held = count - planned - cancelled
    first = datetime(2010, 9, 1, 14, 0, tzinfo=deadlines.TZ)
    past_span = (now - timedelta(days=30)) - first
    future_start = now + timedelta(days=60)  # every deadline ≥ 39 days away
    future_span = timedelta(days=6 * 365)

    # Every "<deadline>_..._sent_for" column records which deadline its reminder or alert
    # was sent for. Past meetings had theirs sent (the state one sweep leaves behind);
    # the future ones are armed but not due.
    sent_for = {}
    for name in (f.name for f in Meeting._meta.concrete_fields if f.name.endswith("_sent_for")):
        deadline = SENT_FOR_DEADLINE.get(name.split("_", 1)[0])
        if deadline is None:
            raise SystemExit(f"bench/worker.py: which deadline does Meeting.{name} follow?")
        sent_for[name] = deadline

    def meeting(i: int, starts_at: datetime, status: str) -> Meeting:
        forum = forums[i % len(forums)]
        day = deadlines.local_day(starts_at)
        due = {
            "proposals_close_at": deadlines.proposals_close(forum, day),
            "agenda_due_at": deadlines.agenda_due(forum, day),
            "minutes_due_at": deadlines.minutes_due(forum, day),
        }
        past = status != Meeting.Status.PLANNED
        return Meeting(
            forum=forum,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
            place=forum.default_place or "Rådhuset",
            status=status,
            uid=f"bench-{i}@faellesindgang",
            agenda_sent_at=due["agenda_due_at"] if status == Meeting.Status.HELD else None,
            cancelled_at=starts_at - timedelta(days=30) if status == "cancelled" else None,
            **due,
            **{name: due[deadline] if past else None for name, deadline in sent_for.items()},
        )

    def rows():
        for i in range(held):
            yield meeting(i, first + past_span * (i / held), Meeting.Status.HELD)
        for j in range(cancelled):
            yield meeting(held + j, first + past_span * (j / max(cancelled, 1)), "cancelled")
        for k in range(planned):
            starts_at = future_start + future_span * (k / max(planned, 1))
            yield meeting(held + cancelled + k, starts_at, Meeting.Status.PLANNED)

    started = time.perf_counter()
    batch: list = []
    with transaction.atomic():
        for row in rows():
            batch.append(row)
            if len(batch) == 5000:
                Meeting.objects.bulk_create(batch)
                batch = []
        if batch:
            Meeting.objects.bulk_create(batch)
    created = time.perf_counter() - started
    analyzed = False
    if connection.vendor == "postgresql":
        # What autovacuum does after a bulk load: give the planner its statistics.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {Meeting._meta.db_table}")
        analyzed = True
    return {
        "meetings": Meeting.objects.count(),
        "held": held,
        "cancelled": cancelled,
        "planned": planned,
        "create_seconds": round(created, 2),
        "analyzed": analyzed,
    }


def _explain(sql: str, table: str | None = None) -> dict:
    """The plan of one captured query; which of `table`'s indexes it uses (the meeting
    table unless told), and whether it reads that table only through indexes (no
    sequential scan of it)."""
    from django.db import connection

    from meetings.models import Meeting

    table = table or Meeting._meta.db_table
    with connection.cursor() as cursor:
        indexes = [
            name
            for name, info in connection.introspection.get_constraints(cursor, table).items()
            if info["index"] or info["primary_key"] or info["unique"]
        ]
        if connection.vendor == "postgresql":
            analyze = "ANALYZE, " if sql.lstrip().upper().startswith("SELECT") else ""
            cursor.execute(f"EXPLAIN ({analyze}COSTS off) {sql}")
            plan = [row[0] for row in cursor.fetchall()]
            scans_table = any(f"Seq Scan on {table}" in line for line in plan)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            plan = [row[-1] for row in cursor.fetchall()]
            scans_table = any(
                line.startswith(f"SCAN {table}") and "INDEX" not in line for line in plan
            )
    text = "\n".join(plan)
    used = [name for name in indexes if name in text]
    return {"plan": plan, "indexes": used, "uses_index": bool(used) and not scans_table}


def sweep(args) -> dict:
    _django_setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from django.utils.module_loading import import_string

    from core.sweep import SWEEP_STEPS, sweep_run
    from meetings.models import Meeting

    now = timezone.now()
    populated = _populate(args.count, now, args.planned_share, args.cancelled_share)
    if getattr(args, "outbox_sent", 0):
        populated["outbox_sent"] = _add_sent_outbox(args.outbox_sent, now)

    def check(report: dict) -> None:
        for step, result in report.items():
            if "error" in result:
                raise SystemExit(f"sweep step {step} failed: {result['error']}")
            if any(result.values()):
                raise SystemExit(f"something was due: {step} -> {result}")

    for _ in range(args.warmup):
        check(sweep_run(now=now))
    times = []
    for _ in range(args.runs):
        started = time.perf_counter()
        report = sweep_run(now=now)
        times.append(time.perf_counter() - started)
        check(report)

    # Each step on its own: its share of the time, and the queries it makes.
    steps, plans = {}, []
    table = Meeting._meta.db_table
    for path in SWEEP_STEPS:
        step = import_string(path)
        step_times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            step(now=now)
            step_times.append(time.perf_counter() - started)
        with CaptureQueriesContext(connection) as captured:
            step(now=now)
        steps[path] = {
            "median_ms": _ms(statistics.median(step_times)),
            "queries": len(captured.captured_queries),
        }
        if getattr(args, "reads", False):
            reads: dict[str, int | None] = {}
            for query in captured.captured_queries:
                if query["sql"].lstrip().upper().startswith("SELECT"):
                    for table, read in _reads(query["sql"]).items():
                        reads[table] = (reads.get(table) or 0) + (read["rows"] or 0)
            steps[path]["rows_read"] = reads
        for query in captured.captured_queries:
            sql = query["sql"]
            reads_meetings = f'FROM "{table}"' in sql or sql.startswith(f'UPDATE "{table}"')
            if reads_meetings and sql.lstrip().upper().startswith(("SELECT", "UPDATE")):
                plans.append({"step": path, "sql": sql, **_explain(sql)})

    return {
        "vendor": connection.vendor,
        "populate": populated,
        "runs_ms": [_ms(t) for t in times],
        "median_ms": _ms(statistics.median(times)),
        "min_ms": _ms(min(times)),
        "steps": steps,
        "plans": plans,
    }


def _add_sent_outbox(count: int, now) -> dict:
    """`count` outbox rows already sent (years of mail), written by one INSERT … SELECT
    generate_series on PostgreSQL, then ANALYZE (as autovacuum would)."""
    from django.db import connection

    from notifications.models import OutboxMessage

    if connection.vendor != "postgresql":
        raise SystemExit("--outbox-sent needs PostgreSQL")
    table = OutboxMessage._meta.db_table
    started = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO "{table}" (key, kind, recipient, subject, body_text, body_html,
                object_id, status, attempts, last_error, created_at, first_attempt_at,
                sent_at)
            SELECT 'bench-sent-' || n, 'agenda_sent', 'medlem' || mod(n, 500) || '@example.org',
                'Dagsorden', 'Dagsordenen er udsendt.', '', '', %s, 1, '',
                %s - (n || ' minutes')::interval, %s - (n || ' minutes')::interval,
                %s - (n || ' minutes')::interval
            FROM generate_series(1, %s) AS n""",
            [OutboxMessage.Status.SENT, now, now, now, count],
        )
        cursor.execute(f'ANALYZE "{table}"')
    return {"rows": count, "create_seconds": round(time.perf_counter() - started, 1)}


# --- Approval of due minutes ------------------------------------------------------------------

MEMBERS_SINCE = date(2010, 8, 1)


def _existing_meetings() -> dict:
    """What a database built by `_populate` (e.g. by the sweep benchmark) holds."""
    from django.db.models import Count

    from meetings.models import Meeting

    by_status = dict(Meeting.objects.values_list("status").annotate(n=Count("pk")))
    return {
        "meetings": sum(by_status.values()),
        "held": by_status.get(Meeting.Status.HELD, 0),
        "cancelled": by_status.get(Meeting.Status.CANCELLED, 0),
        "planned": by_status.get(Meeting.Status.PLANNED, 0),
        "create_seconds": 0,
        "analyzed": False,
    }


def _add_members(per_forum: int) -> dict:
    """The forums' people (the migrations seed forums and seats, no one in them): one
    secretariat person in every forum, and up to `per_forum` members with e-mail
    addresses in the free places of each forum's seats (holders first, then substitutes:
    what forums.rules allows). Returns, per forum, the members added and the recipients
    of its e-mails (forum_people with an address, included forums' members too)."""
    from forums.models import Forum, Membership, Organisation, Person
    from forums.rules import membership_errors
    from meetings.selectors import forum_people

    secretariat = Person.objects.create(
        name="Sekretariatet",
        title="Fuldmægtig",
        organisation=Organisation.objects.filter(kind="administration").order_by("pk").first(),
        email="sekretariat@bench.example.org",
    )
    for forum in Forum.objects.all():
        Membership.objects.create(
            person=secretariat,
            forum=forum,
            role=Membership.Role.SECRETARIAT,
            starts_on=MEMBERS_SINCE,
        )
    result = {}
    for forum in Forum.objects.order_by("position"):
        added = 0
        for seat in forum.seats.order_by("position", "pk"):
            for role, limit in (
                (Membership.Role.MEMBER, seat.max_holders),
                (Membership.Role.SUBSTITUTE, seat.max_substitutes),
            ):
                roles = Membership.HOLDER_ROLES if role == Membership.Role.MEMBER else [role]
                taken = seat.memberships.current().filter(role__in=roles).count()
                for _ in range(max(0, min(limit - taken, per_forum - added))):
                    added += 1
                    person = Person.objects.create(
                        name=f"{AREAS[added % len(AREAS)]}-repræsentant {forum.pk}.{added}",
                        title="Medlem" if role == Membership.Role.MEMBER else "Suppleant",
                        organisation=seat.organisation,
                        email=f"{forum.slug}.{added}@bench.example.org",
                    )
                    membership = Membership(
                        person=person, forum=forum, seat=seat, role=role, starts_on=MEMBERS_SINCE
                    )
                    errors = membership_errors(membership)
                    if errors:
                        raise SystemExit(f"bench/worker.py: invalid membership: {errors}")
                    membership.save()
        people = forum_people(forum)
        result[forum.slug] = {
            "forum_id": forum.pk,
            "added": added,
            "people": len(people),
            "recipients": sum(1 for p in people if p.email),
        }
    return result


def _add_minutes(due: int, now: datetime) -> dict:
    """Minutes for every held meeting: the `due` most recent ones sent for comments with a
    window that has closed (due for approval), the rest approved long ago (history)."""
    from django.db import connection, transaction

    from meetings import deadlines
    from meetings.models import Meeting
    from minutes.models import Minutes, MinutesItem, MinutesVersion

    if Minutes.objects.exists():
        raise SystemExit("bench/worker.py: the database already holds minutes")
    started = time.perf_counter()
    meetings = list(
        Meeting.objects.filter(status=Meeting.Status.HELD)
        .select_related("forum")
        .order_by("-starts_at")[:due]
    )
    if len(meetings) < due:
        raise SystemExit(f"bench/worker.py: only {len(meetings)} held meetings")
    rows = []
    for meeting in meetings:
        sent_day = deadlines.local_day(meeting.starts_at) + timedelta(days=3)
        sent_at = datetime(sent_day.year, sent_day.month, sent_day.day, 10, tzinfo=deadlines.TZ)
        closes = deadlines.comment_window_closes(meeting.forum, sent_day)
        if not meeting.ends_at < sent_at < closes < now:
            raise SystemExit(f"bench/worker.py: the window of meeting {meeting.pk} is not closed")
        rows.append(
            Minutes(
                meeting=meeting,
                status=Minutes.Status.SENT,
                introduction="Mødet blev afholdt som planlagt.",
                sent_at=sent_at,
                comments_close_at=closes,
                member_reminder_sent_for=closes,  # the reminder a sweep sent 3 days before
            )
        )
    with transaction.atomic():
        sets = Minutes.objects.bulk_create(rows)
        items, versions = [], []
        for i, minutes in enumerate(sets):
            area = AREAS[i % len(AREAS)]
            texts = [("Godkendelse af dagsorden", "", "Dagsordenen blev godkendt.")]
            if i % 2 == 0:
                texts.append(
                    (
                        f"Status på den boligsociale indsats i {area}",
                        PRESENTATION.format(area=area, purpose="drøftelse")[:400],
                        "Forummet tog orienteringen til efterretning.",
                    )
                )
            snapshot_items = []
            for position, (title, summary, decision) in enumerate(texts, start=1):
                items.append(
                    MinutesItem(
                        minutes=minutes,
                        position=position,
                        title=title,
                        summary=summary,
                        decision=decision,
                    )
                )
                snapshot_items.append(
                    {
                        "id": None,
                        "position": position,
                        "title": title,
                        "is_closed": False,
                        "summary": summary,
                        "decision": decision,
                        "actions": [],
                    }
                )
            versions.append(
                MinutesVersion(
                    minutes=minutes,
                    number=1,
                    snapshot={
                        "introduction": minutes.introduction,
                        "attendance": [],
                        "items": snapshot_items,
                    },
                    # Rendered and e-mailed when it was sent: versions_catch_up skips it.
                    pdf=f"minutes/referat-bench-{minutes.pk}-v1.pdf",
                    distributed_at=minutes.sent_at,
                )
            )
        MinutesItem.objects.bulk_create(items)
        MinutesVersion.objects.bulk_create(versions)

        # History, set-based (bulk_create of ~100,000 rows costs a minute of Python): every
        # other held meeting's minutes were sent after the meeting and approved at its
        # minutes deadline, each with version 1 and a final version, PDFs rendered. In the
        # order the application writes them, since approved minutes take no new draft
        # version (the triggers of minutes migration 0004): sent with version 1, approved,
        # then the final version. `approved_at` marks the history rows until then.
        minutes_table = Minutes._meta.db_table
        version_table = MinutesVersion._meta.db_table
        with connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {minutes_table} (meeting_id, status, introduction, lock_version, "
                "sent_at, comments_close_at, approved_at, approval_recorded_at, "
                "member_reminder_sent_for, created_at, updated_at) "
                "SELECT m.id, %s, '', 0, m.ends_at, m.minutes_due_at, m.minutes_due_at, "
                "m.minutes_due_at, m.minutes_due_at, m.ends_at, m.minutes_due_at "
                f"FROM {Meeting._meta.db_table} m WHERE m.status = %s AND NOT EXISTS "
                f"(SELECT 1 FROM {minutes_table} x WHERE x.meeting_id = m.id)",
                [Minutes.Status.SENT, Meeting.Status.HELD],
            )
            history = cursor.rowcount
            history_rows = f"FROM {minutes_table} WHERE approved_at IS NOT NULL AND status = %s"
            for is_final, created, distributed, status in (
                (False, "sent_at", "sent_at", Minutes.Status.SENT),
                (True, "approval_recorded_at", "NULL", Minutes.Status.APPROVED),
            ):
                if is_final:
                    cursor.execute(
                        f"UPDATE {minutes_table} SET status = %s "
                        "WHERE approved_at IS NOT NULL AND status = %s",
                        [Minutes.Status.APPROVED, Minutes.Status.SENT],
                    )
                cursor.execute(
                    f"INSERT INTO {version_table} (minutes_id, number, is_final, change_note, "
                    "snapshot, pdf, public_pdf, created_at, distributed_at) "
                    f"SELECT id, 1, %s, '', '{{}}', 'minutes/referat-bench-historik.pdf', '', "
                    f"{created}, {distributed} {history_rows}",
                    [is_final, status],
                )
    built = time.perf_counter() - started
    by_forum: dict[int, int] = {}
    for meeting in meetings:
        by_forum[meeting.forum_id] = by_forum.get(meeting.forum_id, 0) + 1
    analyzed = False
    if connection.vendor == "postgresql":
        tables = [
            Minutes._meta.db_table,
            MinutesItem._meta.db_table,
            MinutesVersion._meta.db_table,
            "forums_membership",
            "forums_person",
        ]
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {', '.join(tables)}")
        analyzed = True
    return {
        "due_ids": [m.pk for m in sets],
        "due": len(sets),
        "due_by_forum": by_forum,
        "items": len(items),
        "history": history,
        "minutes": Minutes.objects.count(),
        "versions": MinutesVersion.objects.count(),
        "first_meeting": deadlines.local_day(meetings[-1].starts_at).isoformat(),
        "last_meeting": deadlines.local_day(meetings[0].starts_at).isoformat(),
        "closes_from": min(r.comments_close_at for r in rows).isoformat(),
        "closes_to": max(r.comments_close_at for r in rows).isoformat(),
        "build_seconds": round(built, 2),
        "analyzed": analyzed,
    }


class _Timed:
    """Wraps module attributes to add up the calls' number and wall time (`restore()`)."""

    def __init__(self):
        self.totals: dict[str, list] = {}
        self._undo: list = []

    def wrap(self, module, attribute: str, label: str) -> None:
        """Time `module.attribute` under `label` where the module has it (the services
        import what they call by name: wrap every module through which it is called)."""
        total = self.totals.setdefault(label, [0, 0.0])
        original = getattr(module, attribute, None)
        if original is None:
            return

        def timed(*args, **kwargs):
            started = time.perf_counter()
            try:
                return original(*args, **kwargs)
            finally:
                total[0] += 1
                total[1] += time.perf_counter() - started

        setattr(module, attribute, timed)
        self._undo.append((module, attribute, original))

    def restore(self) -> None:
        for module, attribute, original in reversed(self._undo):
            setattr(module, attribute, original)
        self._undo = []


def _reads(sql: str) -> dict[str, dict]:
    """The rows one SELECT reads per table. PostgreSQL: EXPLAIN ANALYZE, adding up what
    each scan node returned and removed by its filter (a full index scan with a filter
    reads as much as a sequential scan). SQLite has no actual figures: a table it SCANs
    (with or without an index) counts with all its rows, a SEARCH as None. Per table:
    {"rows": ..., "how": the scan nodes}."""
    import json as _json

    from django.db import connection

    reads: dict[str, int | None] = {}
    hows: dict[str, list[str]] = {}
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (ANALYZE, COSTS off, FORMAT JSON) {sql}")
            raw = cursor.fetchone()[0]
            plan = (_json.loads(raw) if isinstance(raw, str) else raw)[0]["Plan"]
            stack = [plan]
            while stack:
                node = stack.pop()
                stack.extend(node.get("Plans", []))
                table = node.get("Relation Name")
                if table and "Scan" in node["Node Type"]:
                    rows = node.get("Actual Rows", 0) + node.get("Rows Removed by Filter", 0)
                    rows += node.get("Rows Removed by Index Recheck", 0)
                    reads[table] = (reads.get(table) or 0) + rows * node.get("Actual Loops", 1)
                    how = node["Node Type"]
                    if node.get("Index Name"):
                        how += f" using {node['Index Name']}"
                        how += "" if node.get("Index Cond") else " (no Index Cond: all of it)"
                    hows.setdefault(table, []).append(how)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}")
            for row in cursor.fetchall():
                words = row[-1].split()
                if len(words) > 1 and words[0] in {"SCAN", "SEARCH"}:
                    table = words[1]
                    hows.setdefault(table, []).append(row[-1])
                    if words[0] == "SEARCH":
                        reads.setdefault(table, None)
                    else:
                        cursor.execute(f'SELECT COUNT(*) FROM "{table}"')
                        reads[table] = cursor.fetchone()[0]
    return {table: {"rows": rows, "how": "; ".join(hows[table])} for table, rows in reads.items()}


def _backend_cpu_seconds() -> float | None:
    """CPU time of this connection's PostgreSQL backend process (from /proc, where the
    server runs on this machine as a user whose processes we may read); else None."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        with open(f"/proc/{pid}/stat") as handle:
            stat = handle.read()
    except OSError:
        return None
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _profile_approvals(minutes_ids: list[int], now: datetime, top: int = 25) -> list[str]:
    """cProfile of the sweep's approval path (minutes_approve_many, in batches of
    APPROVE_BATCH) for `minutes_ids`, in a transaction rolled back afterwards (nothing stays
    approved, nothing is queued): the top functions by their own time, and the project's
    by cumulative time, as printable lines."""
    import cProfile
    import io
    import pstats

    from django.db import transaction

    from minutes.services import APPROVE_BATCH, minutes_approve_many

    profiler = cProfile.Profile()
    with transaction.atomic():
        profiler.enable()
        for start in range(0, len(minutes_ids), APPROVE_BATCH):
            minutes_approve_many(minutes_ids=minutes_ids[start : start + APPROVE_BATCH], now=now)
        profiler.disable()
        transaction.set_rollback(True)
    here = str(Path(__file__).resolve().parent.parent)

    def table(sort: str, *restrictions) -> list[str]:
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.sort_stats(sort).print_stats(*restrictions)
        lines = out.getvalue().splitlines()
        start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
        return [line.replace(here + "/", "") for line in lines[start:] if line.strip()]

    head = f"cProfile of approving {len(minutes_ids)} sets (rolled back)"
    return [
        f"{head}, by own time:",
        *table("tottime", top),
        f"{head}, the project's functions by cumulative time:",
        *table("cumulative", rf"^{re.escape(here)}/(?!\.venv)", top),
    ]


def approve(args) -> dict:
    _django_setup()
    from django.conf import settings
    from django.db import connection
    from django.db.models import F
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone
    from django.utils.module_loading import import_string

    import core.queue
    import minutes.services
    import notifications.services
    from config import celery_app
    from core.models import AuditEntry
    from core.sweep import SWEEP_STEPS, sweep_run
    from meetings.models import Meeting
    from minutes.models import Minutes, MinutesVersion
    from notifications.models import OutboxMessage

    # The final PDFs are rendered by Celery workers after commit: the sweep only queues
    # them. Queue on an in-memory broker that no worker reads, never eagerly.
    broker = settings.CELERY_BROKER_URL
    if celery_app.conf.task_always_eager or not broker.startswith("memory://"):
        raise SystemExit(
            f"bench/worker.py: Celery must be lazy on memory:// (eager="
            f"{celery_app.conf.task_always_eager}, broker={broker})"
        )

    reused = Meeting.objects.exists()
    now = timezone.now()
    if reused:
        populated = _existing_meetings()
    else:
        populated = _populate(args.count, now, args.planned_share, args.cancelled_share)
    # Not seed_demo: its demo meetings, minutes and agreements would be due too.
    members = _add_members(args.members)
    built = _add_minutes(args.due, now)
    due_ids = built.pop("due_ids")
    recipients = {info["forum_id"]: info["recipients"] for info in members.values()}
    expected_outbox = sum(recipients[f] * n for f, n in built["due_by_forum"].items())

    minutes_table = Minutes._meta.db_table

    def due_query(at: datetime) -> tuple[str, int]:
        # The query approve_due makes (minutes/services/versions.py), without approving anything.
        qs = (
            Minutes.objects.filter(status=Minutes.Status.SENT, comments_close_at__lt=at)
            .order_by("comments_close_at")
            .values_list("pk", flat=True)
        )
        with CaptureQueriesContext(connection) as captured:
            found = len(list(qs))
        return captured.captured_queries[-1]["sql"], found

    def due_query_plan(at: datetime) -> dict:
        sql, found = due_query(at)
        return {"rows": found, "sql": sql, **_explain(sql, minutes_table)}

    plan_before = due_query_plan(now)
    profile = _profile_approvals(due_ids[: args.profile], now) if args.profile else []
    outbox_before = OutboxMessage.objects.count()
    audit_before = AuditEntry.objects.filter(action="minutes.approve").count()

    # --- The sweep with 1,000 sets due -------------------------------------------------------
    # Where the time goes: each wrapped function is called through exactly one of the
    # modules listed for it; e-mail rendering is part of outbox_enqueue.
    timed = _Timed()
    # minutes.services is a package: its functions call each other through its modules.
    minutes_modules = [
        importlib.import_module(f"minutes.services.{name}")
        for name in ("_common", "drafting", "versions", "comments", "reminders")
    ]
    for module in (notifications.services, *minutes_modules):
        timed.wrap(module, "outbox_enqueue", "outbox_enqueue")
    timed.wrap(notifications.services, "render_email", "render_email")
    timed.wrap(minutes.services.versions, "_final_versions", "final_versions")
    timed.wrap(minutes.services.versions, "audit_record_many", "audit_record_many")
    for module in (core.queue, notifications.services, *minutes_modules):
        timed.wrap(module, "send_task", "send_task")
    queries = [0]

    def count_queries(execute, sql, params, many, context):
        queries[0] += 1
        return execute(sql, params, many, context)

    backend_started = _backend_cpu_seconds()
    cpu_started = time.process_time()
    started = time.perf_counter()
    try:
        with connection.execute_wrapper(count_queries):
            report = sweep_run(now=now)
    finally:
        timed.restore()
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    backend_finished = _backend_cpu_seconds()
    backend_cpu = (
        backend_finished - backend_started
        if backend_started is not None and backend_finished is not None
        else None
    )

    def problems(report: dict) -> dict:
        return {step: r for step, r in report.items() if "error" in r}

    def busy(report: dict) -> dict:
        return {step: r for step, r in report.items() if any(r.values()) and "error" not in r}

    if problems(report):
        raise SystemExit(f"sweep step failed: {problems(report)}")

    final = MinutesVersion.objects.filter(minutes_id__in=due_ids, is_final=True)
    verify = {
        "approved_reported": report["minutes.services.approve_due"]["approved"],
        "approved": Minutes.objects.filter(
            pk__in=due_ids, status=Minutes.Status.APPROVED, approved_at=F("comments_close_at")
        ).count(),
        "final_versions": final.count(),
        "final_pdfs_rendered": final.exclude(pdf="").count(),
        # The approval e-mails are written by the queued task, with the final PDF
        # (minutes_version_render): none by the sweep itself, one task queued per set.
        "outbox_rows": OutboxMessage.objects.count() - outbox_before,
        "outbox_approved_rows": OutboxMessage.objects.filter(kind="minutes_approved").count(),
        "outbox_expected": expected_outbox,
        "tasks_queued": timed.totals["send_task"][0],
        "audit_entries": AuditEntry.objects.filter(action="minutes.approve").count() - audit_before,
    }
    failed = [
        name
        for name, ok in {
            "approved (reported)": verify["approved_reported"] == built["due"],
            "approved (stored, at the window's close)": verify["approved"] == built["due"],
            "final versions": verify["final_versions"] == built["due"],
            "outbox rows (none before the PDF)": verify["outbox_rows"] == 0,
            "one task queued per set": verify["tasks_queued"] == built["due"],
            "audit entries": verify["audit_entries"] == built["due"],
        }.items()
        if not ok
    ]

    # --- Right after: nothing is due ------------------------------------------------------
    later = timezone.now()
    started = time.perf_counter()
    second = sweep_run(now=later)
    second_ms = _ms(time.perf_counter() - started)
    if problems(second):
        raise SystemExit(f"sweep step failed: {problems(second)}")
    if second["minutes.services.approve_due"]["approved"] != 0:
        failed.append("second sweep approved minutes")
    runs = []
    for _ in range(args.runs):
        started = time.perf_counter()
        sweep_run(now=later)
        runs.append(time.perf_counter() - started)
    # Each step on its own: its time, and the rows its queries read per table.
    steps, reads = {}, []
    for path in SWEEP_STEPS:
        step = import_string(path)
        step_times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            step(now=later)
            step_times.append(time.perf_counter() - started)
        steps[path] = _ms(statistics.median(step_times))
        with CaptureQueriesContext(connection) as captured:
            step(now=later)
        for query in captured.captured_queries:
            if query["sql"].lstrip().upper().startswith("SELECT"):
                for table, read in _reads(query["sql"]).items():
                    reads.append({"step": path, "table": table, **read})

    # Now that nothing is due, approve_due can run on its own: EXPLAIN the query it makes,
    # and make sure the one EXPLAINed before the sweep was the same.
    with CaptureQueriesContext(connection) as captured:
        minutes.services.approve_due(now=later)
    own_sql = captured.captured_queries[0]["sql"]
    plan_after = {"rows": 0, "sql": own_sql, **_explain(own_sql, minutes_table)}
    if due_query(later)[0] != own_sql:
        failed.append("the query EXPLAINed before the sweep is not approve_due's")

    return {
        "vendor": connection.vendor,
        "reused": reused,
        "populate": populated,
        "members": members,
        "minutes": built,
        "broker": broker,
        "eager": bool(celery_app.conf.task_always_eager),
        "sweep_ms": _ms(elapsed),
        "sweep_cpu_ms": _ms(cpu),
        "backend_cpu_ms": _ms(backend_cpu) if backend_cpu is not None else None,
        "queries": queries[0],
        "breakdown": {k: {"calls": n, "ms": _ms(t)} for k, (n, t) in timed.totals.items()},
        "busy_steps": busy(report),
        "verify": verify,
        "failed": failed,
        "second_ms": second_ms,
        "second_busy": busy(second),
        "runs_ms": [_ms(t) for t in runs],
        "median_ms": _ms(statistics.median(runs)),
        "steps": steps,
        "reads": reads,
        "plan_before": plan_before,
        "plan_after": plan_after,
        "profile": profile,
    }


def _search(args) -> dict:
    from bench.search_worker import search_bench

    _django_setup()
    return search_bench(args)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.worker")
    sub = parser.add_subparsers(dest="command", required=True)
    p = sub.add_parser("setup-agenda")
    p.add_argument("--items", type=int, default=40)
    p.add_argument("--attachments", type=int, default=30)
    p.set_defaults(fn=setup_agenda)
    p = sub.add_parser("render-cpu")
    p.add_argument("--sizes", default="10,40,160", help="items per agenda")
    p.add_argument("--runs", type=int, default=15)
    p.add_argument("--warmup", type=int, default=3)
    p.set_defaults(fn=render_cpu)
    p = sub.add_parser("pdf")
    p.add_argument("--version-id", type=int, required=True)
    p.add_argument("--runs", type=int, default=3)
    p.add_argument("--warmup", type=int, default=1)
    p.set_defaults(fn=pdf)
    p = sub.add_parser("pack")
    p.add_argument("--items", type=int, default=40)
    p.add_argument("--attachments", type=int, default=30)
    p.set_defaults(fn=pack)
    p = sub.add_parser("sweep")
    p.add_argument("--count", type=int, default=100_000)
    p.add_argument("--planned-share", type=float, default=0.02)
    p.add_argument("--cancelled-share", type=float, default=0.01)
    p.add_argument("--runs", type=int, default=9)
    p.add_argument("--warmup", type=int, default=2)
    p.add_argument("--outbox-sent", type=int, default=0, help="sent outbox rows to add first")
    p.add_argument("--reads", action="store_true", help="rows each step reads (EXPLAIN)")
    p.set_defaults(fn=sweep)
    p = sub.add_parser("approve")
    p.add_argument("--count", type=int, default=100_000, help="meetings, unless already there")
    p.add_argument("--planned-share", type=float, default=0.02)
    p.add_argument("--cancelled-share", type=float, default=0.01)
    p.add_argument("--due", type=int, default=1000, help="sets of minutes due for approval")
    p.add_argument("--members", type=int, default=8, help="members added to each forum")
    p.add_argument("--runs", type=int, default=5, help="nothing-due sweeps afterwards")
    p.add_argument("--profile", type=int, default=0, help="cProfile this many approvals first")
    p.set_defaults(fn=approve)
    p = sub.add_parser("search")
    p.add_argument("--count", type=int, default=100_000, help="search documents")
    p.add_argument("--queries", type=int, default=200, help="timed queries")
    p.set_defaults(fn=_search)
    args = parser.parse_args(argv)
    result = args.fn(args)
    print(json.dumps(result, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
