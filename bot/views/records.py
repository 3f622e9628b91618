"""Returned goods and claims on the thread parent and the `/complaint` card: one line each, where it
stands, in the reader's language (pure: the card in, lines out)."""
from __future__ import annotations

from bot.views.common import md
from domain.cards import ItemCard
from domain.i18n import t
from domain.lifecycle.approvals import PENDING, standing
from domain.lifecycle.records import CLAIM_STAGE, claim_subject
from domain.money import shown


def return_line(r, lang: str) -> str:
    """One return (a ReturnView) where it stands: on a complaint's card and on a standalone RMA."""
    detail = "".join(f" · {t(f'{name}.{value}', lang)}" for name, value in
                     (("inspection", r.inspection), ("disposition", r.disposition), ("shipped", r.shipped)) if value)
    return md("records.return_line", lang, id=r.id, quantity=f"{r.quantity:,}", day=r.received_on.isoformat(),
              state=t(f"return_state.{r.state}", lang), detail=detail)


def record_lines(card: ItemCard, lang: str) -> list[str]:
    lines = []
    for r in card.returns:
        lines.append(":package: " + return_line(r, lang))
    for c in card.claims:
        amount = shown(c.amount, c.currency)
        if c.accepted_amount is not None and c.accepted_amount != c.amount:
            amount = f"{shown(c.accepted_amount, c.currency)} / {amount}"
        waiting = standing(card.approval_rows, claim_subject(c.id), (CLAIM_STAGE,)).state == PENDING
        detail = f" · {t('records.awaiting_gm', lang)}" if waiting else ""
        lines.append(":moneybag: " + md("records.claim_line", lang, id=c.id, type=t(f"claim_type.{c.type}", lang),
                                        amount=amount, state=t(f"claim_state.{c.state}", lang), detail=detail))
    return lines
