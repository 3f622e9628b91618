"""The shared views as Adaptive Cards: a Block Kit view (bot/views/, data) becomes a card Teams shows.

One translation for every view, block by block, rather than a second set of views: a header or a
bold first line → a large TextBlock; a section's text → a TextBlock, its fields → a FactSet
("*Label*\\nvalue"); a context → a small subtle TextBlock; a divider → a separator; an image → an
Image; a button → Action.Execute (verb = its action id, data = its value) or, with a url,
Action.OpenUrl; a menu → a "More…" Action.ShowCard holding a choice and an Action.Execute. Only
what Teams acts on is offered (bot/teams/actions.py), so a card never offers what does nothing.

Slack mrkdwn → the card's markdown: `*b*` → `**b**`, `_i_` stays, `~s~` loses its marks, `<url|label>`
→ `[label](url)`, `<@person>` → a Teams mention (`<at>name</at>` and its entity) when the person is a
Teams person, else their name as text; a user group (`<!subteam^S…>`) → the mention of the department's Teams tag; `<#channel>` and
`<!…>` become text. Text
is data: Slack's entities are decoded once and what a person wrote cannot become a link (its square
brackets are escaped), as in Slack.
"""
from __future__ import annotations

import re
from typing import Callable

from bot.messaging.boundary import TEAMS, Group, Person
from bot.teams import people

CARD_TYPE = "application/vnd.microsoft.card.adaptive"
VERSION = "1.5"
EMOJI = {
    "red_circle": "🔴", "large_orange_circle": "🟠", "large_yellow_circle": "🟡", "warning": "⚠️",
    "white_check_mark": "✅", "rotating_light": "🚨", "repeat": "🔁", "paperclip": "📎", "arrow_right": "➡️",
    "arrow_forward": "▶️", "hourglass_flowing_sand": "⏳", "hourglass": "⌛", "alarm_clock": "⏰",
    "leftwards_arrow_with_hook": "↩️", "pencil2": "✏️", "no_entry_sign": "🚫", "no_entry": "⛔", "thinking_face": "🤔",
    "shield": "🛡️", "page_facing_up": "📄", "mag": "🔍", "link": "🔗", "heavy_plus_sign": "➕", "grey_question": "❔",
    "eyes": "👀", "busts_in_silhouette": "👥", "ballot_box_with_check": "☑️", "arrows_counterclockwise": "🔄",
}
_MARKUP = re.compile(r"<([^<>]*)>")
_EMOJI = re.compile(r":(" + "|".join(map(re.escape, EMOJI)) + r"):")
NameOf = Callable[[str], str | None]
TagOf = Callable[[str], tuple[str, str] | None]  # a Slack user group id → (Teams tag id, tag name)


class Card:
    """An Adaptive Card being built, with the mentions its text makes."""

    def __init__(self, name_of: NameOf = people.name_of, tag_of: TagOf | None = None):
        self.name_of, self.tag_of = name_of, tag_of or (lambda group: None)
        self.body: list[dict] = []
        self.actions: list[dict] = []
        self.mentions: dict[str, dict] = {}  # the card's own mention entities (msteams.entities)
        self.mentioned: list[Person | Group] = []  # the same, for a plain message's entities

    def markdown(self, mrkdwn: str) -> str:
        """For a card's TextBlock: Adaptive Card markdown renders no HTML, so `&lt;` is written `<`."""
        return self._render(mrkdwn, decode=True)

    def message_text(self, mrkdwn: str) -> str:
        """For an activity's own text: Teams renders HTML there, so a person's `<`, `>` and `&` stay
        escaped as Slack's views escaped them (`<a …>` or `<at>` typed by someone is shown, never made)."""
        return self._render(mrkdwn, decode=False)

    def _render(self, mrkdwn: str, decode: bool) -> str:
        parts, last = [], 0
        for m in _MARKUP.finditer(mrkdwn):
            parts.append(self._plain(mrkdwn[last:m.start()], decode))
            parts.append(self._markup(m.group(1)))
            last = m.end()
        parts.append(self._plain(mrkdwn[last:], decode))
        return "".join(parts)

    @staticmethod
    def _plain(text: str, decode: bool) -> str:
        text = _EMOJI.sub(lambda m: EMOJI[m.group(1)], text)
        text = re.sub(r"(?<![\w*])\*(?!\s)([^*\n]+?)(?<!\s)\*(?![\w*])", r"**\1**", text)  # Slack bold → markdown bold
        text = re.sub(r"(?<![\w~])~(?!\s)([^~\n]+?)(?<!\s)~(?![\w~])", r"\1", text)
        if decode:
            text = text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
        return text.replace("[", "\\[").replace("]", "\\]")  # a person's words never become a link

    def _markup(self, inner: str) -> str:
        if inner.startswith("@"):
            return self.mention(inner[1:].split("|")[0])
        if inner.startswith("!subteam^"):
            return self.tag(inner[len("!subteam^"):].split("|")[0], inner.split("|", 1)[1] if "|" in inner else None)
        if inner.startswith(("#", "!")):
            label = inner.split("|", 1)[1] if "|" in inner else inner[1:]
            return label.replace("[", "\\[").replace("]", "\\]")
        url, _, label = inner.partition("|")
        if url.startswith(("http://", "https://", "mailto:")):
            return f"[{(label or url).replace('[', '').replace(']', '')}]({url})"
        return inner.replace("[", "\\[").replace("]", "\\]")

    def mention(self, person: str) -> str:
        name = (self.name_of(person) or "").replace("<", "").replace(">", "") or person
        if not people.is_teams_person(person):
            return name
        text = f"<at>{name}</at>"
        if person not in self.mentions:
            self.mentioned.append(Person(TEAMS, person))
        self.mentions[person] = {"type": "mention", "text": text,
                                 "mentioned": {"id": people.aad_of(person), "name": name}}
        return text

    def tag(self, group: str, label: str | None) -> str:
        """A department's ping: its Teams tag, when the policy names one; else the group's name as text."""
        found = self.tag_of(group)
        if found is None:
            return (label or "").lstrip("@")
        tag_id, name = found
        text = f"<at>{name}</at>"
        if tag_id not in self.mentions:
            self.mentioned.append(Group(TEAMS, tag_id, name))
        self.mentions[tag_id] = {"type": "mention", "text": text, "mentioned": {"id": tag_id, "name": name, "type": "tag"}}
        return text

    def text(self, mrkdwn: str, **style) -> None:
        self.body.append({"type": "TextBlock", "text": self.markdown(mrkdwn), "wrap": True, **style})

    def as_card(self) -> dict:
        card = {"type": "AdaptiveCard", "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
                "version": VERSION, "body": self.body, "msteams": {"width": "Full"}}
        if self.actions:
            card["actions"] = self.actions
        if self.mentions:
            card["msteams"]["entities"] = list(self.mentions.values())
        return card


def adaptive_card(blocks: list[dict] | None, fallback_text: str = "", *, actions: bool = False,
                  name_of: NameOf = people.name_of, tag_of: TagOf | None = None,
                  offered: Callable[[str], bool] = lambda action_id: True) -> dict:
    """A Block Kit view as an Adaptive Card (the blocks are not changed). With `actions`, the buttons
    and menus whose action id (or menu option's value) `offered` accepts: what Teams can act on."""
    card = Card(name_of, tag_of)
    separate = False
    for block in blocks or [{"type": "section", "text": {"type": "mrkdwn", "text": fallback_text}}]:
        kind = block.get("type")
        before = len(card.body)
        if kind == "header":
            card.text(block["text"]["text"], size="Large", weight="Bolder")
        elif kind == "section":
            if block.get("text"):
                card.text(block["text"]["text"])
            if block.get("fields"):
                card.body.append({"type": "FactSet", "facts": [_fact(card, f["text"]) for f in block["fields"]]})
            if actions and (block.get("accessory") or {}).get("type") == "button" and offered(block["accessory"].get("action_id")):
                card.actions.append(_action(block["accessory"]))
        elif kind == "context":
            words = " · ".join(e.get("text", "") for e in block.get("elements", []) if e.get("type") in ("mrkdwn", "plain_text"))
            if words:
                card.text(words, size="Small", isSubtle=True)
        elif kind == "image":
            card.body.append({"type": "Image", "url": block["image_url"], "altText": block.get("alt_text", "")})
        elif kind == "actions" and actions:
            card.actions.extend(_action(e) for e in block.get("elements", [])
                                if e.get("type") == "button" and offered(e.get("action_id")))
            menus = (_menu(e, offered) for e in block.get("elements", []) if e.get("type") == "static_select")
            card.actions.extend(m for m in menus if m["card"]["body"][0]["choices"])  # nothing left to choose: no menu
        elif kind == "divider":
            separate = True
            continue
        if separate and len(card.body) > before:
            card.body[before]["separator"] = True
            separate = False
    return card.as_card()


def _fact(card: Card, field: str) -> dict:
    title, _, value = field.partition("\n")
    return {"title": card.markdown(title).replace("**", ""), "value": card.markdown(value) if value else ""}


def _action(button: dict) -> dict:
    title = button.get("text", {}).get("text", "")
    if button.get("url"):
        return {"type": "Action.OpenUrl", "title": title, "url": button["url"]}
    return {"type": "Action.Execute", "title": title, "verb": button.get("action_id"),
            "data": {"action_id": button.get("action_id"), "value": button.get("value")}}


def _menu(select: dict, offered: Callable[[str], bool]) -> dict:
    """A menu (static_select) → a "More…" button showing a choice and its own Action.Execute; Teams
    puts the choice into the action's data under the menu's action id, as Slack's selected option."""
    choices = [{"title": o["text"]["text"], "value": o["value"]} for o in select.get("options", [])
               if offered(o["value"].split(":")[0])]
    action_id = select.get("action_id")
    title = (select.get("placeholder") or {}).get("text", "…")
    return {"type": "Action.ShowCard", "title": title, "card": {
        "type": "AdaptiveCard", "version": VERSION,
        "body": [{"type": "Input.ChoiceSet", "id": action_id, "style": "compact", "isRequired": True, "choices": choices}],
        "actions": [{"type": "Action.Execute", "title": title, "verb": action_id, "data": {"action_id": action_id}}]}}


def attachment(card: dict) -> dict:
    return {"contentType": CARD_TYPE, "content": card}
