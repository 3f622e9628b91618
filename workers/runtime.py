"""The Runtime an actor works with: the one installed in-process (shell, tests) or one built from the environment."""
from __future__ import annotations

import threading

from bot.runtime import Runtime, build_runtime

_current: Runtime | None = None
_lock = threading.Lock()


def install(rt: Runtime | None) -> None:
    global _current
    _current = rt


def current() -> Runtime:
    global _current
    with _lock:
        if _current is None:
            _current = build_runtime()
        return _current
