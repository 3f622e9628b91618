"""Pacing messages per channel: Slack allows about one message per second per channel, with short
bursts. A token bucket per channel, in the database so every process shares it: `reserve` takes a
token when one is there and returns 0, else how many seconds until one is. The caller (the outbox's
sender) does not sleep on it: it leaves the message due and comes back later.

`at` is wall-clock seconds (a transport concern, not the business clock): the caller passes it.
"""
from __future__ import annotations

from sqlmodel import Session, select

from models import ChannelPace
from models.db import insert_into


def reserve(session: Session, channel: str, at: float, rate: float, burst: int) -> float:
    session.execute(insert_into(session, ChannelPace.__table__).values(channel=channel, tokens=float(burst), updated=at)
                    .on_conflict_do_nothing(index_elements=["channel"]))
    query = select(ChannelPace).where(ChannelPace.channel == channel)
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update()
    pace = session.exec(query).one()
    tokens = min(float(burst), pace.tokens + max(0.0, at - pace.updated) * rate)
    pace.updated = max(at, pace.updated)
    if tokens >= 1:
        pace.tokens = tokens - 1
        session.add(pace)
        return 0.0
    pace.tokens = tokens
    session.add(pace)
    return (1 - tokens) / rate
