"""`make bench`: run the registered benchmarks and print their figures next to targets.

    .venv/bin/python bench/run.py                  # everything (scripts/bench.sh does this)
    .venv/bin/python bench/run.py --list           # the registered benchmarks
    .venv/bin/python bench/run.py --only page-sqlite --only agenda-pdf
    make bench BENCH_ARGS="--only sweep-postgres"

Figures, not assertions: a missed target is shown as "over" and the exit status stays 0.
A benchmark that crashes (an exception, a failed request, a subprocess that fails) is
reported and makes the exit status 1. PostgreSQL benchmarks need DATABASE_URL to point at
a PostgreSQL server (scripts/bench.sh starts a throwaway one); without it they are skipped.
Benchmarks are registered in bench/benchmarks.py (see bench/registry.py).
"""

import argparse
import json
import os
import platform
import sqlite3
import sys
import time
import traceback
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

import bench.benchmarks  # noqa: E402,F401  (registers the benchmarks)
from bench.registry import REGISTRY, Context, Figure  # noqa: E402


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="bench/run.py", description="Benchmarks of Fællesindgang: figures, not assertions."
    )
    parser.add_argument(
        "--only",
        action="append",
        metavar="NAME",
        help="run only this benchmark (repeatable, or comma-separated); see --list",
    )
    parser.add_argument("--list", action="store_true", help="list the benchmarks and exit")
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers [2]")
    parser.add_argument(
        "--concurrency",
        type=int,
        help="client threads under load [as many as workers: every worker kept busy]",
    )
    parser.add_argument(
        "--requests", type=int, default=3000, help="requests under load, at most [3000]"
    )
    parser.add_argument(
        "--seconds", type=float, default=20, help="seconds under load, at most [20]"
    )
    parser.add_argument("--warmup", type=int, default=100, help="warm-up requests [100]")
    parser.add_argument(
        "--single-requests", type=int, default=300, help="requests from 1 client, at most [300]"
    )
    parser.add_argument("--pdf-runs", type=int, default=3, help="timed PDF renderings [3]")
    parser.add_argument(
        "--sweep-count", type=int, default=100_000, help="meetings for the sweep [100000]"
    )
    parser.add_argument("--sweep-runs", type=int, default=9, help="timed sweeps [9]")
    parser.add_argument(
        "--approve-count",
        type=int,
        default=1000,
        help="sets of minutes due for approval in approve-* [1000]",
    )
    parser.add_argument(
        "--explain-all", action="store_true", help="print every sweep query plan in full"
    )
    parser.add_argument("--json", metavar="PATH", help="also write the figures to PATH as JSON")
    parser.add_argument(
        "--keep", action="store_true", help="keep the temporary directory (databases, logs)"
    )
    args = parser.parse_args(argv)
    selected = [name for item in args.only or [] for name in item.split(",") if name.strip()]
    unknown = [name for name in selected if name not in REGISTRY]
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(unknown)} (see --list)")
    args.selected = selected or list(REGISTRY)
    args.concurrency = args.concurrency or args.workers
    return args


def print_table(figures: list[Figure], problems: list[tuple[str, str]]) -> None:
    header = ("benchmark", "figure", "value", "target", "result")
    rows = [
        (f.benchmark, f.name, f.format_value(), f.format_target(), f.verdict)
        + ((f.note,) if f.note else ())
        for f in figures
    ]
    rows += [(name, "-", "-", "", status) for name, status in problems]
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    line = "  ".join("-" * w for w in widths)
    print()
    print("=" * len(line))
    print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)).rstrip())
    print(line)
    for row in rows:
        cells = [str(cell).ljust(w) for cell, w in zip(row, widths, strict=False)]
        cells[2] = str(row[2]).rjust(widths[2])
        extra = f"  ({row[5]})" if len(row) > 5 else ""
        print("  ".join(cells).rstrip() + extra)
    print("=" * len(line))


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.list:
        for bench in REGISTRY.values():
            needs = f"  [needs {', '.join(bench.needs)}]" if bench.needs else ""
            print(f"{bench.name:16} {bench.title}{needs}")
        return 0

    ctx = Context(args=args)
    started = time.perf_counter()
    figures: list[Figure] = []
    problems: list[tuple[str, str]] = []
    crashed = False
    start_load = os.getloadavg()[0]
    try:
        load = ", ".join(f"{x:.2f}" for x in os.getloadavg())
        pg = ctx.postgres_version()
        print(
            f"Fællesindgang benchmarks: {os.cpu_count()} CPUs, load average {load}; "
            f"Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, "
            f"PostgreSQL {pg}",
            flush=True,
        )
        for name in args.selected:
            bench = REGISTRY[name]
            missing = [need for need in bench.needs if not ctx.available(need)]
            print(
                f"\n==> {name}: {bench.title} (load average {os.getloadavg()[0]:.2f})",
                flush=True,
            )
            if missing:
                print(f"    skipped: needs {', '.join(missing)} (DATABASE_URL)", flush=True)
                problems.append((name, "skipped"))
                continue
            t0 = time.perf_counter()
            try:
                figures += bench.fn(ctx)
            except Exception:
                crashed = True
                traceback.print_exc()
                sys.stderr.flush()
                problems.append((name, "CRASHED"))
            print(f"    ({time.perf_counter() - t0:.1f} s)", flush=True)
    finally:
        ctx.close()
        if args.keep:
            print(f"\nkept {ctx.tmp}")

    print_table(figures, problems)
    over = [f for f in figures if f.verdict in {"over", "under"}]
    print(
        f"{len(figures)} figures, {len(over)} past their target, "
        f"{sum(1 for _, s in problems if s == 'CRASHED')} crashed, "
        f"{sum(1 for _, s in problems if s == 'skipped')} skipped; "
        f"{time.perf_counter() - started:.0f} s in all. Figures are not assertions."
    )
    if start_load > (os.cpu_count() or 1) / 2:
        print(
            f"NOTE: the machine was busy before the benchmarks began (load average "
            f"{start_load:.2f} on {os.cpu_count()} CPUs). Latencies and throughput suffer from "
            "the competition; the CPU-time figures much less. Run again on a quiet machine "
            "before judging a target."
        )
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "figures": [f.__dict__ | {"verdict": f.verdict} for f in figures],
                    "problems": dict(problems),
                },
                indent=2,
                ensure_ascii=False,
            )
        )
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
