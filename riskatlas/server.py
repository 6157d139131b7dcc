"""The app served by `streamlit run` on 127.0.0.1: one command line for users, tests and benchmarks.

`scripts/run-app.sh` runs `python -m riskatlas.server` (port 8501); the browser tests, the load
test and the benchmarks start the same command on a free port with :func:`running`, and stop only
the process they started. So all of them serve the app with the same settings: loopback only,
headless, usage statistics off.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from riskatlas import settings, warmup
from riskatlas.paths import REPO_ROOT

APP = REPO_ROOT / "app.py"
DEFAULT_PORT = settings.APP_PORT.value
FLAGS = (
    "--server.headless",
    "true",
    "--server.address",
    "127.0.0.1",
    "--browser.gatherUsageStats",
    "false",
    "--server.fileWatcherType",
    "none",
)


def free_port() -> int:
    """A free TCP port on 127.0.0.1 (bound and released; the server binds it right after)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def command(port: int = DEFAULT_PORT, extra: Sequence[str] = ()) -> list[str]:
    """`python -m streamlit run app.py` with FLAGS on ``port``, in this interpreter's venv;
    ``extra`` Streamlit options come last, so a user's own option wins."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(APP),
        *FLAGS,
        "--server.port",
        str(port),
        *extra,
    ]


def wait_http(url: str, timeout: float = 60.0, proc=None) -> None:
    """Wait until ``url`` answers 200 (a server we started is ready), or fail after ``timeout``;
    fail at once if ``proc`` has exited."""
    deadline = time.monotonic() + timeout
    last: Exception | None = None
    while time.monotonic() < deadline:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"server exited with code {proc.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:  # noqa: S310 - loopback only
                if resp.status == 200:
                    return
        except OSError as exc:
            last = exc
        time.sleep(0.2)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f}s ({last})")


def stop(proc, timeout: float = 10.0) -> None:
    """Stop a server process we started (terminate, then kill), by its own handle only."""
    if proc is None or proc.poll() is not None:
        return
    proc.terminate()
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=timeout)


@contextmanager
def running(
    env: Mapping[str, str] | None = None,
    log: Path | None = None,
    start_seconds: float = 90.0,
    db: Path | None = None,
) -> Iterator[str]:
    """Serve the app on a free port; yields its base URL (no trailing slash).

    ``env`` defaults to this process's environment; ``db`` sets RISKATLAS_DB on top of it. The
    server's output goes to ``log`` (or nowhere). A server that exits or stays silent for
    ``start_seconds`` raises, naming the log.
    """
    env = settings.environment() if env is None else dict(env)
    if db is not None:
        env["RISKATLAS_DB"] = str(db)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with open(log or os.devnull, "w") as out:
        proc = subprocess.Popen(
            command(port), cwd=REPO_ROOT, env=env, stdout=out, stderr=subprocess.STDOUT
        )
        try:
            try:
                wait_http(f"{base}/_stcore/health", timeout=start_seconds, proc=proc)
            except (RuntimeError, TimeoutError) as exc:
                raise RuntimeError(f"streamlit did not start ({exc}); see {log}") from exc
            yield base
        finally:
            stop(proc)


def split_replicas(argv: Sequence[str]) -> tuple[int, int, list[str]]:
    """(replicas, public port, the other Streamlit options) from run-app.sh's arguments:
    ``--replicas N`` (default 1) and ``--server.port P`` (default 8501) are ours; with
    replicas, the port is the proxy's and each replica gets a free port of its own."""
    args = list(argv)
    replicas, port, rest = 1, DEFAULT_PORT, []
    i = 0
    while i < len(args):
        a = args[i]
        name, eq, value = a.partition("=")
        if name in ("--replicas", "--server.port"):
            if not eq:
                if i + 1 >= len(args):
                    raise SystemExit(f"error: {name} needs a number")
                value = args[i + 1]
                i += 1
            try:
                number = int(value)
            except ValueError:
                raise SystemExit(f"error: {name} needs a number, not {value!r}") from None
            if name == "--replicas":
                replicas = number
            else:
                port = number
        else:
            rest.append(a)
        i += 1
    if replicas < 1:
        raise SystemExit("error: --replicas needs a number from 1 up")
    return replicas, port, rest


if __name__ == "__main__":  # scripts/run-app.sh: serve on 8501, Streamlit options passed through
    os.chdir(REPO_ROOT)
    n, public_port, options = split_replicas(sys.argv[1:])
    if n > 1:
        from riskatlas.replicas import serve

        sys.exit(serve(n, public_port, options))
    try:  # the views to warm are read (and refused) before the server starts
        warm = warmup.views()
    except warmup.WarmupError as exc:
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(2)
    if warm:  # a process of its own: this one becomes the server
        subprocess.Popen(
            [sys.executable, "-m", "riskatlas.warmup", "--url", f"http://127.0.0.1:{public_port}"],
            cwd=REPO_ROOT,
            start_new_session=True,
        )
    cmd = command(public_port, options)
    os.execv(cmd[0], cmd)
