"""The DM conversation's messages: one question at a time, with buttons for the usual answers."""
from __future__ import annotations

from bot import action_ids as ids
from bot.views.common import button, md, section
from domain.cards import ItemCard
from domain.i18n import t
from domain.policy import Policy


def question_text(lang: str, data: dict) -> str:
    return t(f"ask.{data['question']}", lang)


def question_blocks(card: ItemCard, policy: Policy, lang: str, data: dict) -> list[dict]:
    item, question, conv = card.item, data["question"], data["conversation"]
    lines = []
    if data.get("reminder"):
        lines.append(":alarm_clock: " + t("ask.reminder", lang))
    if data.get("retry"):
        lines.append(t("ask.retry", lang))
    if data.get("intro"):
        values = md("proposal.values", lang, kind=t(f"kind.{item.kind}", lang), category=t(f"category.{item.category}", lang),
                    severity=item.severity, department=policy.departments[item.department].name.get(lang))
        lines.append(md("ask.intro", lang, values=values))
    unsure = question == "customer" and data.get("retry") and data.get("choices")
    lines.append("*" + t("ask.customer_unsure" if unsure else f"ask.{question}", lang) + "*")
    blocks = [section("\n".join(lines))]
    answers: list[tuple[str, str]] = []
    if question == "customer":
        answers = [(t("offer.customer_new", lang, typed=c["name"][:40]) if c["id"] == "new" else c["name"], str(c["id"]))
                   for c in data.get("choices") or []]
    elif question == "line_stopped":
        answers = [(t("ask.yes_stopped", lang), "yes"), (t("ask.about_to_stop", lang), "about_to_stop"),
                   (t("ask.no", lang), "no"), (t("ask.skip", lang), "skip")]
    elif question == "urgency":
        answers = [(t(f"urgency.choice.{u}", lang), u) for u in ("very_urgent", "urgent", "normal")] + [(t("ask.skip", lang), "skip")]
    else:
        answers = [(t("ask.skip", lang), "skip")]
    if answers:
        blocks.append({"type": "actions", "block_id": f"ask_{conv}_{question}",
                       "elements": [button(label, ids.answer(n), f"{conv}:{question}:{value}")
                                    for n, (label, value) in enumerate(answers)]})
    return blocks
