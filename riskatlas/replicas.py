"""Several app processes behind nginx on one port: sticky sessions, websockets, restarts.

Why: one Streamlit process runs its sessions' scripts on one core; when a story runs, hundreds of
readers open the same map. `bash scripts/run-app.sh --replicas N` serves N app processes (each
the same command as riskatlas.server, on its own loopback port) behind nginx (Debian package):

- websocket upgrade for Streamlit's `/_stcore/stream`;
- sticky sessions: nginx hashes a cookie it sets on the first response, so a reader's page, its
  websocket and its uploads reach the same process (open-source nginx has no `sticky`);
- health: nginx stops sending to a replica that fails (passive checks) and retries the request on
  another; this supervisor polls each replica's `/_stcore/health` and restarts one that died, on
  the same port. The reader's browser reconnects by itself, and the URL holds the filters, so the
  view comes back (session state such as a half-filled form is lost);
- warm-up: each replica, when it starts and again after a restart, asks itself for the views a
  story links to (riskatlas.warmup, RISKATLAS_WARM_VIEWS), so the first readers it gets are
  served from the caches its sessions share;
- every replica reads the same read-only atlas file; contributions and import submissions go to
  one DuckDB file whose writers take turns (riskatlas.contrib.store retries while it is locked).
"""

from __future__ import annotations

import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from riskatlas import server, settings, warmup
from riskatlas.paths import REPO_ROOT

NGINX = "nginx"
STICKY_COOKIE = "riskatlas_replica"
HEALTH_SECONDS = settings.REPLICA_HEALTH_SECONDS.value  # how often each replica is polled


class ReplicaError(RuntimeError):
    """The replicas or the proxy could not be started: the message says what to do."""


def nginx_binary() -> str:
    """The nginx executable (Debian package `nginx`)."""
    found = shutil.which(NGINX) or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else "")
    if not found:
        raise ReplicaError(
            "nginx is not installed: apt-get install nginx (scripts/setup-proxy.sh does it)"
        )
    return found


def nginx_conf(port: int, upstreams: Sequence[int], workdir: Path, address: str) -> str:
    """An nginx configuration for the replicas on ``upstreams``, listening on ``port``."""
    servers = "\n".join(
        f"        server 127.0.0.1:{p} max_fails=1 fail_timeout=3s;" for p in upstreams
    )
    return f"""
worker_processes 1;
pid {workdir}/nginx.pid;
error_log {workdir}/error.log warn;
daemon off;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {workdir}/body;
    proxy_temp_path {workdir}/proxy;
    fastcgi_temp_path {workdir}/fastcgi;
    uwsgi_temp_path {workdir}/uwsgi;
    scgi_temp_path {workdir}/scgi;
    client_max_body_size 60m;  # the Import page's 50 MB limit, with room for the form
    map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
    # sticky: the reader's cookie if set, else this request's id (set as the cookie below),
    # so the first page, the websocket and the uploads of one reader reach one replica
    map $cookie_{STICKY_COOKIE} $sticky {{ "" $request_id; default $cookie_{STICKY_COOKIE}; }}
    upstream riskatlas {{
        hash $sticky consistent;
{servers}
    }}
    server {{
        listen {address}:{port};
        location / {{
            proxy_pass http://riskatlas;
            proxy_http_version 1.1;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $remote_addr;
            proxy_read_timeout 86400s;
            proxy_next_upstream error timeout http_502 http_503;
            add_header Set-Cookie "{STICKY_COOKIE}=$sticky; Path=/; HttpOnly; SameSite=Lax";
        }}
        location = /_proxy/health {{ return 200 "ok"; }}
    }}
}}
"""


@dataclass
class Replicas:
    """Running replicas and their proxy; restarts replicas that die."""

    ports: list[int]
    proxy_port: int
    env: dict[str, str]
    log_dir: Path
    extra: tuple[str, ...] = ()
    procs: dict[int, subprocess.Popen] = field(default_factory=dict)
    restarts: dict[int, int] = field(default_factory=dict)
    warm_views: tuple[str, ...] = ()  # riskatlas.warmup: asked for on each (re)start
    warming: dict[int, threading.Thread] = field(default_factory=dict)
    proxy: subprocess.Popen | None = None
    _stop: threading.Event = field(default_factory=threading.Event)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.proxy_port}"

    def start_replica(self, port: int) -> None:
        log = open(self.log_dir / f"replica-{port}.log", "a")  # noqa: SIM115 - owned by the proc
        self.procs[port] = subprocess.Popen(
            server.command(port, self.extra),
            cwd=REPO_ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        if self.warm_views:  # the story's views computed before (or while) readers come
            self.warming[port] = warmup.in_background(
                f"http://127.0.0.1:{port}", list(self.warm_views), log=log
            )

    def wait_warm(self, timeout: float = 600.0) -> None:
        """Wait for the replicas' warm-ups to finish (benchmarks time a warmed server)."""
        deadline = time.monotonic() + timeout
        for t in list(self.warming.values()):
            t.join(max(0.0, deadline - time.monotonic()))

    def healthy(self, port: int) -> bool:
        try:
            url = f"http://127.0.0.1:{port}/_stcore/health"
            with urllib.request.urlopen(url, timeout=2) as resp:  # noqa: S310 - loopback
                return resp.status == 200
        except OSError:
            return False

    def supervise(self) -> None:
        """Restart any replica whose process exited (e.g. killed), on the same port."""
        while not self._stop.wait(HEALTH_SECONDS):
            for port, proc in list(self.procs.items()):
                if proc.poll() is not None:
                    self.start_replica(port)  # counted once it is started (and warming)
                    self.restarts[port] = self.restarts.get(port, 0) + 1

    def stop(self) -> None:
        self._stop.set()
        if self.proxy is not None and self.proxy.poll() is None:
            self.proxy.send_signal(signal.SIGQUIT)
            try:
                self.proxy.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.proxy.kill()
        for proc in self.procs.values():
            server.stop(proc)


@contextmanager
def running(
    n: int,
    port: int | None = None,
    env: Mapping[str, str] | None = None,
    log_dir: Path | None = None,
    extra: Sequence[str] = (),
    start_seconds: float = 120.0,
    address: str = "127.0.0.1",
    warm_views: Sequence[str] | None = None,
) -> Iterator[Replicas]:
    """Serve ``n`` replicas behind nginx on ``port`` (a free one by default); yields them.
    Each replica warms ``warm_views`` (default: riskatlas.warmup.views()) when it starts."""
    if n < 1:
        raise ReplicaError("--replicas must be at least 1")
    try:
        views = tuple(warmup.views() if warm_views is None else warm_views)
    except warmup.WarmupError as exc:
        raise ReplicaError(str(exc)) from exc
    binary = nginx_binary()
    work = Path(tempfile.mkdtemp(prefix="riskatlas-proxy-"))
    logs = Path(log_dir) if log_dir else work
    logs.mkdir(parents=True, exist_ok=True)
    reps = Replicas(
        ports=[server.free_port() for _ in range(n)],
        proxy_port=port or server.free_port(),
        env=settings.environment() if env is None else dict(env),
        log_dir=logs,
        extra=tuple(extra),
        warm_views=views,
    )
    try:
        for p in reps.ports:
            reps.start_replica(p)
        for p in reps.ports:
            server.wait_http(
                f"http://127.0.0.1:{p}/_stcore/health", timeout=start_seconds, proc=reps.procs[p]
            )
        conf = work / "nginx.conf"
        conf.write_text(nginx_conf(reps.proxy_port, reps.ports, work, address))
        proxy_log = open(logs / "nginx.log", "a")  # noqa: SIM115 - owned by the proc
        reps.proxy = subprocess.Popen(
            [binary, "-c", str(conf), "-p", str(work)], stdout=proxy_log, stderr=subprocess.STDOUT
        )
        try:
            server.wait_http(f"{reps.url}/_stcore/health", timeout=30, proc=reps.proxy)
        except (RuntimeError, TimeoutError) as exc:
            raise ReplicaError(f"nginx did not start ({exc}); see {logs / 'nginx.log'}") from exc
        watcher = threading.Thread(target=reps.supervise, name="replica-supervisor", daemon=True)
        watcher.start()
        yield reps
    finally:
        reps.stop()
        shutil.rmtree(work, ignore_errors=True)


def serve(n: int, port: int, extra: Sequence[str] = ()) -> int:
    """`scripts/run-app.sh --replicas N`: serve until interrupted."""
    try:
        with running(n, port=port, extra=extra) as reps:
            print(f"{n} replicas behind nginx on {reps.url} (replica ports {reps.ports})")
            try:
                while True:
                    time.sleep(3600)
            except KeyboardInterrupt:
                return 0
    except ReplicaError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
