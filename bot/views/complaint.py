"""`/complaint`: one item's card and its history (the audit trail), for anyone who asks."""
from __future__ import annotations

from datetime import datetime

from domain.cards import ItemCard
from domain.lifecycle.eightd import EightD
from domain.lifecycle.eightd_form import form, section_lines
from domain.i18n import event_label_key, fmt_when, ref, t
from domain.policy import Policy
from bot import action_ids as ids
from bot.views.common import button, clip, context, escape, md, mention, section, sections
from bot.views.thread import describe_changes, parent_blocks

HISTORY_PAGE_SIZE = 40  # events a page of history shows: a screenful, far under Slack's 50 blocks


def card_blocks(card: ItemCard, policy: Policy, lang: str, now: datetime | None = None) -> list[dict]:
    """The item as its thread parent shows it, in the reader's language, with the same buttons (the
    domain decides again when one is pressed)."""
    return parent_blocks(card, policy, lang, now=now)


def eightd_blocks(report: EightD, policy: Policy, lang: str, names: dict[str, str]) -> list[dict]:
    """The 8D as recorded so far, under the header its files carry (numbers, revision, prepared and
    approved by); a discipline with nothing recorded says so (never invented). Long disciplines run
    over several sections, each under Slack's limit."""
    sheet = form(report, lang, policy, names)
    pairs = [" · ".join(f"*{escape(label)}*: {escape(value)}" for label, value in sheet.header[i:i + 2])
             for i in range(0, len(sheet.header), 2)]
    blocks = [section("*" + escape(sheet.title) + "*"), *sections(pairs)]
    for part in sheet.sections:
        rows = section_lines(part)
        body = ([f"_{t('eightd.missing', lang)}_"] if rows is None
                else [f"• {escape(label)}: {escape(clip(value, 400))}" if value else f"• {escape(label)}" for label, value in rows])
        heading = f"*{escape(part.heading)}*" + (f" · _{escape(part.date)}_" if part.date else "")
        blocks += sections([heading, *body])
    return blocks[:50]


def _changes(detail: dict) -> dict:
    """Corrections store [before, after]; lifecycle steps {"before", "after"}: one shape to show."""
    out = {}
    for name, change in (detail.get("changes") or {}).items():
        if isinstance(change, dict):
            out[name] = (change.get("before"), change.get("after"))
        elif isinstance(change, list | tuple) and len(change) == 2:
            out[name] = tuple(change)
    return out


def history_blocks(card: ItemCard, events: list, policy: Policy, lang: str, offset: int = 0,
                   total: int | None = None) -> list[dict]:
    """A page of events as given (newest first from the desk), from position `offset` of `total`: when
    (company time zone), who, what, and what changed from what; Newer / Older buttons page on."""
    total = len(events) if total is None else total
    lines = []
    for e in events:
        who = mention(e.actor) if e.actor != "system" else "VOC Desk"
        line = f"`{fmt_when(e.at, policy.tz, lang)}` · {who} · {escape(t(event_label_key(e.action), lang))}"
        changes = _changes(e.detail)
        if changes:  # values may be what people typed: escaped
            line += " — " + escape(describe_changes(changes, policy, lang))
        lines.append(line)
    blocks = [section("*" + md("complaint.history_title", lang, ref=ref(card.item.number)) + "*"), *sections(lines)]
    blocks.append(context(md("complaint.history_page", lang, first=min(offset + 1, total), last=offset + len(events),
                             total=total),
                          md("parent.ref", lang, ref=ref(card.item.number),
                             received=fmt_when(card.item.received_at, policy.tz, lang))))
    pages = []
    if offset > 0:
        pages.append(button(t("complaint.history_newer", lang), ids.HISTORY_NEWER,
                            f"{card.item.id}:{max(0, offset - HISTORY_PAGE_SIZE)}"))
    if offset + len(events) < total:
        pages.append(button(t("complaint.history_older", lang), ids.HISTORY_OLDER, f"{card.item.id}:{offset + len(events)}"))
    if pages:
        blocks.append({"type": "actions", "block_id": "history_pages", "elements": pages})
    return blocks
