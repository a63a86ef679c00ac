"""A small, bounded HTTP load generator for loopback only, and a gunicorn launcher.

`load(...)` sends GET requests from `concurrency` threads, each over a fresh connection
(gunicorn's sync workers close the connection after every response, as they would
behind a proxy), until `max_requests` have been sent or `max_seconds` have passed,
whichever comes first. It never talks to anything but 127.0.0.1."""

import http.client
import itertools
import os
import signal
import socket
import statistics
import subprocess
import threading
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from bench.registry import ROOT, BenchError

HOST = "127.0.0.1"


@dataclass
class LoadResult:
    concurrency: int
    requests: int
    errors: int
    seconds: float
    latencies: list[float]
    bytes_per_response: int
    first_error: str = ""

    @property
    def rps(self) -> float:
        return (self.requests - self.errors) / self.seconds if self.seconds else 0.0

    def quantile_ms(self, q: float) -> float:
        """The q-quantile (0 < q < 1) of the successful requests' latency, in ms."""
        ordered = sorted(self.latencies)
        if not ordered:
            return float("nan")
        index = min(len(ordered) - 1, max(0, round(q * (len(ordered) - 1))))
        return ordered[index] * 1000

    @property
    def median_ms(self) -> float:
        return statistics.median(self.latencies) * 1000 if self.latencies else float("nan")

    def summary(self) -> str:
        return (
            f"c={self.concurrency}: {self.requests} requests in {self.seconds:.1f} s, "
            f"{self.rps:.1f} req/s, median {self.median_ms:.1f} ms, "
            f"p95 {self.quantile_ms(0.95):.1f} ms, max {self.quantile_ms(1.0):.1f} ms, "
            f"{self.errors} errors, {self.bytes_per_response} bytes/response"
        )


def fetch(
    port: int, path: str, *, timeout: float = 10.0, headers: dict[str, str] | None = None
) -> tuple[int, bytes]:
    conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        sent = {"Host": f"{HOST}:{port}", "Accept": "text/html", **(headers or {})}
        conn.request("GET", path, headers=sent)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        conn.close()


def load(
    port: int,
    path: str,
    *,
    concurrency: int,
    max_requests: int,
    max_seconds: float,
    expect_status: int = 200,
    headers: dict[str, str] | None = None,
) -> LoadResult:
    tickets = itertools.count()
    deadline = time.perf_counter() + max_seconds
    lock = threading.Lock()
    latencies: list[float] = []
    errors: list[str] = []
    sizes: list[int] = []

    def client() -> None:
        mine: list[float] = []
        while next(tickets) < max_requests and time.perf_counter() < deadline:
            started = time.perf_counter()
            try:
                status, body = fetch(port, path, headers=headers)
            except (OSError, http.client.HTTPException) as exc:
                with lock:
                    errors.append(repr(exc))
                continue
            elapsed = time.perf_counter() - started
            if status != expect_status:
                with lock:
                    errors.append(f"HTTP {status}")
                continue
            mine.append(elapsed)
            if not sizes:
                sizes.append(len(body))
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client, daemon=True) for _ in range(concurrency)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max_seconds + 30)
    seconds = time.perf_counter() - started
    return LoadResult(
        concurrency=concurrency,
        requests=len(latencies) + len(errors),
        errors=len(errors),
        seconds=seconds,
        latencies=latencies,
        bytes_per_response=sizes[0] if sizes else 0,
        first_error=errors[0] if errors else "",
    )


def children_cpu_seconds(pid: int) -> float | None:
    """User + system CPU time of the processes whose parent is `pid` (gunicorn's
    workers), from /proc; None where /proc is not there. Unlike latency it hardly
    changes when other programs compete for the CPUs."""
    tick = os.sysconf("SC_CLK_TCK")
    total, found = 0.0, False
    try:
        entries = os.listdir("/proc")
    except OSError:
        return None
    for entry in entries:
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                stat = handle.read()
        except OSError:
            continue
        fields = stat[stat.rindex(")") + 2 :].split()
        if int(fields[1]) == pid:  # fields[1] is the parent pid
            total += (int(fields[11]) + int(fields[12])) / tick  # utime + stime
            found = True
    return total if found else None


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


@contextmanager
def gunicorn(env: dict[str, str], *, workers: int, log_path: Path, ready_path: str = "/"):
    """Run `gunicorn config.wsgi` on a free loopback port; yield (port, master pid);
    stop it again."""
    port = free_port()
    gunicorn_bin = Path(os.environ.get("VIRTUAL_ENV", ROOT / ".venv")) / "bin" / "gunicorn"
    if not gunicorn_bin.exists():
        gunicorn_bin = ROOT / ".venv" / "bin" / "gunicorn"
    argv = [
        str(gunicorn_bin),
        "config.wsgi:application",
        "--bind",
        f"{HOST}:{port}",
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--chdir",
        str(ROOT),
        "--log-level",
        "warning",
        "--graceful-timeout",
        "5",
        "--timeout",
        "60",
        "--no-control-socket",
    ]
    with open(log_path, "w") as log_file:
        proc = subprocess.Popen(argv, cwd=ROOT, env=env, stdout=log_file, stderr=subprocess.STDOUT)
    try:
        _wait_ready(proc, port, ready_path, log_path)
        yield port, proc.pid
    finally:
        _stop(proc)


def _wait_ready(proc: subprocess.Popen, port: int, path: str, log_path: Path) -> None:
    deadline = time.monotonic() + 60
    last = ""
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise BenchError(f"gunicorn exited ({proc.returncode}):\n{_tail(log_path)}")
        try:
            status, _body = fetch(port, path, timeout=5)
            if status == 200:
                return
            last = f"HTTP {status}"
        except OSError as exc:
            last = repr(exc)
        time.sleep(0.2)
    raise BenchError(f"gunicorn did not answer {path} with 200 ({last}):\n{_tail(log_path)}")


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)  # the master stops its workers gracefully
    try:
        proc.wait(15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(5)


def _tail(path: Path, lines: int = 30) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return ""
