"""Links into Teams that any platform's message may carry (a Slack approver's request names the
thread of an item that lives in Teams)."""
from __future__ import annotations

from urllib.parse import quote


def thread_link(channel: str, message_id: str, tenant: str | None) -> str:
    """Teams' link to a channel message (its thread)."""
    return (f"https://teams.microsoft.com/l/message/{quote(channel, safe='')}/{quote(message_id, safe='')}"
            + (f"?tenantId={quote(tenant, safe='')}" if tenant else ""))
