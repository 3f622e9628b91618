"""What Teams' proactive messages need kept (docs/teams.md, Proactive messages and files):

- the personal chat the bot has with each Teams person: Teams makes it once (POST /v3/conversations)
  and keeps it, so the bot remembers its id rather than asking again before every message;
- the files a Teams message links to (charts, the 8D, exports): a bot without Graph permissions
  cannot put a file into a channel, so `voc web` serves it at an unguessable, expiring address."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import Column, LargeBinary
from sqlmodel import Field, SQLModel


class TeamsChat(SQLModel, table=True):
    __tablename__ = "teams_chats"
    person: str = Field(primary_key=True, max_length=32, description="the domain's id for the Teams person (TM…)")
    conversation: str = Field(max_length=200, description="the personal chat's conversation id (a:…)")
    created_at: datetime


class SharedFile(SQLModel, table=True):
    __tablename__ = "shared_files"
    token: str = Field(primary_key=True, max_length=64, description="the address's secret part (random)")
    key: str = Field(max_length=300, unique=True, description="the outbox key and file name it was made for: "
                     "a retried send links the file it made before")
    filename: str = Field(max_length=200)
    content_type: str = Field(max_length=100)
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime
    expires_at: datetime
