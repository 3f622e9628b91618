"""Documents in Teams messages, the way a bot without Microsoft Graph permissions can: `voc web` serves
each file (the 8D as PDF and XLSX, a visit report, a ledger, an audit pack) at an unguessable, expiring
address, and the message offers it as a download button. (Charts are not files here: they travel inside
the message as inline images, bot/teams/messaging.py.)

Why not attachments: the Teams bot APIs take a file only in a personal chat, and only after the person
accepts a FileConsentCard (the file then lives in their OneDrive); a channel needs Graph and SharePoint
permissions. A link works in a channel and a chat alike, and asks the administrator for nothing but the
address (`TEAMS_FILES_URL`, docs/teams.md).

The address's secret is 32 random bytes; it is looked up, not verified, so it is withdrawn by deleting
its row. An address past `expires_at` answers 404, as one that never existed does.
"""
from __future__ import annotations

import mimetypes
import secrets
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Callable
from urllib.parse import quote

from sqlalchemy import delete
from sqlmodel import select

from bot.messaging.boundary import Refused
from domain.clock import as_utc
from models import SharedFile
from models.db import insert_into

if TYPE_CHECKING:
    from bot.runtime import Runtime

PREFIX = "/files/"


def share(rt: "Runtime", key: str, filename: str, content: bytes, now: datetime) -> str:
    """The address of `content` as `filename`, made once per outbox key and file name (a retried send
    links what it made before)."""
    base = rt.settings.teams_files_url
    if not base:
        raise Refused("TEAMS_FILES_URL is not set: files cannot be linked in Teams (docs/teams.md)", permanent=True)
    kind = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    with rt.db.session() as s:
        table = SharedFile.__table__
        s.execute(insert_into(s, table).values(
            token=secrets.token_urlsafe(32), key=f"{key}:{filename}"[:300], filename=filename, content_type=kind,
            content=content, created_at=now, expires_at=now + timedelta(days=rt.settings.teams_files_days))
            .on_conflict_do_nothing(index_elements=["key"]))
        token = s.exec(select(SharedFile.token).where(SharedFile.key == f"{key}:{filename}"[:300])).one()
        s.commit()
    return f"{base.rstrip('/')}{PREFIX}{token}/{quote(filename)}"


def purge_expired(rt: "Runtime", now: datetime) -> int:
    """Delete the files whose links expired (the scheduler's sweep): they are served no more anyway."""
    with rt.db.session() as s:
        gone = s.execute(delete(SharedFile).where(SharedFile.expires_at <= now)).rowcount
        s.commit()
    return gone


def with_shared_files(inner: Callable, rt: "Runtime") -> Callable:
    """`GET /files/<token>/<name>` served from the store; anything else to `inner`."""
    def route(environ, start_response):
        path = environ.get("PATH_INFO") or ""
        if not path.startswith(PREFIX):
            return inner(environ, start_response)
        found = _fetch(rt, path[len(PREFIX):].split("/", 1)[0], environ.get("REQUEST_METHOD", "GET"))
        if found is None:
            start_response("404 Not Found", [("Content-Type", "text/plain"), ("Content-Length", "9")])
            return [b"not found"]
        inline = found.content_type.startswith("image/")
        disposition = f"{'inline' if inline else 'attachment'}; filename*=UTF-8''{quote(found.filename)}"
        start_response("200 OK", [("Content-Type", found.content_type), ("Content-Length", str(len(found.content))),
                                  ("Content-Disposition", disposition), ("Cache-Control", "private, max-age=3600"),
                                  ("X-Content-Type-Options", "nosniff")])
        return [found.content]
    return route


def _fetch(rt: "Runtime", token: str, method: str) -> SharedFile | None:
    if method not in ("GET", "HEAD") or not token:
        return None
    with rt.db.session() as s:
        found = s.get(SharedFile, token)
        if found is None or as_utc(found.expires_at) <= rt.clock.now():
            return None
        s.expunge(found)
        return found
