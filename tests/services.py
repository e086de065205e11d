"""Real servers the tests start on free ports: Redis (the cache) and Varnish (in front)."""

import os
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as sock:
            if sock.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.05)
    raise RuntimeError(f"nothing listens on port {port}")


class RedisServer:
    """A private redis-server: stopped, paused (a hanging server) and resumed at will."""

    def __init__(self):
        self.port = free_port()
        self.process = subprocess.Popen(
            [
                shutil.which("redis-server") or "redis-server",
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--maxmemory", "64mb",
                "--maxmemory-policy", "allkeys-lru",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        wait_for_port(self.port)

    @property
    def caches(self) -> dict:
        return {
            "default": {
                "BACKEND": "newsroom.cache_backends.RedisCache",
                "LOCATION": f"redis://127.0.0.1:{self.port}/0",
                "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
            }
        }

    def pause(self) -> None:
        """The server hangs: connections open, nothing answers (reads time out)."""
        os.kill(self.process.pid, signal.SIGSTOP)

    def resume(self) -> None:
        os.kill(self.process.pid, signal.SIGCONT)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.resume()
            self.process.terminate()
            self.process.wait(10)


class VarnishServer:
    """A private varnishd with the project's VCL, in front of ``backend_port``."""

    VCL = Path(__file__).resolve().parent.parent / "deploy" / "varnish" / "newsroom.vcl"

    def __init__(self, backend_port: int, workdir: Path):
        self.port = free_port()
        self.admin_port = free_port()
        vcl = self.VCL.read_text()
        vcl = vcl.replace('.port = "8000";', f'.port = "{backend_port}";', 1)
        workdir.mkdir(parents=True, exist_ok=True)
        (workdir / "newsroom.vcl").write_text(vcl)
        self.process = subprocess.Popen(
            [
                shutil.which("varnishd") or "/usr/sbin/varnishd",
                "-F",
                "-j", "none",
                "-n", str(workdir / "state"),
                "-a", f"127.0.0.1:{self.port}",
                "-T", f"127.0.0.1:{self.admin_port}",
                "-f", str(workdir / "newsroom.vcl"),
                "-s", "malloc,32m",
                "-p", "default_grace=0",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )  # fmt: skip
        try:
            wait_for_port(self.port, timeout=30)
        except RuntimeError:
            self.process.kill()
            raise RuntimeError(self.process.stderr.read().decode()) from None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()
