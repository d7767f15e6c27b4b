"""Page benchmark: the production server against nginx sending the same bytes, with wrk, in one run.

Run on a scratch data directory (it must be empty; the demo county is loaded into it):

    ZT_DATA_DIR=$(mktemp -d) .venv/bin/python -m benchmarks.page_bench

What it does, every step bounded in time and everything stopped at the end, even on error:

1. installs wrk and nginx with apt-get when missing (Debian, as root);
2. migrates, collects static files and loads the demo county into ``ZT_DATA_DIR`` (SQLite; ``DATABASE_URL``
   is ignored so real data is never touched; ``REDIS_URL`` too: ``--redis`` runs a private redis-server);
3. starts the production server as ``./zt serve --no-worker`` does (``zhengtong.cli serve``: granian WSGI,
   one process per core) on a loopback port with ``ZT_ENV=production``;
4. fetches the home page, the fullest column's list and that column's newest article once (as a citizen's
   browser behind nginx would: ``X-Forwarded-Proto: https``, no cookies) and writes those bytes to files that
   a temporary nginx (no daemon, its own config, pid and logs in a temp directory) serves on another port;
5. runs wrk (loopback only, ``--threads``/``--connections``/``--seconds``) against each page on both servers,
   sampling the summed RSS of the granian process tree from /proc meanwhile;
6. stops the server, then times rendering each page in-process with the page cache emptied before each
   request (mean ms and queries), and prints a Markdown table (req/s, p99, ratio Zhengtong/nginx, render
   cost, peak RSS);
7. profiles the slowest page (lowest req/s) in-process with cProfile and prints the top entries: rendered
   (Django's test client, page cache emptied before each request) and cache hits (through
   ``zhengtong.wsgi.application``, what granian calls).

``ZT_PAGE_CACHE_SECONDS=0`` in the environment measures the server without the page cache.

Figures are rates and percentiles of one run; they go to docs/PERFORMANCE.md, never into tests.
"""

import argparse
import contextlib
import cProfile
import io
import os
import pstats
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
HOST = "127.0.0.1"
STEP_TIMEOUT = 600  # seconds for any one setup step (migrate, load_demo, apt-get)


def say(message: str) -> None:
    print(f"page_bench: {message}", file=sys.stderr, flush=True)


# --- Tools and processes ------------------------------------------------------


def ensure_tools() -> None:
    """wrk and nginx come from Debian; install them when missing."""
    missing = [pkg for tool, pkg in (("wrk", "wrk"), ("nginx", "nginx-light")) if not shutil.which(tool)]
    if not missing:
        return
    if os.geteuid() != 0:
        raise SystemExit(f"Missing {', '.join(missing)}: run as root or apt-get install them first.")
    say(f"installing {' '.join(missing)} …")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env, timeout=STEP_TIMEOUT)  # noqa: S607
    subprocess.run(  # noqa: S603
        ["apt-get", "install", "-y", "-qq", "--no-install-recommends", *missing],  # noqa: S607
        check=True,
        env=env,
        timeout=STEP_TIMEOUT,
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def wait_for_http(port: int, path: str, headers: dict, deadline: float) -> None:
    while time.monotonic() < deadline:
        try:
            fetch(port, path, headers)
            return
        except OSError:
            time.sleep(0.3)
    raise SystemExit(f"Nothing answered on {HOST}:{port} in time.")


def wait_for_port(port: int, deadline: float) -> None:
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection((HOST, port), timeout=1):
            return
        time.sleep(0.2)
    raise SystemExit(f"Nothing listens on {HOST}:{port}.")


def fetch(port: int, path: str, headers: dict) -> tuple[int, dict, bytes]:
    request = urllib.request.Request(f"http://{HOST}:{port}{path}", headers=headers)
    opener = urllib.request.build_opener(NoRedirect)
    with opener.open(request, timeout=30) as response:
        return response.status, dict(response.headers), response.read()


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # a redirect is a result to report, not to follow


def stop_group(proc: subprocess.Popen | None, name: str) -> None:
    """Stop a process we started in its own session: SIGTERM, then SIGKILL to its group if it lingers."""
    if proc is None or proc.poll() is not None:
        return
    with contextlib.suppress(ProcessLookupError):
        proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        say(f"{name} did not stop; killing its process group")
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=10)


# --- Memory -------------------------------------------------------------------


def children_of() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        ppid = int(stat.rsplit(")", 1)[1].split()[1])
        tree.setdefault(ppid, []).append(int(entry))
    return tree


def rss_bytes(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    except OSError:
        pass
    return 0


def tree_rss(root: int) -> int:
    """Summed RSS of ``root`` and all its descendants (shared pages are counted in each, as ps does)."""
    tree = children_of()
    total, todo = 0, [root]
    while todo:
        pid = todo.pop()
        total += rss_bytes(pid)
        todo.extend(tree.get(pid, []))
    return total


class PeakSampler(threading.Thread):
    """Keeps the largest summed RSS of a process tree seen while it runs (every 0.1 s)."""

    def __init__(self, root: int) -> None:
        super().__init__(daemon=True)
        self.root, self.peak, self._halt = root, 0, threading.Event()

    def run(self) -> None:
        while not self._halt.wait(0.1):
            self.peak = max(self.peak, tree_rss(self.root))

    def stop(self) -> int:
        self._halt.set()
        self.join(timeout=5)
        return self.peak


# --- wrk ----------------------------------------------------------------------


@dataclass
class WrkResult:
    requests_per_second: float
    p99_ms: float
    errors: str = ""


@dataclass
class PageResult:
    name: str
    path: str
    size: int
    zhengtong: WrkResult | None = None
    nginx: WrkResult | None = None
    notes: list[str] = field(default_factory=list)
    render_ms: float = 0.0
    render_queries: int = 0


def to_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", value).groups()
    return float(number) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def run_wrk(port: int, path: str, headers: dict, args: argparse.Namespace, seconds: float) -> WrkResult:
    command = ["wrk", f"-t{args.threads}", f"-c{args.connections}", f"-d{seconds:g}s", "--latency", "--timeout", "5s"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    command.append(f"http://{HOST}:{port}{path}")
    out = subprocess.run(command, capture_output=True, text=True, timeout=seconds + 30, check=True).stdout  # noqa: S603
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = to_ms(re.search(r"^\s+99%\s+(\S+)", out, re.M).group(1))
    errors = "; ".join(line.strip() for line in out.splitlines() if "Non-2xx" in line or "Socket errors" in line)
    return WrkResult(rate, p99, errors)


# --- nginx --------------------------------------------------------------------

NGINX_CONF = """\
daemon off;
worker_processes {workers};
pid {dir}/nginx.pid;
error_log {dir}/error.log warn;
events {{ worker_connections 1024; }}
http {{
    access_log off;
    client_body_temp_path {dir}/tmp;
    proxy_temp_path {dir}/tmp;
    fastcgi_temp_path {dir}/tmp;
    uwsgi_temp_path {dir}/tmp;
    scgi_temp_path {dir}/tmp;
    types {{ text/html html; }}
    default_type text/html;
    server {{
        listen {host}:{port};
        root {dir}/www;
        location / {{ }}
    }}
}}
"""


def start_nginx(scratch: Path, port: int, workers: int) -> subprocess.Popen:
    (scratch / "tmp").mkdir(exist_ok=True)
    conf = scratch / "nginx.conf"
    conf.write_text(NGINX_CONF.format(dir=scratch, host=HOST, port=port, workers=workers))
    return subprocess.Popen(  # noqa: S603
        ["nginx", "-p", str(scratch), "-c", str(conf)],  # noqa: S607
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=open(scratch / "nginx.stderr", "w"),
    )


def start_redis(scratch: Path, port: int) -> subprocess.Popen:
    """A private Redis for the run: nothing is written to a Redis someone else uses."""
    command = ["redis-server", "--bind", HOST, "--port", str(port), "--save", "", "--appendonly", "no"]
    return subprocess.Popen(  # noqa: S603
        [*command, "--dir", str(scratch)],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
    )


# --- Demo data and the pages --------------------------------------------------


def prepare_data(base_url: str) -> None:
    from django.core.management import call_command

    say("migrate, collectstatic, load_demo …")
    quiet = open(os.devnull, "w")
    call_command("migrate", "--noinput", verbosity=0, stdout=quiet)
    call_command("collectstatic", "--noinput", verbosity=0, stdout=quiet)
    call_command("load_demo", "--base-url", base_url, "--quiet", stdout=quiet)


def pick_pages() -> list[tuple[str, str]]:
    """Home, the column with the most live items, and its newest item."""
    from zhengtong.portal.models import ColumnPage

    columns = sorted(ColumnPage.objects.live(), key=lambda c: c.items().count(), reverse=True)
    column = columns[0]
    article = column.items().first()
    return [("首页", "/"), (f"栏目列表（{column.title}）", column.url), (f"文章（{article.title[:12]}）", article.url)]


# --- Profile ------------------------------------------------------------------


def render_cost(path: str, host: str, requests: int = 20) -> tuple[float, int]:
    """Mean in-process ms and queries of rendering ``path`` with the page cache emptied before each request."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from zhengtong.core import pagecache

    client = Client(HTTP_HOST=host, HTTP_X_FORWARDED_PROTO="https")
    client.get(path)  # Django's and Wagtail's own caches (site list, settings) filled once
    total, queries = 0.0, 0
    for _ in range(requests):
        pagecache.bump()
        with CaptureQueriesContext(connection) as captured:
            started = time.perf_counter()
            assert client.get(path).status_code == 200
            total += time.perf_counter() - started
        queries = len(captured)
    return total / requests * 1000, queries


def profile_page(path: str, host: str, requests: int) -> str:
    """cProfile of ``requests`` anonymous requests for ``path``: rendered (page cache emptied before each, through
    Django's test client) and cache hits (through the WSGI application granian runs, ``zhengtong.wsgi``)."""
    from django.test import Client, RequestFactory

    from zhengtong.core import pagecache
    from zhengtong.wsgi import application

    client = Client(HTTP_HOST=host, HTTP_X_FORWARDED_PROTO="https")
    environ = RequestFactory().get(path, HTTP_HOST=host, HTTP_X_FORWARDED_PROTO="https").environ

    def rendered() -> None:
        pagecache.bump()
        assert client.get(path).status_code == 200

    def hit() -> None:
        statuses = []
        b"".join(application(dict(environ), lambda status, headers: statuses.append(status)))
        assert statuses == ["200 OK"], statuses

    out = io.StringIO()
    for label, request in (("rendered (page cache emptied before each request)", rendered), ("cache hit", hit)):
        client.get(path)  # fill Django's and Wagtail's own caches, and the page cache for the hits
        profiler = cProfile.Profile()
        started = time.perf_counter()
        for _ in range(requests):
            profiler.runcall(request)
        elapsed = (time.perf_counter() - started) / requests * 1000
        out.write(f"\n### {path} — {label}: {elapsed:.2f} ms per request in-process ({requests} requests)\n\n")
        stream = io.StringIO()
        stats = pstats.Stats(profiler, stream=stream).strip_dirs().sort_stats("cumulative")
        stats.print_stats(25)
        out.write("```\n" + trim_pstats(stream.getvalue()) + "```\n")
        stream = io.StringIO()
        pstats.Stats(profiler, stream=stream).strip_dirs().sort_stats("tottime").print_stats(15)
        out.write("\nBy own time:\n```\n" + trim_pstats(stream.getvalue()) + "```\n")
    return out.getvalue()


def trim_pstats(text: str) -> str:
    lines = text.splitlines()
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    head = [line for line in lines[:start] if "function calls" in line]
    return "\n".join(head + lines[start:]).strip() + "\n"


# --- Main ---------------------------------------------------------------------


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=float, default=10, help="length of each wrk run")
    parser.add_argument("--warmup", type=float, default=2, help="wrk run before each measured Zhengtong run")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="granian (and nginx) workers")
    parser.add_argument("--profile-requests", type=int, default=200)
    parser.add_argument("--redis", action="store_true", help="run with REDIS_URL on a private redis-server")
    args = parser.parse_args()
    if not 1 <= args.seconds <= 60 or not 1 <= args.connections <= 256:
        raise SystemExit("Keep runs bounded: 1–60 s and 1–256 connections.")

    own_data_dir = "ZT_DATA_DIR" not in os.environ
    data_dir = Path(os.environ.get("ZT_DATA_DIR") or tempfile.mkdtemp(prefix="zt-page-bench-"))
    if any(data_dir.iterdir()):
        raise SystemExit(f"ZT_DATA_DIR={data_dir} is not empty: run the benchmark on a scratch directory only.")
    ensure_tools()

    app_port, nginx_port = free_port(), free_port()
    host = f"{HOST}:{app_port}"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        ZT_DATA_DIR=str(data_dir),
        ZT_ENV="production",
        ZT_ALLOWED_HOSTS=HOST,
        DJANGO_SETTINGS_MODULE="zhengtong.settings",
    )
    env.pop("REDIS_URL", None)
    os.environ.pop("DATABASE_URL", None)
    os.environ.pop("REDIS_URL", None)
    if args.redis:
        if not shutil.which("redis-server"):
            raise SystemExit("--redis needs redis-server (apt-get install redis-server).")
        redis_port = free_port()
        env["REDIS_URL"] = f"redis://{HOST}:{redis_port}/0"
    os.environ.update(env)

    scratch = Path(tempfile.mkdtemp(prefix="zt-page-bench-nginx-"))
    scratch.chmod(0o755)  # nginx workers run as nobody and must read the files
    server = nginx = redis = None
    try:
        if args.redis:
            redis = start_redis(scratch, redis_port)
            wait_for_port(redis_port, time.monotonic() + 30)
        import django

        django.setup()
        from django.conf import settings

        prepare_data(f"http://{host}")
        pages = pick_pages()
        say(f"starting the production server on {host} …")
        server = subprocess.Popen(  # noqa: S603
            [PYTHON, "-m", "zhengtong.cli", "serve", "--no-worker", "--host", HOST, "--port", str(app_port),
             "--workers", str(args.workers)],
            cwd=ROOT, env=env, start_new_session=True, stdout=sys.stderr,
        )  # fmt: skip
        # What nginx in front sends: the scheme it terminated, no cookies for an anonymous citizen.
        headers = {"Host": host, "X-Forwarded-Proto": "https"}
        wait_for_http(app_port, "/", headers, time.monotonic() + 120)

        www = scratch / "www"
        www.mkdir()
        results = []
        for n, (name, path) in enumerate(pages):
            status, response_headers, body = fetch(app_port, path, headers)
            if status != 200:
                raise SystemExit(f"{path} answered {status}")
            (www / f"page{n}.html").write_bytes(body)
            result = PageResult(name, path, len(body))
            if response_headers.get("Set-Cookie"):
                result.notes.append("sets a cookie")
            results.append(result)
        for p in [scratch, www, *www.iterdir()]:
            p.chmod(0o755 if p.is_dir() else 0o644)

        nginx = start_nginx(scratch, nginx_port, args.workers)
        wait_for_http(nginx_port, "/page0.html", {}, time.monotonic() + 30)
        for n, result in enumerate(results):
            _status, _headers, static_body = fetch(nginx_port, f"/page{n}.html", {})
            assert len(static_body) == result.size
            say(f"wrk nginx {result.path}")
            result.nginx = run_wrk(nginx_port, f"/page{n}.html", {}, args, args.seconds)
        stop_group(nginx, "nginx")

        granian = children_of().get(server.pid, [None])[0]
        sampler = PeakSampler(granian or server.pid)
        sampler.start()
        for result in results:
            say(f"wrk zhengtong {result.path}")
            run_wrk(app_port, result.path, headers, args, args.warmup)
            result.zhengtong = run_wrk(app_port, result.path, headers, args, args.seconds)
        peak = sampler.stop()

        stop_group(server, "server")
        server = None
        for result in results:
            result.render_ms, result.render_queries = render_cost(result.path, host)
        cache = settings.CACHES.get("pages", settings.CACHES["default"])["BACKEND"].rsplit(".", 1)[1]
        cache += f", ZT_PAGE_CACHE_SECONDS={settings.ZT_PAGE_CACHE_SECONDS}"
        print(report(results, args, peak, cache))
        slowest = min(results, key=lambda r: r.zhengtong.requests_per_second)
        print(f"\n## Profile of the slowest page: {slowest.name} {slowest.path}\n")
        print(profile_page(slowest.path, host, args.profile_requests))
    finally:
        stop_group(nginx, "nginx")
        stop_group(server, "server")
        stop_group(redis, "redis")
        shutil.rmtree(scratch, ignore_errors=True)
        if own_data_dir:
            shutil.rmtree(data_dir, ignore_errors=True)


def report(results: list[PageResult], args: argparse.Namespace, peak: int, cache: str) -> str:
    lines = [
        f"wrk -t{args.threads} -c{args.connections} -d{args.seconds:g}s (loopback); granian WSGI, "
        f"{args.workers} workers, ZT_ENV=production, cache {cache}; nginx {args.workers} workers",
        "",
        "| 页面 | 字节 | 政通 请求/秒 | 政通 p99 | nginx 请求/秒 | nginx p99 | 政通/nginx | 不经缓存渲染一次 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for r in results:
        z, x = r.zhengtong, r.nginx
        lines.append(
            f"| {r.name} `{r.path}` | {r.size:,} | {z.requests_per_second:,.0f} | {z.p99_ms:.1f} ms "
            f"| {x.requests_per_second:,.0f} | {x.p99_ms:.1f} ms "
            f"| {z.requests_per_second / x.requests_per_second:.1%} "
            f"| {r.render_ms:.0f} ms, {r.render_queries} 次查询 |"
        )
    lines.append("")
    lines.append(f"Peak RSS of the granian process tree (sum over processes): {peak / 2**20:.0f} MB")
    for r in results:
        for note in [r.zhengtong.errors, r.nginx.errors, *r.notes]:
            if note:
                lines.append(f"- {r.path}: {note}")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
