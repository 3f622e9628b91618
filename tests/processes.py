"""Running VOC Desk's own processes (voc web / voc socket, dramatiq workers) for end-to-end tests."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from cli.web import free_port, wait_listening as wait_port  # noqa: F401  (re-exported for the tests)

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def start(args: list[str], env: dict) -> subprocess.Popen:
    return subprocess.Popen([str(BIN / args[0]), *args[1:]], cwd=ROOT, env={**os.environ, **env},
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def start_worker(env: dict) -> subprocess.Popen:
    return start(["dramatiq", "workers", "--processes", "1", "--threads", "2"], env)


def stop(*procs: subprocess.Popen) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
