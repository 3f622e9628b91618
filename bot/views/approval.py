"""The quality manager's DM when an AA complaint asks to close: what it is, a link to its thread,
Approve / Send back (the domain checks the closure gate again on Approve)."""
from __future__ import annotations

from bot import action_ids as ids
from bot.views.common import button, context, md, mention, section
from domain.cards import ItemCard
from domain.i18n import ref, t


def approval_text(card: ItemCard, lang: str, requested_by: str) -> str:
    item = card.item
    return md("approval.request", lang, actor=mention(requested_by), ref=ref(item.number), severity=item.severity,
              customer=card.customer_in(lang) or "?")


def approval_blocks(card: ItemCard, lang: str, requested_by: str, link: str | None) -> list[dict]:
    item = card.item
    value = f"{item.id}:{item.version}"
    blocks = [section(":ballot_box_with_check: " + approval_text(card, lang, requested_by))]
    if link:
        blocks.append(context(f"<{link}|{t('approval.thread', lang)}>"))
    blocks.append({"type": "actions", "block_id": f"approval_{item.id}", "elements": [
        button(t("action.approve_closure", lang), ids.step("approve_closure"), value, style="primary"),
        button(t("action.send_back", lang) + "…", ids.step("send_back"), value)]})
    return blocks
