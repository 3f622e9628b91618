"""A local, append-only file for acknowledged requests the database could not take (bot.inbox_writer).

Each process spools into a file of its own, `inbox-<pid>-<random>.jsonl` in the spool directory,
and holds an exclusive lock (flock) on it while it lives. A request is one JSON line, written and
fsynced before it counts as safe. A file nobody holds was left by a process that died: the next
writer to start adopts its records. Replaying is idempotent (the inbox key dedupes), so a crash
in the middle of a replay only means replaying again.
"""
from __future__ import annotations

import fcntl
import json
import logging
import os
import uuid
from pathlib import Path
from typing import Any, BinaryIO

log = logging.getLogger("voc.inbox")
Request = tuple[str, str, dict[str, Any]]  # key, kind, payload


class Spool:
    def __init__(self, directory: str | os.PathLike):
        self.dir = Path(directory)
        self.path: Path | None = None
        self._file: BinaryIO | None = None  # opened at the first spill
        self.count = 0  # requests in the file, not yet replayed

    def append(self, requests: list[Request]) -> None:
        """Durable on return: written and fsynced (raises OSError if the disk refuses)."""
        if self._file is None:
            self._open()
        data = "".join(json.dumps({"key": k, "kind": kind, "payload": p}, ensure_ascii=False) + "\n"
                       for k, kind, p in requests).encode("utf-8")
        self._file.write(data)
        self._file.flush()
        os.fsync(self._file.fileno())
        self.count += len(requests)

    def records(self) -> list[Request]:
        return _read(self.path) if self.path is not None and self.count else []

    def clear(self) -> None:
        """Everything in the file is stored in the database now."""
        if self._file is not None:
            self._file.truncate(0)
            self._file.flush()
            os.fsync(self._file.fileno())
        self.count = 0

    def adopt_orphans(self) -> int:
        """Move the records of files whose process died into this spool; returns how many."""
        if not self.dir.is_dir():
            return 0
        adopted = 0
        for path in sorted(self.dir.glob("inbox-*.jsonl")):
            if path == self.path:
                continue
            with open(path, "rb") as f:
                try:
                    fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                except BlockingIOError:
                    continue  # a live process owns it
                records = _read(path)
                if records:
                    self.append(records)  # durable here before the orphan goes
                    adopted += len(records)
                path.unlink()
        if adopted:
            log.warning("adopted %d acknowledged requests spooled by a process that stopped", adopted)
        return adopted

    def _open(self) -> None:
        # What people wrote waits here: only the bot's own user may list or read it (a directory
        # made before, with a looser mode, is tightened too).
        self.dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        os.chmod(self.dir, 0o700)
        path = self.dir / f"inbox-{os.getpid()}-{uuid.uuid4().hex[:8]}.jsonl"
        f = os.fdopen(os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600), "ab")
        fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
        directory = os.open(self.dir, os.O_RDONLY)  # the new name itself must survive a crash
        try:
            os.fsync(directory)
        finally:
            os.close(directory)
        self._file, self.path = f, path

    def close(self) -> None:
        """Release the file; an empty one is removed, one with records stays for the next start."""
        if self._file is None:
            return
        self._file.close()
        if not self.count:
            self.path.unlink(missing_ok=True)
        self._file = None


def _read(path: Path) -> list[Request]:
    records = []
    for line in path.read_bytes().splitlines():
        try:
            r = json.loads(line)
            records.append((r["key"], r["kind"], r["payload"]))
        except (ValueError, KeyError, TypeError):  # a line torn by a crash mid-write was never counted as safe
            log.warning("skipping an unreadable line in %s", path)
    return records
