"""Slack messages as terminal text: mrkdwn to plain text, Block Kit to lines, buttons to numbered choices."""
from __future__ import annotations

import re
from typing import Callable

from slack_emulator.workspace import Workspace

EMOJI = {
    "red_circle": "🔴", "large_orange_circle": "🟠", "large_yellow_circle": "🟡", "white_check_mark": "✅",
    "warning": "⚠️", "rotating_light": "🚨", "no_entry_sign": "🚫", "arrow_right": "➡️", "pencil2": "✏️",
    "thinking_face": "🤔", "leftwards_arrow_with_hook": "↩️", "fire": "🔥", "+1": "👍", "eyes": "👀",
    "shield": "🛡️", "mag": "🔍", "page_facing_up": "📄", "no_entry": "⛔", "hourglass": "⌛",
    "hourglass_flowing_sand": "⏳", "alarm_clock": "⏰", "arrow_forward": "▶️", "ballot_box_with_check": "☑️",
    "arrows_counterclockwise": "🔄", "paperclip": "📎", "repeat": "🔁", "zzz": "💤", "busts_in_silhouette": "👥", "sunny": "☀️",
}


WITHDRAWN = {"en": "[withdrawn]", "zh": "[已撤回]"}


def mrkdwn(text: str, ws: Workspace, lang: str = "en") -> str:
    def user(m):
        return "@" + ws.users.get(m.group(1), {}).get("name", m.group(1))

    def group(m):
        return "@" + ws.usergroups.get(m.group(1), {}).get("handle", m.group(1))

    def channel(m):
        return "#" + ws.channels.get(m.group(1), {}).get("name", m.group(1))

    text = re.sub(r"<@([UW][A-Z0-9]+)>", user, text)
    text = re.sub(r"<!subteam\^([A-Z0-9]+)(?:\|[^>]*)?>", group, text)
    text = re.sub(r"<#([CGD][A-Z0-9]+)(?:\|[^>]*)?>", channel, text)
    text = re.sub(r"<(https?://[^|>]+)\|([^>]+)>", r"\2 (\1)", text)
    text = re.sub(r"<(https?://[^>]+)>", r"\1", text)
    text = re.sub(r":([a-z0-9_+\-]+):", lambda m: EMOJI.get(m.group(1), m.group(0)), text)
    text = re.sub(r"(?<![\w*])\*([^*\n]+)\*(?![\w*])", r"\1", text)  # *bold*
    text = re.sub(r"(?<![\w~])~([^~\n]+)~(?![\w~])", lambda m: f"{m.group(1)} {WITHDRAWN.get(lang, WITHDRAWN['en'])}", text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def blocks_to_lines(blocks: list | None, fallback: str, ws: Workspace, choose: Callable[..., int],
                    lang: str = "en") -> list[str]:
    """`choose(element, option value=None)` registers a button (or a menu's option) and returns its number."""
    if not blocks:
        return mrkdwn(fallback, ws, lang).splitlines() or [""]
    lines: list[str] = []
    for block in blocks:
        kind = block.get("type")
        if kind == "section":
            if block.get("text"):
                lines += mrkdwn(block["text"]["text"], ws, lang).splitlines()
            for f in block.get("fields", []):
                lines.append("  " + mrkdwn(f["text"], ws, lang).replace("\n", ": ", 1).replace("\n", "; "))
        elif kind == "context":
            lines.append("  · " + " · ".join(mrkdwn(e.get("text", ""), ws, lang) for e in block.get("elements", [])))
        elif kind == "header":
            lines.append(mrkdwn(block["text"]["text"], ws, lang).upper())
        elif kind == "actions":
            buttons = [f"[{choose(e)}] {e['text']['text']}" for e in block.get("elements", []) if e.get("type") == "button"]
            lines.append("  " + "   ".join(buttons))
            for menu in (e for e in block.get("elements", []) if e.get("type") in ("static_select", "overflow")):
                options = [f"[{choose(menu, o['value'])}] {o['text']['text']}" for o in menu.get("options", [])]
                lines.append(f"  {menu.get('placeholder', {}).get('text', '…')} " + "   ".join(options))
        elif kind == "image":
            pass
        elif kind == "divider":
            lines.append("  " + "─" * 30)
    return lines
