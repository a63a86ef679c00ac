"""The benchmark registry and the figures benchmarks report.

A benchmark is a function ``fn(ctx: Context) -> list[Figure]`` registered with
``@benchmark("name", ...)``. It prints what it likes while it runs and returns its
figures; the runner prints them all in one table at the end. Figures are compared with
their targets for the table only: a missed target is "over", never a failure. A
benchmark that raises is reported as crashed and makes the run exit non-zero.

To add one (e.g. in a later issue), write a function in bench/benchmarks.py (or a new
module imported there) and decorate it::

    @benchmark("sweep-100k", "Sweep over 100,000 meetings with nothing due", needs=("postgres",))
    def sweep_100k(ctx: Context) -> list[Figure]:
        data = ctx.worker("sweep", "--count", "100000", env=ctx.django_env(...))
        return [Figure("sweep-100k", "sweep_run median", data["median_ms"], "ms", target=100)]

Django code runs in `bench/worker.py` subcommands (a subprocess per database, since the
settings read DATABASE_URL once), which print one JSON object as their last line.
"""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Figure:
    """One measured number. `target` is an upper bound (lower is better) unless
    `higher_is_better`; no target means the figure is for information."""

    benchmark: str
    name: str
    value: float | None
    unit: str
    target: float | None = None
    higher_is_better: bool = False
    note: str = ""
    target_label: str = ""  # shown instead of "< target" where that reads better
    value_label: str = ""  # shown instead of the number (e.g. "yes" for a yes/no figure)

    @property
    def verdict(self) -> str:
        if self.value is None:
            return "n/a"
        if self.target is None:
            return "-"
        if self.higher_is_better:
            return "OK" if self.value >= self.target else "under"
        return "OK" if self.value < self.target else "over"

    def format_value(self) -> str:
        if self.value is None:
            return "-"
        if self.value_label:
            return self.value_label
        return f"{_number(self.value)} {self.unit}".strip()

    def format_target(self) -> str:
        if self.target_label or self.target is None:
            return self.target_label
        sign = ">=" if self.higher_is_better else "<"
        return f"{sign} {_number(self.target)} {self.unit}".strip()


def _number(value: float) -> str:
    if value == int(value) and (abs(value) >= 100 or value == 0 or abs(value) < 10):
        return f"{int(value):,}"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10:
        return f"{value:.1f}"
    return f"{value:.2f}"


@dataclass
class Benchmark:
    name: str
    title: str
    fn: Callable[["Context"], list[Figure]]
    needs: tuple[str, ...] = ()


REGISTRY: dict[str, Benchmark] = {}


def benchmark(name: str, title: str, *, needs: tuple[str, ...] = ()):
    """Register `fn` under `name` (what `--only` takes). `needs` lists what must be
    available ("postgres": DATABASE_URL points at PostgreSQL); otherwise it is skipped."""

    def register(fn):
        if name in REGISTRY:
            raise ValueError(f"benchmark {name!r} is registered twice")
        REGISTRY[name] = Benchmark(name=name, title=title, fn=fn, needs=needs)
        return fn

    return register


class BenchError(RuntimeError):
    """A benchmark could not measure what it set out to (a crash, not a missed target)."""


def log(message: str) -> None:
    print(f"    {message}", flush=True)


@dataclass
class Context:
    """What benchmarks share: a temporary directory, the environment of the Django
    subprocesses, and data prepared once and reused (e.g. the agenda database)."""

    args: object
    tmp: Path = field(
        default_factory=lambda: Path(tempfile.mkdtemp(prefix="faellesindgang-bench."))
    )
    cache: dict = field(default_factory=dict)
    python: str = sys.executable

    @property
    def postgres_url(self) -> str | None:
        url = os.environ.get("DATABASE_URL", "")
        return url if url.split(":", 1)[0] in {"postgres", "postgresql", "pgsql"} else None

    def available(self, need: str) -> bool:
        if need == "postgres":
            return self.postgres_url is not None
        return False

    # --- Databases ---------------------------------------------------------------------

    def postgres_database(self, name: str) -> str:
        """A fresh, empty database `name` on the server DATABASE_URL points at (dropped
        again by close()); its URL."""
        admin = self.postgres_url
        if admin is None:
            raise BenchError("DATABASE_URL does not point at PostgreSQL")
        with self._pg_admin() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            cursor.execute(f'CREATE DATABASE "{name}"')
        self.cache.setdefault("pg_databases", []).append(name)
        parts = urlsplit(admin)
        return urlunsplit(parts._replace(path=f"/{name}"))

    @contextmanager
    def _pg_admin(self):
        import psycopg2

        conn = psycopg2.connect(self.postgres_url)
        conn.autocommit = True
        try:
            with conn.cursor() as cursor:
                yield cursor
        finally:
            conn.close()

    def postgres_version(self) -> str:
        if self.postgres_url is None:
            return "not available"
        try:
            with self._pg_admin() as cursor:
                cursor.execute("SHOW server_version")
                return cursor.fetchone()[0]
        except Exception as exc:  # the PostgreSQL benchmarks will crash and say why
            return f"unreachable ({str(exc).splitlines()[0]})"

    def close(self) -> None:
        for name in self.cache.pop("pg_databases", []):
            try:
                with self._pg_admin() as cursor:
                    cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            except Exception as exc:  # the throwaway server goes anyway
                print(f"    (could not drop database {name}: {exc})", file=sys.stderr)
        if not getattr(self.args, "keep", False):
            shutil.rmtree(self.tmp, ignore_errors=True)

    # --- Django subprocesses --------------------------------------------------------

    def django_env(self, *, database_url: str, var_dir: Path, **extra: str) -> dict[str, str]:
        """Production settings, as the brief for the deployment describes them, with a
        throwaway secret, no HTTPS redirect, and everything written under `var_dir`."""
        var_dir.mkdir(parents=True, exist_ok=True)
        env = dict(os.environ)
        env.update(
            {
                "DJANGO_SETTINGS_MODULE": "config.settings.production",
                "DJANGO_DEBUG": "false",
                "SECRET_KEY": self.cache.setdefault("secret_key", os.urandom(32).hex()),
                "ALLOWED_HOSTS": "127.0.0.1",
                "DJANGO_SECURE_SSL_REDIRECT": "false",
                "DATABASE_URL": database_url,
                "VAR_DIR": str(var_dir),
                # Nothing leaves the machine: e-mail stays in memory, Celery never
                # reaches a broker (the worker runs tasks eagerly where it needs them).
                "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
                "CELERY_BROKER_URL": "memory://",
                "LOG_LEVEL": "WARNING",
                "DEMO_DATA_ALLOWED": "true",  # a throwaway database: seed_demo may run
                "ACCESSIBILITY_CONTACT_EMAIL": "tilgaengelighed@kk.dk",
                "PYTHONDONTWRITEBYTECODE": "1",
            }
        )
        env.pop("EMAIL_URL", None)
        env.update(extra)
        return env

    def run(self, argv: list[str], *, env: dict[str, str], timeout: float = 300) -> str:
        started = time.perf_counter()
        proc = subprocess.run(
            argv,
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        if proc.returncode != 0:
            sys.stderr.write(proc.stdout[-4000:])
            sys.stderr.write(proc.stderr[-8000:])
            raise BenchError(f"{' '.join(argv[1:4])} … failed with exit code {proc.returncode}")
        self.cache.setdefault("subprocess_seconds", 0.0)
        self.cache["subprocess_seconds"] += time.perf_counter() - started
        return proc.stdout

    def manage(self, *args: str, env: dict[str, str], timeout: float = 300) -> str:
        return self.run([self.python, "manage.py", *args], env=env, timeout=timeout)

    def worker(self, *args: str, env: dict[str, str], timeout: float = 300) -> dict:
        """Run `python -m bench.worker ARGS` and return the JSON of its last line."""
        out = self.run([self.python, "-m", "bench.worker", *args], env=env, timeout=timeout)
        lines = [line for line in out.splitlines() if line.strip()]
        if not lines:
            raise BenchError(f"bench.worker {args[0]} printed nothing")
        try:
            return json.loads(lines[-1])
        except json.JSONDecodeError:
            sys.stderr.write(out[-4000:])
            raise BenchError(f"bench.worker {args[0]} did not end with a JSON line") from None
