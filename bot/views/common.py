"""Small Block Kit helpers shared by the views."""
from __future__ import annotations

import re

from domain.i18n import t
from domain.levels import severity_reasons

SEVERITY_EMOJI = {"AA": ":red_circle:", "A": ":large_orange_circle:", "B": ":large_yellow_circle:"}
SECTION_LIMIT = 2900


def clip(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plain(text: str, limit: int = 75) -> dict:
    return {"type": "plain_text", "text": clip(text, limit), "emoji": True}


def mrkdwn(text: str) -> dict:
    return {"type": "mrkdwn", "text": clip(text, SECTION_LIMIT)}


def section(text: str) -> dict:
    return {"type": "section", "text": mrkdwn(text)}


def sections(lines: list[str], limit: int = SECTION_LIMIT - 100) -> list[dict]:
    """Lines as sections, each under Slack's limit, never cutting a line (nor a link in it) in two."""
    chunks: list[str] = []
    for line in lines:
        if chunks and len(chunks[-1]) + 1 + len(line) <= limit:
            chunks[-1] += "\n" + line
        else:
            chunks.append(line)
    return [section(chunk) for chunk in chunks]


def context(*texts: str) -> dict:
    return {"type": "context", "elements": [mrkdwn(x) for x in texts if x][:10]}


def button(text: str, action_id: str, value: str, style: str | None = None) -> dict:
    b = {"type": "button", "text": plain(text), "action_id": action_id, "value": value}
    if style:
        b["style"] = style
    return b


class Markup(str):
    """Mrkdwn the bot wrote itself (a mention it means, a link it built): inserted as it is."""


def escape(text: str) -> str:
    """Slack mrkdwn control characters; user text must not become mentions or links."""
    if isinstance(text, Markup):
        return text
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def md(key: str, lang: str, **params) -> Markup:
    """A message in mrkdwn: every parameter is escaped once here (it may be user text), except the
    bot's own Markup. Views build mrkdwn with this, never with `t` and a parameter."""
    return Markup(t(key, lang, **{k: escape(v) if isinstance(v, str) else v for k, v in params.items()}))


def mention(user_id: str) -> Markup:
    """A person's mention; anything that is not a Slack user id (a forged form value, a typed name) is
    shown as text, never turned into markup (`<!channel>`)."""
    if re.fullmatch(r"[UW][A-Z0-9]+|TM[A-Z2-7]{26}", user_id or ""):  # a Slack user, a Teams person (bot/teams/people.py)
        return Markup(f"<@{user_id}>")
    return Markup(escape(user_id or ""))


def severity_kind(item, lang: str) -> tuple[str, str]:
    return item.severity, t(f"kind.{item.kind}", lang).lower() if lang == "en" else t(f"kind.{item.kind}", lang)


def why_severity(item, lang: str) -> str:
    """The reasons for the severity, while the severity is still the one they explain (after a person
    changes it, they would explain something that is no longer so), drawn from the facts as they are
    now (domain/levels.py `severity_reasons`: a corrected line state changes the reason shown)."""
    labels = [r.get(f"label_{lang}") or ", ".join(r.get("evidence", []))
              for r in severity_reasons(item) if r.get("field") == "severity" and r.get("rule") != "default"
              and r.get("value") == item.severity]
    return "; ".join(dict.fromkeys(x for x in labels if x))
