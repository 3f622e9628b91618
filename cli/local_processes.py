"""Starting and stopping VOC Desk's own processes on this machine (end-to-end tests, benchmarks)."""
from __future__ import annotations

import socket
import subprocess
import time
from typing import Callable


def free_port() -> int:
    """A port nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_ready(proc: subprocess.Popen, ready: Callable[[], bool], what: str, timeout: float = 240) -> None:
    """Until `ready()` (a server listening, an app connected over Socket Mode), or the process dies
    (then its stderr). A start-up is waited for however long a busy machine makes it: `timeout` only
    bounds a hang, it is no speed target (a loaded 2-core machine took over 30 s to start `voc socket`)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the process exited: {proc.stderr.read().decode()[-3000:] if proc.stderr else ''}")
        if ready():
            return
        time.sleep(0.1)
    raise TimeoutError(f"{what} within {timeout:.0f} s, and the process still runs")


def wait_listening(port: int, proc: subprocess.Popen, timeout: float = 240) -> None:
    """Until a server process started on `port` accepts connections; its stderr if it died first."""
    def accepts() -> bool:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return True
        except OSError:
            return False

    wait_ready(proc, accepts, "the server did not start listening", timeout)


def stop_all(*procs: subprocess.Popen, timeout: float = 20) -> None:
    """SIGTERM to all, then wait; kill what does not stop in time."""
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            proc.kill()
