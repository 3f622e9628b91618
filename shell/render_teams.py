"""The Teams look in the terminal (`voc shell --platform teams`): a message's shared view becomes the
Adaptive Card Teams would show (bot/teams/cards.py, the same translation the Teams senders use), and
the card becomes lines: its text blocks, its facts as "title: value", its buttons as numbered choices.
A Slack menu is a "More…" card on Teams (an Action.ShowCard holding a choice): the terminal shows
its title and choices, not pressable here (press the Slack look's menu instead). A numbered choice
presses the Slack button the card's action came from, so the session drives the same bot."""
from __future__ import annotations

import re
from typing import Callable

from bot.teams.cards import adaptive_card

_LINK = re.compile(r"\[([^\]]*)\]\(([^)\s]+)\)")
_AT = re.compile(r"<at>(.*?)</at>")


def plain(markdown: str) -> str:
    """A card's markdown as the terminal shows it: **bold** and links' brackets dropped, mentions as @name."""
    text = _LINK.sub(lambda m: f"{m.group(1)} ({m.group(2)})" if m.group(1) != m.group(2) else m.group(2), markdown)
    text = _AT.sub(lambda m: "@" + m.group(1), text).replace("**", "")
    return text.replace("\\[", "[").replace("\\]", "]")


def _buttons(blocks: list[dict]) -> dict[tuple[str, str], dict]:
    """The Slack buttons of the view by (action id, value): what a card's action presses."""
    found = {}
    for block in blocks:
        elements = block.get("elements", []) if block.get("type") == "actions" else [block.get("accessory") or {}]
        for e in elements:
            if e.get("type") == "button" and e.get("action_id"):
                found[(e["action_id"], e.get("value"))] = e
    return found


def card_to_lines(blocks: list | None, fallback: str, name_of: Callable[[str], str | None],
                  choose: Callable[..., int], group_of: Callable[[str], str | None] = lambda group: None) -> list[str]:
    """`group_of`: a user group's name, mentioned as the department's Teams tag would be."""
    tag_of = lambda group: (group, name) if (name := group_of(group)) else None  # noqa: E731
    card = adaptive_card(blocks, fallback, actions=True, name_of=name_of, tag_of=tag_of)
    lines: list[str] = []
    for element in card["body"]:
        if element.get("separator"):
            lines.append("  " + "─" * 30)
        if element["type"] == "TextBlock":
            text = plain(element["text"])
            text = text.upper() if element.get("size") == "Large" else text
            lines += [("  · " if element.get("isSubtle") else "") + line for line in text.splitlines()] or [""]
        elif element["type"] == "FactSet":
            lines += [f"  {plain(f['title'])}: {plain(f['value'])}".replace("\n", "; ") for f in element["facts"]]
    buttons, shown = _buttons(blocks or []), []
    for action in card.get("actions", []):
        if action["type"] == "Action.OpenUrl":
            shown.append(f"{action['title']} ({action['url']})")
        elif action["type"] == "Action.ShowCard":
            choices = [c["title"] for i in action["card"]["body"] if i["type"] == "Input.ChoiceSet" for c in i["choices"]]
            shown.append(f"{action['title']} ({', '.join(choices)})")
        elif (slack := buttons.get((action["data"]["action_id"], action["data"].get("value")))) is not None:
            shown.append(f"[{choose(slack)}] {action['title']}")
    if shown:
        lines.append("  " + "   ".join(shown))
    return lines
