"""The registered benchmarks. Each returns the figures for the final table.

page-sqlite      the public agenda page under load, gunicorn on SQLite
page-postgres    the same on PostgreSQL
agenda-pdf       meetings.pdf.render_agenda_pdf for the same 40-item agenda
render-cpu       CPU time per uncached public agenda render, 10, 40 and 160 items, and
                 the ratio 160/10 (linear growth at most)
sweep-postgres   core.sweep.sweep_run over 100,000 meetings with nothing due, EXPLAIN
sweep-sqlite     the same on SQLite
approve-postgres sweep_run with 1,000 sets of minutes due for approval (same 100,000
                 meetings), then again with nothing due; EXPLAIN of the due-minutes query
approve-sqlite   the same on SQLite
sweep-outbox     the nothing-due sweep after 1,000,000 sent outbox rows: time, rows per step
page-floor       the agenda page against a bare Django view returning the same bytes
                 under the same gunicorn, alternating rounds: cached and uncached ratio,
                 p50/p95, 304 rate, compressed page weight, load average
search-postgres  100,000 search documents, p95 of 200 Danish queries, EXPLAIN (GIN index)
agenda-pack      the agenda pack of 40 items with 30 attachments (PDF and DOCX): build time
                 cold and warm, peak memory (printed, not asserted)
"""

import gzip
import os
import re

from bench.load import children_cpu_seconds, fetch, gunicorn, load
from bench.registry import BenchError, Context, Figure, benchmark, log

PAGE_MEDIAN_TARGET_MS = 25.0
PDF_TARGET_S = 2.0
SWEEP_TARGET_MS = 100.0
APPROVE_TARGET_S = 10.0  # issue 12: 1,000 sets in < 10 s (25 ms a set measured before)
APPROVE_PROFILED = 100  # approvals profiled (cProfile, rolled back) before the timed sweep
# A table the nothing-due sweep reads in full is worth a line from this size on.
FULL_SCAN_ROWS = 10_000
# The sweep's reminder queries, whose plans are always printed in full.
REMINDER_QUERIES = {"meetings.services.remind_agenda", "meetings.services.remind_proposals"}


# --- Shared data ----------------------------------------------------------------------------


def collectstatic(ctx: Context, env: dict[str, str]) -> None:
    """whitenoise's CompressedManifestStaticFilesStorage needs the manifest: collect the
    static files once per run into STATIC_ROOT (BASE_DIR/staticfiles, git-ignored; the
    settings do not let the environment move it)."""
    if ctx.cache.get("collectstatic"):
        return
    out = ctx.manage("collectstatic", "--noinput", "-v1", env=env)
    lines = [line for line in out.splitlines() if line.strip()]
    log(f"collectstatic: {lines[-1] if lines else 'done'}")
    ctx.cache["collectstatic"] = True


def fresh_database(ctx: Context, kind: str, name: str) -> tuple[dict[str, str], str]:
    """A migrated, empty database of `kind` ("sqlite" or "postgres"); the environment
    of the Django processes that use it, and its URL."""
    var_dir = ctx.tmp / name
    if kind == "sqlite":
        var_dir.mkdir(parents=True, exist_ok=True)
        url = f"sqlite:///{var_dir / 'db.sqlite3'}"
    else:
        url = ctx.postgres_database(f"bench_{name.replace('-', '_')}")
    env = ctx.django_env(database_url=url, var_dir=var_dir)
    ctx.manage("migrate", "--noinput", "-v0", env=env)
    return env, url


def agenda_database(ctx: Context, kind: str) -> tuple[dict[str, str], dict]:
    """A database holding the benchmark's meeting: Partnerskabsforum in May, 40 items
    (5 closed) with 30 PDF attachments, agenda sent (version 1 and its PDFs rendered).
    Built once per run and kind with the project's services (bench/worker.py)."""
    key = f"agenda:{kind}"
    if key not in ctx.cache:
        log(f"preparing the agenda database on {kind} (migrate, seed_demo, 40 items, send)")
        env, _url = fresh_database(ctx, kind, f"agenda-{kind}")
        ctx.manage("seed_demo", env=env)
        data = ctx.worker("setup-agenda", "--items", "40", "--attachments", "30", env=env)
        if data["items_added"] != 40 or data["attachments"] != 30 or not data["pdf_rendered"]:
            raise BenchError(f"the agenda was not built as intended: {data}")
        log(
            f"meeting {data['meeting_id']} on {data['meeting_day']}: {data['items_total']} items "
            f"({data['standard_items']} standard + {data['items_added']}, "
            f"{len(data['closed_titles'])} closed, {data['public_items']} public), "
            f"{data['attachments']} attachments; built in {data['build_seconds']} s, "
            f"sent and rendered in {data['send_seconds']} s"
        )
        ctx.cache[key] = (env, data)
    return ctx.cache[key]


# --- The public agenda page under load ---------------------------------------------------------


def _check_page(body: bytes, data: dict) -> None:
    # Every item keeps its place and number; a closed one as »Punkt N: Lukket punkt«.
    shown = body.count(b'id="punkt-')
    if shown != data["items_total"]:
        raise BenchError(f"the public page shows {shown} items, not all {data['items_total']}")
    leaked = [title for title in data["closed_titles"] if title.encode() in body]
    if leaked:
        raise BenchError(f"the public page shows closed items: {leaked}")


def page_benchmark(ctx: Context, kind: str) -> list[Figure]:
    args = ctx.args
    env, data = agenda_database(ctx, kind)
    collectstatic(ctx, env)
    path = f"/moeder/{data['meeting_id']}/"
    name = f"page-{kind}"
    log(f"gunicorn, {args.workers} sync workers, config.settings.production; GET {path}")
    with gunicorn(
        env, workers=args.workers, log_path=ctx.tmp / f"gunicorn-{kind}.log", ready_path=path
    ) as (port, master):
        status, body = fetch(port, path)
        if status != 200:
            raise BenchError(f"GET {path}: HTTP {status}")
        _check_page(body, data)
        warm = load(port, path, concurrency=args.workers, max_requests=args.warmup, max_seconds=30)
        log(f"warm-up   {warm.summary()}")
        single = load(port, path, concurrency=1, max_requests=args.single_requests, max_seconds=10)
        log(f"1 client  {single.summary()}")
        cpu_before = children_cpu_seconds(master)
        loaded = load(
            port,
            path,
            concurrency=args.concurrency,
            max_requests=args.requests,
            max_seconds=args.seconds,
        )
        cpu_after = children_cpu_seconds(master)
        log(f"load      {loaded.summary()}")
    cpu_ms = None
    if cpu_before is not None and cpu_after is not None and loaded.requests:
        cpu_ms = (cpu_after - cpu_before) * 1000 / loaded.requests
        log(
            f"gunicorn workers used {cpu_after - cpu_before:.2f} s CPU under load: "
            f"{cpu_ms:.1f} ms per request (the database server's share not included)"
        )
    for result in (warm, single, loaded):
        if result.errors:
            raise BenchError(f"{result.errors} failed requests, e.g. {result.first_error}")
    c = loaded.concurrency
    return [
        Figure(name, f"requests/s ({c} clients)", loaded.rps, "req/s"),
        Figure(
            name,
            f"median latency ({c} clients)",
            loaded.median_ms,
            "ms",
            target=PAGE_MEDIAN_TARGET_MS,
        ),
        Figure(name, f"p95 latency ({c} clients)", loaded.quantile_ms(0.95), "ms"),
        Figure(name, "median latency (1 client)", single.median_ms, "ms"),
        Figure(name, "worker CPU per request", cpu_ms, "ms"),
    ]


@benchmark("page-sqlite", "Public agenda page (40 items, 30 attachments), gunicorn + SQLite")
def page_sqlite(ctx: Context) -> list[Figure]:
    return page_benchmark(ctx, "sqlite")


@benchmark(
    "page-postgres",
    "Public agenda page (40 items, 30 attachments), gunicorn + PostgreSQL",
    needs=("postgres",),
)
def page_postgres(ctx: Context) -> list[Figure]:
    return page_benchmark(ctx, "postgres")


# --- CPU per uncached render, by the agenda's size (issue 12) -------------------------------

RENDER_SIZES = (10, 40, 160)


@benchmark(
    "render-cpu",
    "CPU time per uncached render of the public agenda page: 10, 40 and 160 items, SQLite",
)
def render_cpu(ctx: Context) -> list[Figure]:
    env, _url = fresh_database(ctx, "sqlite", "render-cpu")
    collectstatic(ctx, env)  # the page names its assets through the manifest
    ctx.manage("seed_demo", env=env)
    env = {**env, "PUBLIC_CACHE_ENABLED": "false"}
    sizes = ",".join(str(n) for n in RENDER_SIZES)
    log(f"agendas of {sizes} items (Partnerskabsforum, sent); Django's test client in-process")
    result = ctx.worker("render-cpu", "--sizes", sizes, env=env, timeout=900)
    for size, info in result.items():
        log(
            f"{int(size):4} items: CPU {info['cpu_median_ms']:.1f} ms, wall "
            f"{info['wall_median_ms']:.1f} ms, {info['queries']} queries, {info['bytes']:,} bytes"
        )
    smallest, largest = result[str(RENDER_SIZES[0])], result[str(RENDER_SIZES[-1])]
    ratio = largest["cpu_median_ms"] / smallest["cpu_median_ms"]
    items_ratio = RENDER_SIZES[-1] / RENDER_SIZES[0]
    log(
        f"ratio {RENDER_SIZES[-1]}/{RENDER_SIZES[0]} items: {ratio:.2f} "
        f"(linear would be at most {items_ratio:.0f})"
    )
    figures = [
        Figure("render-cpu", f"CPU per uncached render ({size} items)", info["cpu_median_ms"], "ms")
        for size, info in result.items()
    ]
    figures.append(
        Figure(
            "render-cpu",
            f"CPU ratio {RENDER_SIZES[-1]}/{RENDER_SIZES[0]} items",
            ratio,
            "",
            target=items_ratio,
            target_label=f"<= {items_ratio:.0f} (linear)",
            note=f"queries: {', '.join(str(i['queries']) for i in result.values())}",
        )
    )
    return figures


# --- The agenda PDF -------------------------------------------------------------------------


@benchmark("agenda-pdf", "render_agenda_pdf(version, public=False) for the 40-item agenda")
def agenda_pdf(ctx: Context) -> list[Figure]:
    # Any database with the agenda will do (the rendering reads one version and the
    # forum's members); reuse one built already.
    kind = next(
        (k for k in ("postgres", "sqlite") if f"agenda:{k}" in ctx.cache),
        "postgres" if ctx.available("postgres") else "sqlite",
    )
    env, data = agenda_database(ctx, kind)
    result = ctx.worker(
        "pdf",
        "--version-id",
        str(data["version_id"]),
        "--runs",
        str(ctx.args.pdf_runs),
        "--warmup",
        "1",
        env=env,
        timeout=600,
    )
    runs = ", ".join(f"{ms / 1000:.2f}" for ms in result["runs_ms"])
    log(
        f"{result['items']} items, {result['bytes']:,} bytes; runs (s): {runs} "
        f"(after 1 warm-up; {kind})"
    )
    return [
        Figure(
            "agenda-pdf",
            f"render median ({result['items']} items)",
            result["median_ms"] / 1000,
            "s",
            target=PDF_TARGET_S,
        ),
        Figure("agenda-pdf", "render CPU time (median)", result["cpu_median_ms"] / 1000, "s"),
    ]


# --- The agenda pack ------------------------------------------------------------------------


@benchmark("agenda-pack", "The agenda pack: 40 items, 30 attachments (PDF and DOCX)")
def agenda_pack(ctx: Context) -> list[Figure]:
    """meetings.services.agenda_pack_build on a fresh SQLite database: cold (every DOCX
    converted by LibreOffice, one after another, as eager tasks) and warm (the conversions
    cached); peak memory of the worker process, of the LibreOffice children and of the
    Python heap during the warm build. Printed, not asserted."""
    env, _url = fresh_database(ctx, "sqlite", "pack-sqlite")
    ctx.manage("seed_demo", env=env)
    result = ctx.worker("pack", "--items", "40", "--attachments", "30", env=env, timeout=1200)
    log(
        f"{result['items']} items, {result['attachments']} attachments ({result['docx']} DOCX; "
        f"{result['converted']} converted, {result['failed']} failed): {result['pages']} pages, "
        f"{result['bytes']:,} bytes (public {result['public_bytes']:,})"
    )
    return [
        Figure("agenda-pack", "build, cold (with conversions)", result["cold_ms"] / 1000, "s"),
        Figure("agenda-pack", "build, warm (conversions cached)", result["warm_ms"] / 1000, "s"),
        Figure("agenda-pack", "peak RSS of the worker", result["self_maxrss_mb"], "MB"),
        Figure(
            "agenda-pack", "peak RSS of a LibreOffice child", result["children_maxrss_mb"], "MB"
        ),
        Figure("agenda-pack", "Python heap peak (a warm build)", result["warm_heap_peak_mb"], "MB"),
    ]


# --- The deadline sweep ---------------------------------------------------------------------


def sweep_benchmark(ctx: Context, kind: str) -> list[Figure]:
    args = ctx.args
    name = f"sweep-{kind}"
    env, _url = fresh_database(ctx, kind, f"sweep-{kind}")
    log(f"creating {args.sweep_count:,} meetings (bulk_create), then timing sweep_run")
    result = ctx.worker(
        "sweep",
        "--count",
        str(args.sweep_count),
        "--runs",
        str(args.sweep_runs),
        env=env,
        timeout=600,
    )
    populated = result["populate"]
    log(
        f"{populated['meetings']:,} meetings: {populated['held']:,} held, "
        f"{populated['cancelled']:,} cancelled, {populated['planned']:,} planned with every "
        f"deadline ≥ 39 days away; created in {populated['create_seconds']} s"
        + ("; ANALYZE run (as autovacuum would)" if populated["analyzed"] else "")
    )
    runs = ", ".join(f"{ms:.1f}" for ms in result["runs_ms"])
    log(f"sweep_run (ms): {runs}")
    log("per step (median ms, queries):")
    for step, info in result["steps"].items():
        log(f"  {info['median_ms']:8.2f}  {info['queries']}  {step}")
    explain = "EXPLAIN ANALYZE" if kind == "postgres" else "EXPLAIN QUERY PLAN"
    log(f"the sweep's queries on the meeting table ({explain}; the plan in full for the")
    log("reminder queries and for any query that reads the table without an index):")
    for plan in result["plans"]:
        if plan["uses_index"]:
            verdict = f"index {', '.join(plan['indexes'])}"
        else:
            verdict = "NO INDEX: reads the whole table"
        log(f"  -- {plan['step']}: {verdict}")
        full = args.explain_all or not plan["uses_index"] or plan["step"] in REMINDER_QUERIES
        for line in plan["plan"] if full else ():
            log(f"       {line}")
    # approve-<kind> adds minutes to these meetings rather than build 100,000 again.
    ctx.cache[f"sweep-db:{kind}"] = env
    slowest_step, slowest = max(result["steps"].items(), key=lambda item: item[1]["median_ms"])
    no_index = [p["step"].rsplit(".", 1)[-1] for p in result["plans"] if not p["uses_index"]]
    return [
        Figure(
            name,
            f"sweep_run median ({populated['meetings']:,} meetings, nothing due)",
            result["median_ms"],
            "ms",
            target=SWEEP_TARGET_MS,
        ),
        Figure(
            name,
            f"slowest step: {slowest_step.rsplit('.', 1)[-1]}",
            slowest["median_ms"],
            "ms",
        ),
        Figure(
            name,
            "meeting queries without an index",
            float(len(no_index)),
            "",
            target=1,
            target_label="0",
            note=", ".join(no_index),
        ),
    ]


@benchmark(
    "sweep-postgres",
    "Deadline sweep over 100,000 meetings with nothing due, PostgreSQL (+ EXPLAIN)",
    needs=("postgres",),
)
def sweep_postgres(ctx: Context) -> list[Figure]:
    return sweep_benchmark(ctx, "postgres")


@benchmark("sweep-sqlite", "Deadline sweep over 100,000 meetings with nothing due, SQLite")
def sweep_sqlite(ctx: Context) -> list[Figure]:
    return sweep_benchmark(ctx, "sqlite")


# --- Approving 1,000 sets of minutes ---------------------------------------------------------


def _plan_verdict(plan: dict) -> str:
    if plan["uses_index"]:
        return f"index {', '.join(plan['indexes'])}"
    return "NO INDEX: reads the whole table"


def approve_benchmark(ctx: Context, kind: str) -> list[Figure]:
    args = ctx.args
    name = f"approve-{kind}"
    env = ctx.cache.pop(f"sweep-db:{kind}", None)  # used once: this benchmark changes it
    if env is not None:
        log(f"on the sweep-{kind} database, reused (its meetings; nothing else in it)")
    else:
        env, _url = fresh_database(ctx, kind, f"approve-{kind}")
        log(f"creating {args.sweep_count:,} meetings with the sweep benchmark's builder")
    result = ctx.worker(
        "approve",
        "--count",
        str(args.sweep_count),
        "--due",
        str(args.approve_count),
        "--members",
        "8",
        "--runs",
        "5",
        "--profile",
        str(min(APPROVE_PROFILED, args.approve_count)),
        env=env,
        timeout=1200,
    )
    populated, built, verify = result["populate"], result["minutes"], result["verify"]
    due = built["due"]
    if not result["reused"]:
        log(
            f"{populated['meetings']:,} meetings: {populated['held']:,} held, "
            f"{populated['cancelled']:,} cancelled, {populated['planned']:,} planned; "
            f"created in {populated['create_seconds']} s"
        )
    added = ", ".join(f"{slug} {info['added']}" for slug, info in result["members"].items())
    recipients = ", ".join(
        f"{slug} {info['recipients']}" for slug, info in result["members"].items()
    )
    log(f"members added in the seats' free places: {added}; one secretariat person in each")
    log(f"e-mail recipients per set (included forums' members too): {recipients}")
    per_forum = ", ".join(str(n) for n in built["due_by_forum"].values())
    log(
        f"{due:,} sets due: the most recent held meetings ({built['first_meeting']} to "
        f"{built['last_meeting']}; {per_forum} per forum), status sent, windows closed "
        f"{built['closes_from'][:10]} to {built['closes_to'][:10]}, {built['items']:,} items "
        "and a version 1 (bulk_create)"
    )
    log(
        f"history: {built['history']:,} older sets approved, version 1 and final each "
        f"(INSERT … SELECT); {built['minutes']:,} minutes, {built['versions']:,} versions in "
        f"all; built in {built['build_seconds']} s"
        + ("; ANALYZE run (as autovacuum would)" if built["analyzed"] else "")
    )
    log(
        f"Celery: not eager, broker {result['broker']} with no worker. The sweep queues the "
        "final-PDF rendering and the e-mail deliveries after commit and does not run them:"
    )
    log("their time is NOT in the figures below (PDFs are rendered, e-mails sent by workers).")

    explain = "EXPLAIN ANALYZE" if kind == "postgres" else "EXPLAIN QUERY PLAN"
    for label, plan in (
        (f"with {due:,} due", result["plan_before"]),
        ("with nothing due, after the sweep", result["plan_after"]),
    ):
        log(f"-- approve_due's query {label} ({explain}): {_plan_verdict(plan)}")
        for line in plan["plan"]:
            log(f"     {line}")

    for line in result["profile"]:
        log(f"  {line}")
    seconds = result["sweep_ms"] / 1000
    backend = result["backend_cpu_ms"]
    log(
        f"sweep_run with {due:,} due: {seconds:.2f} s; CPU {result['sweep_cpu_ms'] / 1000:.2f} s "
        "in Django"
        + (f" + {backend / 1000:.2f} s in the PostgreSQL backend" if backend is not None else "")
        + f"; {result['queries']:,} queries ({result['queries'] / max(due, 1):.0f} per set)"
    )
    parts = result["breakdown"]
    if parts:
        log("of which (wall time, calls):")
        labels = {
            "outbox_enqueue": "outbox_enqueue (render + write one outbox row)",
            "render_email": "  of which render_email (3 templates)",
            "final_versions": "_final_versions (read and freeze a batch's final versions)",
            "audit_record_many": "audit_record_many (a batch's audit entries)",
            "send_task": f"send_task: Celery publishing on {result['broker']}",
        }
        for key, info in parts.items():
            log(f"  {info['ms'] / 1000:7.2f} s  {info['calls']:>7,}  {labels.get(key, key)}")
    for step, report in result["busy_steps"].items():
        if step != "minutes.services.approve_due":
            log(f"also did something: {step} -> {report}")
    log(
        f"verified: {verify['approved']:,} approved (approved_at = end of the window), "
        f"{verify['final_versions']:,} final versions ({verify['final_pdfs_rendered']} PDFs "
        f"rendered in-process), {verify['tasks_queued']:,} render-and-e-mail tasks queued "
        f"after commit, {verify['outbox_rows']:,} outbox rows written by the sweep itself (the "
        f"task writes the {verify['outbox_expected']:,} e-mails, Σ recipients, with the PDF), "
        f"{verify['audit_entries']:,} audit entries"
    )
    per_set_ms = result["sweep_ms"] / max(due, 1)
    log(
        f"per set: {per_set_ms:.2f} ms wall, {result['sweep_cpu_ms'] / max(due, 1):.2f} ms CPU "
        f"in Django; total {seconds:.2f} s for {due:,} (target < {APPROVE_TARGET_S:.0f} s)"
    )
    runs = ", ".join(f"{ms:.1f}" for ms in result["runs_ms"])
    log(
        f"second sweep right after (nothing due): {result['second_ms']:.1f} ms; "
        f"{len(result['runs_ms'])} more (ms): {runs}; median {result['median_ms']:.1f} ms"
    )
    for step, report in result["second_busy"].items():
        log(f"  the second sweep still did something: {step} -> {report}")
    log("per step with nothing due (median ms):")
    for step, ms in result["steps"].items():
        log(f"  {ms:8.2f}  {step}")
    # What the nothing-due sweep reads: per query and table, the rows (PostgreSQL: actual,
    # from EXPLAIN ANALYZE; SQLite: the table's size where it SCANs it).
    big = [r for r in result["reads"] if (r["rows"] or 0) >= FULL_SCAN_ROWS]
    how = "EXPLAIN ANALYZE" if kind == "postgres" else "EXPLAIN QUERY PLAN: SCAN"
    log(f"queries of the nothing-due sweep that read ≥ {FULL_SCAN_ROWS:,} rows of a table ({how}):")
    for r in big:
        log(f"  {r['rows']:>9,}  {r['table']:28} {r['step']}")
        log(f"             {r['how']}")
    if not big:
        log("  none")
    uses_index = result["plan_before"]["uses_index"] and result["plan_after"]["uses_index"]
    indexes = sorted(set(result["plan_before"]["indexes"]) | set(result["plan_after"]["indexes"]))
    figures = [
        Figure(
            name,
            f"approve {due:,} due minutes (sweep_run)",
            seconds,
            "s",
            target=APPROVE_TARGET_S,
            note="final PDFs not rendered: queued to Celery",
        ),
        Figure(
            name,
            "approval cost per set (wall)",
            per_set_ms,
            "ms",
            target=APPROVE_TARGET_S * 1000 / max(due, 1),
        ),
        Figure(
            name,
            f"sweep CPU time ({due:,} due)",
            (result["sweep_cpu_ms"] + (backend or 0)) / 1000,
            "s",
            note="Django" + (" + PostgreSQL backend" if backend is not None else ""),
        ),
        Figure(
            name,
            "render-and-e-mail tasks queued",
            float(verify["tasks_queued"]),
            "",
            note=f"their e-mails: {verify['outbox_expected']:,} outbox rows",
        ),
        Figure(
            name,
            "second sweep (nothing due)",
            result["second_ms"],
            "ms",
            target=SWEEP_TARGET_MS,
            note=f"median of {len(result['runs_ms'])} more: {result['median_ms']:.1f} ms",
        ),
        Figure(
            name,
            "due-minutes query uses an index",
            1.0 if uses_index else 0.0,
            "",
            target=1,
            higher_is_better=True,
            target_label="yes",
            value_label="yes" if uses_index else "no",
            note=", ".join(indexes) or "sequential scan",
        ),
        Figure(
            name,
            f"queries reading ≥ {FULL_SCAN_ROWS:,} rows (nothing due)",
            float(len(big)),
            "",
            note=", ".join(f"{r['step'].rsplit('.', 1)[-1]}: {r['table']}" for r in big),
        ),
    ]
    if result["failed"]:
        for figure in figures:
            log(f"{figure.name}: {figure.format_value()}")
        raise BenchError(f"the sweep did not do what it should: {', '.join(result['failed'])}")
    return figures


@benchmark(
    "approve-postgres",
    "Sweep with 1,000 sets of minutes due for approval (100,000 meetings), PostgreSQL",
    needs=("postgres",),
)
def approve_postgres(ctx: Context) -> list[Figure]:
    return approve_benchmark(ctx, "postgres")


@benchmark(
    "approve-sqlite",
    "Sweep with 1,000 sets of minutes due for approval (100,000 meetings), SQLite",
)
def approve_sqlite(ctx: Context) -> list[Figure]:
    return approve_benchmark(ctx, "sqlite")


# --- The page against the floor (issue 12) ------------------------------------------------

FLOOR_RATIO_TARGET = 0.5
PAGE_WEIGHT_TARGET_KB = 40.0
FLOOR_PATH = "/__floor__/"


def _alternate(port: int, path: str, args, rounds: int):
    """`rounds` rounds of load on the page, then on the floor, alternately (the shared
    machine's load falls on both alike); the results of each, merged."""
    page, floor = [], []
    per_round = max(1, args.seconds / rounds)
    for _ in range(rounds):
        for target, results in ((path, page), (FLOOR_PATH, floor)):
            results.append(
                load(
                    port,
                    target,
                    concurrency=args.concurrency,
                    max_requests=args.requests,
                    max_seconds=per_round,
                )
            )
    return _merge(page), _merge(floor)


def _merge(results):
    first = results[0]
    first.latencies = [x for r in results for x in r.latencies]
    first.requests = sum(r.requests for r in results)
    first.errors = sum(r.errors for r in results)
    first.seconds = sum(r.seconds for r in results)
    return first


def _compressed_weight(port: int, path: str) -> tuple[int, int, list[str]]:
    """Bytes on the wire with gzip for the page and everything it loads (stylesheets,
    scripts, fonts referenced by the page), and the list of those assets."""
    gz = {"Accept-Encoding": "gzip"}
    status, body = fetch(port, path, headers=gz)
    html = gzip.decompress(body) if body[:2] == b"\x1f\x8b" else body
    assets = re.findall(rb'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"', html)
    total = len(body)
    names = []
    for asset in assets:
        _status, data = fetch(port, asset.decode(), headers=gz)
        total += len(data)
        names.append(asset.decode())
    return len(body), total, names


@benchmark(
    "page-floor",
    "Agenda page (40 items) against a bare Django view with the same bytes, SQLite",
)
def page_floor(ctx: Context) -> list[Figure]:
    args = ctx.args
    env, data = agenda_database(ctx, "sqlite")
    collectstatic(ctx, env)
    path = f"/moeder/{data['meeting_id']}/"
    body_file = ctx.tmp / "floor-body.html"
    env = {
        **env,
        "DJANGO_SETTINGS_MODULE": "bench.floor_settings",
        "BENCH_FLOOR_BODY": str(body_file),
    }
    if os.environ.get("REDIS_URL"):
        env["CACHE_URL"] = os.environ["REDIS_URL"].rstrip("/").rsplit("/", 1)[0] + "/3"
    rounds = 4
    figures: list[Figure] = []
    for cached in (True, False):
        label = "cached" if cached else "uncached"
        run_env = {**env, "PUBLIC_CACHE_ENABLED": "true" if cached else "false"}
        log(f"page-floor ({label}): gunicorn, {args.workers} workers, {rounds} alternating rounds")
        with gunicorn(
            run_env,
            workers=args.workers,
            log_path=ctx.tmp / f"gunicorn-floor-{label}.log",
            ready_path=path,
        ) as (port, _master):
            status, body = fetch(port, path)
            if status != 200:
                raise BenchError(f"GET {path}: HTTP {status}")
            _check_page(body, data)
            body_file.write_bytes(body)
            load(port, path, concurrency=args.workers, max_requests=args.warmup, max_seconds=20)
            load(
                port, FLOOR_PATH, concurrency=args.workers, max_requests=args.warmup, max_seconds=20
            )
            page, floor = _alternate(port, path, args, rounds)
            for result in (page, floor):
                if result.errors:
                    raise BenchError(f"{result.errors} failed requests, e.g. {result.first_error}")
            ratio = page.rps / floor.rps if floor.rps else None
            log(f"page  {page.summary()}")
            log(f"floor {floor.summary()}")
            log(f"ratio {ratio:.3f} (load average {os.getloadavg()[0]:.2f})")
            name = f"page-floor-{label}"
            figures += [
                Figure(name, "page requests/s", page.rps, "req/s"),
                Figure(name, "floor requests/s", floor.rps, "req/s"),
                Figure(
                    name,
                    "ratio page/floor",
                    ratio,
                    "",
                    target=FLOOR_RATIO_TARGET if cached else None,
                    higher_is_better=True,
                ),
                Figure(name, "page p50 latency", page.median_ms, "ms"),
                Figure(name, "page p95 latency", page.quantile_ms(0.95), "ms"),
                Figure(name, "load average (1 min)", os.getloadavg()[0], ""),
            ]
            if cached:
                conditional = _conditional_rate(port, path, args)
                figures.append(Figure(name, "304 rate (If-None-Match)", conditional, "%"))
                html_gz, total, assets = _compressed_weight(port, path)
                log(f"compressed: HTML {html_gz} B, with {', '.join(assets)}: {total} B")
                figures += [
                    Figure(name, "HTML compressed", html_gz / 1024, "KB"),
                    Figure(
                        name,
                        "page + CSS + JS compressed",
                        total / 1024,
                        "KB",
                        target=PAGE_WEIGHT_TARGET_KB,
                    ),
                ]
    return figures


def _conditional_rate(port: int, path: str, args) -> float:
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    conn.request("GET", path, headers={"Host": f"127.0.0.1:{port}"})
    response = conn.getresponse()
    response.read()
    etag = response.getheader("ETag")
    conn.close()
    if not etag:
        return 0.0
    result = load(
        port,
        path,
        concurrency=args.concurrency,
        max_requests=args.requests,
        max_seconds=min(5, args.seconds),
        expect_status=304,
        headers={"If-None-Match": etag},
    )
    log(f"304s  {result.summary()}")
    return 100.0 * (result.requests - result.errors) / result.requests if result.requests else 0.0


# --- The nothing-due sweep after years of mail (issue 12) ---------------------------------

OUTBOX_SWEEP_TARGET_MS = 50.0


@benchmark(
    "sweep-outbox",
    "Nothing-due sweep over 100,000 meetings after 1,000,000 sent outbox rows, PostgreSQL",
    needs=("postgres",),
)
def sweep_outbox(ctx: Context) -> list[Figure]:
    args = ctx.args
    env, _url = fresh_database(ctx, "postgres", "sweep-outbox")
    log(f"{args.sweep_count:,} meetings and 1,000,000 sent outbox rows, then sweep_run")
    result = ctx.worker(
        "sweep",
        "--count",
        str(args.sweep_count),
        "--runs",
        str(args.sweep_runs),
        "--outbox-sent",
        "1000000",
        "--reads",
        env=env,
        timeout=1200,
    )
    log(f"outbox rows written in {result['populate']['outbox_sent']['create_seconds']} s")
    log("per step (median ms, queries, rows read per table):")
    figures = [
        Figure(
            "sweep-outbox",
            "sweep_run median (nothing due, 1,000,000 sent)",
            result["median_ms"],
            "ms",
            target=OUTBOX_SWEEP_TARGET_MS,
        )
    ]
    most = 0
    for step, info in result["steps"].items():
        reads = info.get("rows_read", {})
        most = max([most, *[r or 0 for r in reads.values()]])
        shown = ", ".join(f"{t} {r:,}" for t, r in reads.items() if r) or "-"
        log(f"  {info['median_ms']:8.2f}  {info['queries']}  {step}: {shown}")
    figures.append(Figure("sweep-outbox", "most rows one step reads", float(most), "rows"))
    return figures


# --- Danish full-text search -------------------------------------------------------------------

SEARCH_P95_TARGET_MS = 50.0


@benchmark(
    "search-postgres",
    "Search: p95 of 200 Danish queries over 100,000 documents, PostgreSQL (+ EXPLAIN)",
    needs=("postgres",),
)
def search_postgres(ctx: Context) -> list[Figure]:
    env, _url = fresh_database(ctx, "postgres", "search-postgres")
    log("creating 100,000 search documents, then timing 200 Danish queries")
    result = ctx.worker("search", "--count", "100000", "--queries", "200", env=env, timeout=900)
    populated = result["populate"]
    log(
        f"{populated['documents']:,} documents: created in {populated['create_seconds']} s, "
        f"Danish tsvectors in {populated['vector_seconds']} s; median hits per query "
        f"{result['median_hits']}"
    )
    log(f"p50 {result['p50_ms']} ms, p95 {result['p95_ms']} ms, max {result['max_ms']} ms")
    log("EXPLAIN ANALYZE of the public's search for »boliger«:")
    for line in result["plan"]["plan"]:
        log(f"       {line}")
    return [
        Figure(
            "search-postgres",
            f"p95 of {result['queries']} queries",
            result["p95_ms"],
            "ms",
            target=SEARCH_P95_TARGET_MS,
        ),
        Figure(
            "search-postgres",
            "plan uses the GIN index",
            1.0 if result["plan"]["uses_gin"] else 0.0,
            "",
            target=1,
            higher_is_better=True,
            target_label="yes",
            value_label="yes" if result["plan"]["uses_gin"] else "NO",
        ),
    ]
