"""Text as Slack sends it, turned once into the text a person reads.

Slack HTML-encodes `&`, `<` and `>` in what people type (slash commands, messages) and writes its
own markup between real angle brackets: `<@U024BE7LH|bob>`, `<#C024BE7LR|quality>`,
`<https://…|photo>`, `<mailto:a@b.com|a@b.com>`, `<!here>`, `<!subteam^S123|@quality>`,
`<!date^…|fallback>`. Every entry point passes incoming text through `readable` before anything
else looks at it, so the domain stores plain text: people and channels by name, links as their
label and address, special mentions as plain words. Views escape it again when they render it
(bot.views.common.md), so what someone typed never becomes a mention, link or broadcast.
(Form values in view submissions are not encoded by Slack: they only need `clean`.)
"""
from __future__ import annotations

import re
from typing import Callable

from domain.text import clean

_MARKUP = re.compile(r"<([^<>\n]*)>")


def decode_entities(text: str) -> str:
    """Slack's three entities, and only those (`&amp;lt;` is a person who typed `&lt;`)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def readable(raw: str | None, name_of: Callable[[str], str | None] | None = None) -> str:
    """The text a person reads in Slack, cleaned of characters no database stores."""
    def one(match: re.Match) -> str:
        target, _, label = match.group(1).partition("|")
        if target.startswith("@"):  # a person: <@U024BE7LH|bob> or <@U024BE7LH>
            return "@" + (label.lstrip("@") or (name_of(target[1:]) if name_of else None) or "someone")
        if target.startswith("#"):  # a channel: <#C024BE7LR|quality>
            return "#" + (label or "channel")
        if target.startswith("!"):  # <!here>, <!channel>, <!subteam^S…|@group>, <!date^…|fallback>
            command = target[1:].split("^", 1)[0]
            return label or ("@" + command if command in ("here", "channel", "everyone") else "")
        if target.startswith("mailto:"):
            return label or target.removeprefix("mailto:")
        if label and label != target:  # a link with a label: keep both, the address is data too
            return f"{label} ({target})"
        return target
    return clean(decode_entities(_MARKUP.sub(one, raw or "")))
